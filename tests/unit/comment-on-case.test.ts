/** A comment: appended on its own (the case untouched), at most the policy's number per person per case per clock hour. */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { actOnCase } from '../../shared/core/act-on-case';
import type { Caller } from '../../shared/domain/caller';
import { pureDeps, rosterCaller, sampleEvent } from './pure-deps';

const worker = rosterCaller('gw-ouyang-lingqiao');
const station = rosterCaller('cs-jinyuan-duty');

async function twoCases() {
  const stores = createMemoryStores();
  for (const id of ['E20261123-AAAAAA', 'E20261123-BBBBBB'])
    await stores.cases.create({ case: sampleEvent({ id }), timeline: [], counters: [] });
  const at = (now: string) => pureDeps(now, { ports: stores, policy: { commentsPerHour: 3 } });
  return { stores, at };
}

test('a comment leaves the case as it was and is on its timeline after the entry it followed', async () => {
  const { stores, at } = await twoCases();
  const before = (await stores.cases.get('E20261123-AAAAAA'))?.case;
  const reply = await actOnCase(at('2026-11-23T01:00:00Z'), worker, 'E20261123-AAAAAA', { action: 'comment', note: '已到现场' });
  expect(reply).toEqual(before);
  expect((await stores.cases.get('E20261123-AAAAAA'))?.case).toEqual(before);
  expect(await stores.cases.timeline('E20261123-AAAAAA')).toEqual([
    expect.objectContaining({
      seq: 1,
      type: 'commented',
      note: '已到现场',
      actor: { id: worker.person, name: worker.name, role: 'grid_worker', sub: worker.sub },
    }),
  ]);
});

test("past the policy's number of comments by one person on one case in a clock hour: 429; others, other cases and the next hour may", async () => {
  const { stores, at } = await twoCases();
  const comment = (now: string, caller: Caller, id = 'E20261123-AAAAAA') =>
    actOnCase(at(now), caller, id, { action: 'comment', note: `${caller.person} ${now}` });
  await comment('2026-11-23T01:00:00Z', worker);
  await comment('2026-11-23T01:20:00Z', worker);
  await comment('2026-11-23T01:40:00Z', worker);
  await expect(comment('2026-11-23T01:59:00Z', worker)).rejects.toMatchObject({
    status: 429,
    message: 'You may post at most 3 comments per person on one case per hour; please try again after the hour',
  });
  await comment('2026-11-23T01:59:00Z', station);
  await comment('2026-11-23T01:59:00Z', worker, 'E20261123-BBBBBB');
  await comment('2026-11-23T02:00:00Z', worker);
  expect((await stores.cases.timeline('E20261123-AAAAAA')).map((entry) => entry.note)).toEqual([
    'gw-ouyang-lingqiao 2026-11-23T01:00:00Z',
    'gw-ouyang-lingqiao 2026-11-23T01:20:00Z',
    'gw-ouyang-lingqiao 2026-11-23T01:40:00Z',
    'cs-jinyuan-duty 2026-11-23T01:59:00Z',
    'gw-ouyang-lingqiao 2026-11-23T02:00:00Z',
  ]);
});
