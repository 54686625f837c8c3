/** The reference rules and diff on their own (pure): what the HTTP tests do not reach. */
import { seedDocuments } from '../../dev-server/seed-reference';
import { referenceDiff } from '../../shared/domain/reference-diff';
import { referenceProblems } from '../../shared/domain/reference-rules';

const sample = () => structuredClone(seedDocuments(undefined));

test('the sample district keeps every rule', () => {
  expect(referenceProblems(sample())).toEqual([]);
});

test('a unit or a person twice, a tree topped by no district, a department that does not exist', () => {
  const documents = sample();
  const jinyuan = documents.units.children?.[7]?.children?.[0];
  jinyuan?.children?.push(structuredClone(jinyuan.children[0]) as never);
  documents.people.push({ ...(documents.people[0] as (typeof documents.people)[number]) });
  (documents.people[2] as { department?: string }).department = 'weather';
  expect(referenceProblems(documents)).toEqual(
    expect.arrayContaining([
      {
        field: `units.children[7].children[0].children[${(jinyuan?.children?.length ?? 0) - 1}].code`,
        message: expect.stringMatching(/twice/),
      },
      { field: `people[${documents.people.length - 1}].id`, message: expect.stringMatching(/twice/) },
      { field: 'people[2].department', message: expect.stringMatching(/weather/) },
    ]),
  );
  const town = sample();
  town.units = { ...(town.units.children?.[7] as typeof town.units), children: [] };
  expect(referenceProblems(town)).toContainEqual({ field: 'units.level', message: expect.stringMatching(/district/) });
});

test('the diff names what changed and nothing else', () => {
  const before = sample();
  const after = sample();
  expect(referenceDiff(before, after).unchanged).toBe(true);
  (after.departments[0] as { name: string }).name = '新名称';
  after['working-hours'] = { ...after['working-hours'], workingHours: [{ from: '09:00', to: '17:00' }] };
  const diff = referenceDiff(before, after);
  expect(diff).toMatchObject({
    unchanged: false,
    workingHours: true,
    departments: { added: [], removed: [], changed: [{ id: before.departments[0]?.code, fields: ['name'] }] },
    people: { added: [], removed: [], changed: [] },
    units: { added: [], removed: [], moved: [], changed: [] },
  });
});
