/**
 * The district's policy as a reference document (issue 14): an optional `policy` document sets values over the
 * policy's defaults — here a shorter limit for a community — applied through the API, listed in the diff, in effect
 * within a minute (the driven clock) for a new report, and gone again when the document is removed. Unknown fields
 * are refused, named.
 */
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { sampleCalendar } from '../../dev-server/seed-reference';
import { toLocalIso } from '../../shared/domain/calendar';
import { at, HUICHENG, JINYUAN, JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const clock = new DrivenClock(at('2026-11-23 09:00'));
let stack: Stack;
let admin: string;
beforeAll(async () => {
  stack = await startStack({ clock });
  admin = stack.token('admin', HUICHENG);
});
afterAll(() => stack?.stop());

/** A level-3 matter, which starts at the community station: its limit is the policy's (the item's own is for level 4). */
async function reportLevel3() {
  const created = await stack.call('POST', '/events', {
    token: stack.token('grid_worker', JINYUAN_GRID_1),
    body: { itemCode: '01-02', gridCode: JINYUAN_GRID_1, description: '垃圾堆积成山', severity: 3, source: 'grid_worker' },
  });
  expect(created.status).toBe(201);
  expect(created.body).toMatchObject({ tier: 'community', assignee: { id: JINYUAN } });
  return created.body;
}

const deadlineAfter = (routedAt: string, limit: Parameters<ReturnType<typeof sampleCalendar>['add']>[1]) =>
  toLocalIso(sampleCalendar().add(new Date(routedAt), limit));

async function apply(body: Record<string, unknown>) {
  const { body: current } = await stack.call('GET', '/admin/reference', { token: admin });
  return stack.call('POST', '/admin/reference/apply', { token: admin, body: { expectedVersion: current.version, ...body } });
}

test('unknown policy fields, and values out of range, are refused naming the field; nothing applied', async () => {
  for (const [policy, field] of [
    [{ handlingLimt: { community: { 3: { workingHours: 4 } } } }, 'documents.policy.handlingLimt'],
    [{ handlingLimit: { village: { 3: { workingHours: 4 } } } }, 'documents.policy.handlingLimit.village'],
    [{ handlingLimit: { community: { 5: { workingHours: 4 } } } }, 'documents.policy.handlingLimit.community.5'],
    [{ handlingLimit: { community: { 3: { workingWeeks: 1 } } } }, 'documents.policy.handlingLimit.community.3'],
    [{ maxWorkflowLoops: 5 }, 'documents.policy.maxWorkflowLoops'],
    [{ reminderFractions: [0.75, 0.5] }, 'documents.policy.reminderFractions'],
    [{ smsPerPhonePerDay: 0 }, 'documents.policy.smsPerPhonePerDay'],
    // The duplicate search reads the geohash cells around a report: wider than it covers, matches would go unseen.
    [{ duplicateRadiusMeters: 1000 }, 'documents.policy.duplicateRadiusMeters'],
    // A reminder window of nothing would have the digest flusher run without pause.
    [{ reminderWindowMinutes: 0 }, 'documents.policy.reminderWindowMinutes'],
  ] as const) {
    const refused = await apply({ note: 'a bad policy', documents: { policy } });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields.map((problem: { field: string }) => problem.field)).toContain(field);
  }
  const { body: current } = await stack.call('GET', '/admin/reference', { token: admin });
  expect(current.version).toBe(1);
});

test('a policy with a shorter community limit: the diff lists it, and a new report gets the shorter deadline within a minute', async () => {
  const before = await reportLevel3();
  // The default: 2 working days at a community for level 3.
  expect(before.deadlineAt).toBe(deadlineAfter(before.routedAt, { workingDays: 2 }));

  const policy = { handlingLimit: { community: { 3: { workingHours: 4 } } }, reminderFractions: [0.5], maxOverdueNudges: 2 };
  const validated = await stack.call('POST', '/admin/reference/validate', { token: admin, body: { documents: { policy } } });
  expect(validated.status).toBe(200);
  expect(validated.body.changes).toMatchObject({
    policy: ['handlingLimit.community.3', 'maxOverdueNudges', 'reminderFractions'],
    documents: { added: ['policy'], removed: [] },
    unchanged: false,
  });
  const applied = await apply({ note: 'communities act within half a day', documents: { policy } });
  expect(applied.status).toBe(201);
  expect(applied.body.changes).toEqual(validated.body.changes);

  await clock.advance(61_000);
  const after = await reportLevel3();
  expect(after.deadlineAt).toBe(deadlineAfter(after.routedAt, { workingHours: 4 }));
  // Other tiers and severities keep the defaults: the street's level-3 limit is 3 working days.
  expect(stack.platform.deps.policy.handlingLimit.town[3]).toEqual({ workingDays: 3 });
  expect(stack.platform.deps.policy.handlingLimit.community[4]).toEqual({ workingDays: 2 });

  // A change of one value is listed as that value.
  const changed = await stack.call('POST', '/admin/reference/validate', {
    token: admin,
    body: { documents: { policy: { ...policy, maxOverdueNudges: 3 } } },
  });
  expect(changed.body.changes.policy).toEqual(['maxOverdueNudges']);

  // Without the document, the defaults again.
  const removed = await apply({ note: 'back to the defaults', documents: {}, remove: ['policy'] });
  expect(removed.status).toBe(201);
  expect(removed.body.changes).toMatchObject({
    policy: ['handlingLimit.community.3', 'maxOverdueNudges', 'reminderFractions'],
    documents: { removed: ['policy'] },
  });
  await clock.advance(61_000);
  const restored = await reportLevel3();
  expect(restored.deadlineAt).toBe(deadlineAfter(restored.routedAt, { workingDays: 2 }));
});
