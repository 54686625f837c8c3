/**
 * The stores' contract: what the core relies on from each store, run against the in-memory stores and the
 * DynamoDB stores (on DynamoDB Local) so the two cannot drift. `fresh()` gives empty stores for each test.
 */
import { EventIdTaken, IdempotencyKeyTaken, InvalidCursor, VersionConflict } from '../../shared/domain/errors';
import type { Campaign } from '../../shared/domain/campaigns';
import type { Patrol } from '../../shared/domain/patrols';
import { assigneeKey } from '../../shared/domain/routing';
import type { Case } from '../../shared/domain/types';
import type { CaseChange, CasePage, WaitingTask } from '../../shared/ports/cases';
import type { CounterIncrement } from '../../shared/domain/counters';
import { openCounts, unitCounters } from '../../shared/core/changes';
import type { FoldedReminder } from '../../shared/ports/reminders';
import type { Stores } from '../../shared/ports/stores';
import { sampleEvent } from '../unit/pure-deps';

const GRID = '441302010001001';
const OTHER_GRID = '441302010002001';
const DAY = '2026-11-23';
const worker = { type: 'person' as const, id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', unit: GRID };

function stored(id: string, overrides: Partial<Case> = {}): Case {
  return sampleEvent({ id, createdAt: `${DAY}T09:00:00+08:00`, ...overrides });
}

const count = (code: string, counts: Record<string, number>, day = DAY): CounterIncrement => ({
  scope: { kind: 'unit', code },
  day,
  counts,
});

/** A change that stores `event` at its version (the first when `before` is undefined). */
function change(event: Case, before?: Case, extra: Partial<CaseChange> = {}): CaseChange {
  const version = (before?.version ?? 0) + 1;
  const after = { ...event, version };
  return {
    case: after,
    expectedVersion: before?.version,
    timeline: [
      {
        eventId: event.id,
        seq: version,
        at: after.createdAt,
        actor: after.reportedBy,
        type: 'commented',
        stage: after.stage,
        tier: after.tier,
      },
    ],
    counters: [],
    ...extra,
  };
}

async function created(stores: Stores, event: Case, extra: Partial<CaseChange> = {}): Promise<Case> {
  const first = change(event, undefined, extra);
  await stores.cases.create(first);
  return first.case;
}

/** Every item of a list, following its cursors (a page may be empty; none is over the limit). */
async function allPages(read: (cursor?: string) => Promise<CasePage>, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await read(cursor);
    expect(page.items.length).toBeLessThanOrEqual(limit);
    ids.push(...page.items.map((event) => event.id));
    cursor = page.nextCursor;
    if (!cursor) return ids;
  }
  throw new Error('more than 50 pages');
}

const reminder = (eventId: string): FoldedReminder => ({
  eventId,
  template: 'handling_reminder',
  params: { id: eventId },
  line: `${eventId} 排水口堵塞`,
  recipientName: '欧阳玲巧',
  recipientRole: 'assignee',
  foldedAt: '2026-11-23T01:00:00.000Z',
});

function patrol(id: string, at: string, unitCode = GRID): Patrol {
  return {
    id,
    kind: 'daily',
    unitCode,
    unitName: '第1网格',
    at,
    day: DAY,
    by: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' },
    points: [],
    findings: [],
    reportedEvents: [],
    createdAt: at,
  };
}

const campaign: Campaign = {
  id: 'C20261123-AAAAAA',
  title: '汛前排查',
  instructions: '检查排水口',
  deadlineAt: '2026-11-25T17:00:00+08:00',
  units: ['441302010'],
  district: '441302',
  createdBy: { id: 'town-1', name: '镇网格中心', role: 'town_center' },
  creatorUnits: ['441302010'],
  createdAt: '2026-11-23T09:00:00+08:00',
  targets: [
    { person: 'gw-a', name: '甲', grid: GRID, phone: '13000000001' },
    { person: 'gw-b', name: '乙', grid: OTHER_GRID, phone: '13000000002' },
  ],
};

export function storeContract(fresh: () => Promise<Stores>): void {
  let stores: Stores;
  beforeEach(async () => {
    stores = await fresh();
  });

  describe('cases', () => {
    test('a created case reads back with its timeline and counters; an id in use is EventIdTaken', async () => {
      const event = await created(stores, stored('E20261123-AAAAAA'), { counters: [count(GRID, { reported: 1 })] });
      expect((await stores.cases.get(event.id))?.case).toEqual(event);
      expect(await stores.cases.timeline(event.id)).toEqual([expect.objectContaining({ eventId: event.id, seq: 1, type: 'commented' })]);
      await expect(stores.cases.create(change(stored(event.id)))).rejects.toBeInstanceOf(EventIdTaken);
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, DAY)).toEqual([{ day: DAY, counts: { reported: 1 } }]);
      expect(await stores.cases.get('E20261123-NOPENO')).toBeUndefined();
    });

    test('an idempotency claim commits with the case; a second create with its key is IdempotencyKeyTaken and writes nothing', async () => {
      const claim = { key: 'user-1#event#k1', bodyHash: 'h1', expiresAt: new Date('2026-11-24T01:00:00Z') };
      await stores.cases.create(change(stored('E20261123-AAAAAA')), claim);
      expect(await stores.guards.findClaim(claim.key)).toEqual({ bodyHash: 'h1', eventId: 'E20261123-AAAAAA' });
      const twin = change(stored('E20261123-BBBBBB'), undefined, { counters: [count(GRID, { reported: 1 })] });
      await expect(stores.cases.create(twin, claim)).rejects.toBeInstanceOf(IdempotencyKeyTaken);
      expect(await stores.cases.get('E20261123-BBBBBB')).toBeUndefined();
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, DAY)).toEqual([]);
      expect(await stores.guards.findClaim('user-1#event#other')).toBeUndefined();
    });

    test('apply is version-checked: a stale change is VersionConflict and nothing of it (or of the cases with it) is written', async () => {
      const first = await created(stores, stored('E20261123-AAAAAA'));
      const second = await created(stores, stored('E20261123-BBBBBB'));
      const routed = change({ ...first, stage: 'routed' }, first, { counters: [count(GRID, { routed: 1 })] });
      await stores.cases.apply(routed);
      expect((await stores.cases.get(first.id))?.case).toMatchObject({ stage: 'routed', version: 2 });

      const stale = change({ ...first, stage: 'handling' }, first, { counters: [count(GRID, { handled: 1 })] });
      const withIt = change({ ...second, stage: 'routed' }, second, { counters: [count(GRID, { routed: 1 })] });
      await expect(stores.cases.apply(withIt, stale)).rejects.toBeInstanceOf(VersionConflict);
      expect((await stores.cases.get(first.id))?.case.stage).toBe('routed');
      expect((await stores.cases.get(second.id))?.case.version).toBe(1);
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, DAY)).toEqual([{ day: DAY, counts: { routed: 1 } }]);
      expect((await stores.cases.timeline(first.id)).map((entry) => entry.seq)).toEqual([1, 2]);
    });

    test('changes applied together commit together, their counters added up', async () => {
      const first = await created(stores, stored('E20261123-AAAAAA'));
      const second = await created(stores, stored('E20261123-BBBBBB'));
      await stores.cases.apply(
        change({ ...first, stage: 'routed' }, first, { counters: [count(GRID, { routed: 1 })] }),
        change({ ...second, stage: 'routed' }, second, {
          counters: [count(GRID, { routed: 1 }), count(GRID, { routed: 1 }, '2026-11-24')],
        }),
      );
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, '2026-11-24')).toEqual([
        { day: DAY, counts: { routed: 2 } },
        { day: '2026-11-24', counts: { routed: 1 } },
      ]);
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, '2026-11-24', '2026-11-30')).toEqual([
        { day: '2026-11-24', counts: { routed: 1 } },
      ]);
    });

    test('counters of many cases sum exactly across the shards they are spread over; the standing open count moves with every open and close', async () => {
      const cases: Case[] = [];
      for (let index = 0; index < 40; index++) {
        const event = stored(`E20261123-N${String(index).padStart(5, '0')}`, { gridCode: index % 4 ? GRID : OTHER_GRID });
        cases.push(
          await created(stores, event, {
            counters: [
              ...unitCounters(event.gridCode, DAY, { reported: 1, [`reported@g:${event.gridCode}`]: 1 }),
              ...openCounts(undefined, event),
            ],
          }),
        );
      }
      // 15 close (11 of GRID, 4 of OTHER_GRID); 5 open ones move to another grid (4 of GRID, 1 of OTHER_GRID).
      for (const event of cases.slice(0, 15)) {
        const closed: Case = { ...event, status: 'closed', stage: 'archived' };
        await stores.cases.apply(
          change(closed, event, { counters: [...unitCounters(event.gridCode, DAY, { closed: 1 }), ...openCounts(event, closed)] }),
        );
      }
      for (const event of cases.slice(35)) {
        const moved: Case = { ...event, gridCode: '441302010003001' };
        await stores.cases.apply(change(moved, event, { counters: openCounts(event, moved) }));
      }
      expect(await stores.counters.read({ kind: 'unit', code: '441302' }, DAY, DAY)).toEqual([
        { day: DAY, counts: { reported: 40, closed: 15, [`reported@g:${GRID}`]: 30, [`reported@g:${OTHER_GRID}`]: 10 } },
      ]);
      const open = async (code: string) => (await stores.counters.standing({ kind: 'unit', code })).open ?? 0;
      expect(await open('441302')).toBe(25);
      expect(await open('441302010')).toBe(25);
      expect(await open(GRID)).toBe(30 - 11 - 4);
      expect(await open(OTHER_GRID)).toBe(10 - 4 - 1);
      expect(await open('441302010003001')).toBe(5);
      expect(await open('441303')).toBe(0);
    });

    test('a comment is an item of its own: the case is untouched, it sorts after the entry it followed, and once written it cannot be written again', async () => {
      const first = await created(stores, stored('E20261123-AAAAAA'));
      const comment = (id: string, seq: number, minute: number) => ({
        eventId: first.id,
        seq,
        id,
        at: `${DAY}T09:${String(minute).padStart(2, '0')}:00+08:00`,
        actor: first.reportedBy,
        type: 'commented' as const,
        stage: first.stage,
        tier: first.tier,
        note: `comment ${id}`,
      });
      await stores.cases.appendComment(comment('C2', 1, 5));
      await stores.cases.appendComment(comment('C1', 1, 2));
      expect((await stores.cases.get(first.id))?.case).toEqual(first);
      // A change made on the version the comments followed still applies: comments do not conflict with it.
      await stores.cases.apply(change({ ...first, stage: 'routed' }, first));
      await stores.cases.appendComment(comment('C3', 2, 1));
      // Written once: a second write of the same comment (a replayed request) fails and adds nothing.
      await expect(stores.cases.appendComment(comment('C1', 1, 2))).rejects.toThrow();
      const timeline = await stores.cases.timeline(first.id);
      expect(timeline.map((entry) => [entry.seq, entry.id ?? null, entry.type])).toEqual([
        [1, null, 'commented'],
        [1, 'C1', 'commented'],
        [1, 'C2', 'commented'],
        [2, null, 'commented'],
        [2, 'C3', 'commented'],
      ]);
      expect(timeline[1]).toEqual(comment('C1', 1, 2));
      expect((await stores.cases.get(first.id))?.case.version).toBe(2);
    });

    test('timeline pages: the latest entries first, older ones by cursor, each entry once and in order; a foreign cursor is InvalidCursor', async () => {
      let event = await created(stores, stored('E20261123-AAAAAA'));
      const other = await created(stores, stored('E20261123-BBBBBB'));
      for (let version = 1; version <= 6; version++) {
        for (const id of ['A', 'B'])
          await stores.cases.appendComment({
            eventId: event.id,
            seq: version,
            id: `${id}${version}`,
            at: `${DAY}T10:0${version}:00+08:00`,
            actor: event.reportedBy,
            type: 'commented',
            stage: event.stage,
            tier: event.tier,
          });
        if (version < 6) {
          const next = change({ ...event }, event);
          await stores.cases.apply(next);
          event = next.case;
        }
      }
      const whole = await stores.cases.timeline(event.id);
      expect(whole).toHaveLength(18);
      const latest = await stores.cases.timelinePage(event.id, 100);
      expect(latest).toEqual({ entries: whole });
      for (const limit of [1, 4, 5, 17, 18]) {
        const pages: (typeof whole)[] = [];
        let cursor: string | undefined;
        do {
          const page = await stores.cases.timelinePage(event.id, limit, cursor);
          expect(page.entries.length).toBeLessThanOrEqual(limit);
          pages.unshift(page.entries);
          cursor = page.olderCursor;
        } while (cursor && pages.length < 30);
        expect(pages.flat()).toEqual(whole);
        expect(pages[pages.length - 1]).toEqual(whole.slice(-limit));
      }
      const first = await stores.cases.timelinePage(event.id, 2);
      expect(first.entries.map((entry) => entry.id)).toEqual(['A6', 'B6']);
      await expect(stores.cases.timelinePage(other.id, 2, first.olderCursor)).rejects.toBeInstanceOf(InvalidCursor);
      await expect(stores.cases.timelinePage(event.id, 2, 'garbage')).rejects.toBeInstanceOf(InvalidCursor);
      expect(await stores.cases.timelinePage('E20261123-NOPENO', 10)).toEqual({ entries: [] });
    });

    test('a finished day folded reads the same; folding again changes nothing; a late write to the folded day counts, once', async () => {
      const counted = (event: Case, day = DAY) =>
        unitCounters(event.gridCode, day, { reported: 1, [`reported@g:${event.gridCode}`]: 1, [`reported@${event.itemCode}`]: 1 });
      for (let index = 0; index < 30; index++) {
        const event = stored(`E20261123-F${String(index).padStart(5, '0')}`, { gridCode: index % 3 ? GRID : OTHER_GRID });
        await created(stores, event, { counters: [...counted(event), ...(index % 5 ? [] : counted(event, '2026-11-24'))] });
      }
      const district = { kind: 'unit' as const, code: '441302' };
      const figures = () => stores.counters.read(district, '2026-11-22', '2026-11-24');
      const expected = [
        { day: DAY, counts: { reported: 30, 'reported@01-01': 30, [`reported@g:${GRID}`]: 20, [`reported@g:${OTHER_GRID}`]: 10 } },
        { day: '2026-11-24', counts: { reported: 6, 'reported@01-01': 6, [`reported@g:${GRID}`]: 4, [`reported@g:${OTHER_GRID}`]: 2 } },
      ];
      expect(await figures()).toEqual(expected);

      await stores.counters.fold(district, '2026-11-22', DAY);
      expect(await figures()).toEqual(expected);
      expect(await stores.counters.fold(district, '2026-11-22', DAY)).toBe(0);
      expect(await figures()).toEqual(expected);
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, DAY)).toEqual([
        { day: DAY, counts: { reported: 20, 'reported@01-01': 20, [`reported@g:${GRID}`]: 20 } },
      ]);

      // Counted into the folded day afterwards (as a patrol recorded a day late is), then folded by two at once.
      const late = stored('E20261124-LATE01');
      await created(stores, late, { counters: counted(late) });
      const withLate = [
        { day: DAY, counts: { ...expected[0].counts, reported: 31, 'reported@01-01': 31, [`reported@g:${GRID}`]: 21 } },
        expected[1],
      ];
      expect(await figures()).toEqual(withLate);
      await Promise.all([stores.counters.fold(district, DAY, DAY), stores.counters.fold(district, DAY, DAY)]);
      expect(await figures()).toEqual(withLate);
    });

    test('a waiting task: kept with a change, replaced by saveWaitingTask at the version read (which moves it on), else refused', async () => {
      const task: WaitingTask = { token: 't1', waitingFor: 'acceptance', since: `${DAY}T09:00:01+08:00`, loops: 0 };
      const event = await created(stores, stored('E20261123-AAAAAA', { awaitingLifecycle: true }), { waitingTask: task });
      expect(await stores.cases.get(event.id)).toEqual({ case: event, waitingTask: task });
      const next: WaitingTask = { ...task, token: 't2', waitingFor: 'handling' };
      expect(await stores.cases.saveWaitingTask(event.id, 7, next)).toBe(false);
      expect(await stores.cases.saveWaitingTask(event.id, 1, next)).toBe(true);
      const after = await stores.cases.get(event.id);
      expect(after?.waitingTask).toEqual(next);
      expect(after?.case.version).toBe(2);
      expect(after?.case.awaitingLifecycle).toBeUndefined();
      expect(await stores.cases.saveWaitingTask('E20261123-NOPENO', 1, next)).toBe(false);
      // A change without a task clears it.
      await stores.cases.apply(change({ ...after!.case, stage: 'routed' }, after!.case));
      expect((await stores.cases.get(event.id))?.waitingTask).toBeUndefined();
    });

    test('list: open before closed, then by grid and time, every case once across its pages; filters; a foreign cursor is InvalidCursor', async () => {
      const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00+08:00`;
      await created(stores, stored('E20261123-C00001', { gridCode: OTHER_GRID, createdAt: at(8) }));
      await created(stores, stored('E20261123-C00002', { createdAt: at(10) }));
      await created(stores, stored('E20261123-C00003', { createdAt: at(9), stage: 'routed' }));
      await created(stores, stored('E20261123-C00004', { createdAt: at(7), status: 'closed', stage: 'archived' }));
      await created(stores, stored('E20261123-C00005', { createdAt: at(11) }));
      await created(stores, stored('E20261123-C00006', { gridCode: '441303010001001', createdAt: at(11) }));
      const expected = ['E20261123-C00003', 'E20261123-C00002', 'E20261123-C00005', 'E20261123-C00001', 'E20261123-C00004'];
      for (const limit of [1, 2, 5, 10]) {
        expect(await allPages((cursor) => stores.cases.list({ unitPrefix: '441302', limit, cursor }), limit)).toEqual(expected);
      }
      const open = await stores.cases.list({ unitPrefix: GRID, status: 'open', limit: 10 });
      expect(open.items.map((event) => event.id)).toEqual(['E20261123-C00003', 'E20261123-C00002', 'E20261123-C00005']);
      const routed = await stores.cases.list({ unitPrefix: '441302', stage: 'routed', limit: 10 });
      expect(routed.items.map((event) => event.id)).toEqual(['E20261123-C00003']);
      const morning = await stores.cases.list({ unitPrefix: GRID, from: at(9), to: at(10), limit: 10 });
      expect(morning.items.map((event) => event.id)).toEqual(['E20261123-C00003', 'E20261123-C00002']);
      await expect(stores.cases.list({ unitPrefix: '441302', limit: 2, cursor: 'garbage' })).rejects.toBeInstanceOf(InvalidCursor);
    });

    test('the open overdue cases: listed by grid and time, paged, filtered; a case that closes or is not overdue is not on it', async () => {
      const at = (hour: number) => `${DAY}T${String(hour).padStart(2, '0')}:00:00+08:00`;
      const late = await created(stores, stored('E20261123-D00001', { overdue: true, createdAt: at(9), stage: 'routed' }));
      await created(stores, stored('E20261123-D00002', { overdue: true, createdAt: at(8), gridCode: OTHER_GRID }));
      await created(stores, stored('E20261123-D00003', { overdue: true, createdAt: at(7) }));
      await created(stores, stored('E20261123-D00004', { createdAt: at(6) }));
      await created(stores, stored('E20261123-D00005', { overdue: true, status: 'closed', stage: 'archived', createdAt: at(5) }));
      const overdue = (query: { unitPrefix: string; stage?: Case['stage'] }, limit = 10, cursor?: string) =>
        stores.cases.list({ ...query, status: 'open', overdue: true, limit, cursor });
      for (const limit of [1, 2, 10])
        expect(await allPages((cursor) => overdue({ unitPrefix: '441302' }, limit, cursor), limit)).toEqual([
          'E20261123-D00003',
          'E20261123-D00001',
          'E20261123-D00002',
        ]);
      expect((await overdue({ unitPrefix: GRID })).items.map((event) => event.id)).toEqual(['E20261123-D00003', 'E20261123-D00001']);
      expect((await overdue({ unitPrefix: '441302', stage: 'routed' })).items.map((event) => event.id)).toEqual(['E20261123-D00001']);
      await stores.cases.apply(change({ ...late, status: 'closed', stage: 'archived' }, late));
      expect((await overdue({ unitPrefix: GRID })).items.map((event) => event.id)).toEqual(['E20261123-D00003']);
      expect((await stores.cases.list({ unitPrefix: GRID, overdue: true, limit: 10 })).items.map((event) => event.id)).toEqual([
        'E20261123-D00003',
        'E20261123-D00005',
        'E20261123-D00001',
      ]);
    });

    test('district-wide lists over many streets: every case once, in order, across pages of any size (the street shards merged)', async () => {
      // Streets 010 and 018 share a shard (8 shards: 10 % 8 = 18 % 8), 001 and 025 others; one case of another district.
      const grids = ['441302010001001', '441302018002001', '441302001001001', '441302025003002', '441302010004001'];
      const ids: string[] = [];
      for (let index = 0; index < 23; index++) {
        const id = `E20261123-M${String(index).padStart(5, '0')}`;
        ids.push(id);
        await created(
          stores,
          stored(id, {
            gridCode: grids[index % grids.length],
            createdAt: `${DAY}T${String(8 + (index % 7)).padStart(2, '0')}:00:00+08:00`,
            severity: ((index % 4) + 1) as Case['severity'],
            deadlineAt: `2026-11-2${4 + (index % 5)}T09:00:00+08:00`,
            ...(index % 6 === 5 ? { status: 'closed', stage: 'archived' } : {}),
          }),
        );
      }
      await created(stores, stored('E20261123-MOTHER', { gridCode: '441303010001001' }));
      const all = await allPages((cursor) => stores.cases.list({ unitPrefix: '441302', limit: 100, cursor }), 100);
      expect([...all].sort()).toEqual([...ids].sort());
      for (const limit of [1, 2, 3, 7]) {
        expect(await allPages((cursor) => stores.cases.list({ unitPrefix: '441302', limit, cursor }), limit)).toEqual(all);
        expect(await allPages((cursor) => stores.cases.list({ unitPrefix: '441302', status: 'open', limit, cursor }), limit)).toEqual(
          all.slice(0, 20),
        );
        expect(await allPages((cursor) => stores.caseLists.mostUrgent('441302', limit, cursor), limit)).toHaveLength(20);
      }
      const urgent = await allPages((cursor) => stores.caseLists.mostUrgent('441302', 4, cursor), 4);
      const byUrgency = async (id: string) => {
        const event = (await stores.cases.get(id))!.case;
        return `${event.severity}#${event.deadlineAt}#${event.id}`;
      };
      const keysInOrder = await Promise.all(urgent.map(byUrgency));
      expect(keysInOrder).toEqual([...keysInOrder].sort());
      // A street below the district: only its own cases, though its shard holds another street's.
      const street = await allPages((cursor) => stores.caseLists.mostUrgent('441302010', 2, cursor), 2);
      expect(street.length).toBeGreaterThan(0);
      for (const id of street) expect((await stores.cases.get(id))!.case.gridCode.startsWith('441302010')).toBe(true);
      expect(await allPages((cursor) => stores.cases.list({ unitPrefix: '441302018', limit: 2, cursor }), 2)).toEqual(
        all.filter((id) => ids.indexOf(id) % grids.length === 1),
      );
    });

    test("a handler's list holds the cases waiting on them, soonest deadline first", async () => {
      const waiting = (id: string, deadlineAt: string, stage: Case['stage'] = 'routed') =>
        created(stores, stored(id, { stage, assignee: worker, deadlineAt }));
      await waiting('E20261123-H00001', '2026-11-25T09:00:00+08:00');
      await waiting('E20261123-H00002', '2026-11-24T09:00:00+08:00', 'handling');
      await waiting('E20261123-H00003', '2026-11-23T18:00:00+08:00', 'verifying');
      await created(stores, stored('E20261123-H00004', { stage: 'routed' }));
      await waiting('E20261123-H00005', '2026-11-26T09:00:00+08:00');
      const ids = await allPages((cursor) => stores.caseLists.openCasesOf(assigneeKey(worker), 2, cursor), 2);
      expect(ids).toEqual(['E20261123-H00002', 'E20261123-H00001', 'E20261123-H00005']);
      await expect(stores.caseLists.openCasesOf(assigneeKey(worker), 2, '!!')).rejects.toBeInstanceOf(InvalidCursor);
    });

    test('the urgency list: open cases of the unit, level 1 first, then the least time left', async () => {
      await created(stores, stored('E20261123-U00001', { severity: 3, deadlineAt: '2026-11-24T09:00:00+08:00' }));
      await created(stores, stored('E20261123-U00002', { severity: 1, deadlineAt: '2026-11-25T09:00:00+08:00' }));
      await created(stores, stored('E20261123-U00003', { severity: 3, deadlineAt: '2026-11-23T12:00:00+08:00' }));
      await created(stores, stored('E20261123-U00004', { severity: 1, status: 'closed', stage: 'archived' }));
      await created(stores, stored('E20261123-U00005', { severity: 2, gridCode: OTHER_GRID }));
      await created(stores, stored('E20261123-U00006', { severity: 4 }));
      expect(await allPages((cursor) => stores.caseLists.mostUrgent('441302', 2, cursor), 2)).toEqual([
        'E20261123-U00002',
        'E20261123-U00005',
        'E20261123-U00003',
        'E20261123-U00001',
        'E20261123-U00006',
      ]);
      expect(await allPages((cursor) => stores.caseLists.mostUrgent(GRID, 1, cursor), 1)).toEqual([
        'E20261123-U00002',
        'E20261123-U00003',
        'E20261123-U00001',
        'E20261123-U00006',
      ]);
    });

    test("the change list: a unit's cases changed at or after a moment, open or closed, earliest change first; a case changed again moves later", async () => {
      const changedAt = (id: string, gridCode: string, updatedAt: string, extra: Partial<Case> = {}) =>
        created(stores, stored(id, { gridCode, updatedAt, ...extra }));
      const first = await changedAt('E20261123-C00001', GRID, '2026-11-23T09:00:00.250+08:00');
      await changedAt('E20261123-C00002', '441302011001001', '2026-11-23T09:30:00+08:00');
      await changedAt('E20261123-C00003', OTHER_GRID, '2026-11-23T10:00:00+08:00', { status: 'closed', stage: 'archived' });
      await changedAt('E20261123-C00004', GRID, '2026-11-23T08:00:00+08:00');
      await changedAt('E20261123-C00005', '441303010001001', '2026-11-23T09:10:00+08:00');
      const since = '2026-11-23T09:00:00.250+08:00';
      for (const limit of [1, 2, 3, 10])
        expect(await allPages((cursor) => stores.caseLists.changedSince('441302', since, limit, cursor), limit)).toEqual([
          'E20261123-C00001',
          'E20261123-C00002',
          'E20261123-C00003',
        ]);
      // The same moment in UTC; a street (its shard holds no other street here, the filter holds all the same); a grid.
      expect(await allPages((cursor) => stores.caseLists.changedSince('441302', '2026-11-23T01:00:00.250Z', 2, cursor), 2)).toHaveLength(3);
      expect(await allPages((cursor) => stores.caseLists.changedSince('441302010', since, 1, cursor), 1)).toEqual([
        'E20261123-C00001',
        'E20261123-C00003',
      ]);
      expect(await allPages((cursor) => stores.caseLists.changedSince(GRID, '2026-11-23T07:00:00+08:00', 5, cursor), 5)).toEqual([
        'E20261123-C00004',
        'E20261123-C00001',
      ]);
      // The page holds the cases as they are now.
      await stores.cases.apply(change({ ...first, stage: 'handling', updatedAt: '2026-11-23T11:00:00+08:00', version: 2 }, first));
      const page = await stores.caseLists.changedSince('441302', '2026-11-23T09:20:00+08:00', 10);
      expect(page.items.map((event) => [event.id, event.stage])).toEqual([
        ['E20261123-C00002', 'registered'],
        ['E20261123-C00003', 'archived'],
        ['E20261123-C00001', 'handling'],
      ]);
      expect((await stores.caseLists.changedSince('441302', '2026-11-23T11:00:00.001+08:00', 10)).items).toEqual([]);
      await expect(stores.caseLists.changedSince('441302', since, 2, '!!')).rejects.toBeInstanceOf(InvalidCursor);
    });

    test("the change list of a department's teams: only the cases one of them handles or handled, in pages", async () => {
      const changedAt = (id: string, updatedAt: string, involvedDepartments: string[], gridCode = GRID) =>
        created(stores, stored(id, { gridCode, updatedAt, involvedDepartments }));
      await changedAt('E20261123-T00001', '2026-11-23T09:00:00+08:00', ['441302010:urban-management']);
      await changedAt('E20261123-T00002', '2026-11-23T09:10:00+08:00', []);
      await changedAt('E20261123-T00003', '2026-11-23T09:20:00+08:00', ['441302010:urban-management', '441302:urban-management']);
      await changedAt('E20261123-T00004', '2026-11-23T09:30:00+08:00', ['441302:water'], OTHER_GRID);
      await changedAt('E20261123-T00005', '2026-11-23T09:40:00+08:00', ['441302:urban-management'], '441302011001001');
      const since = '2026-11-23T09:00:00+08:00';
      const involving = (teams: string[], unit = '441302', limit = 1) =>
        allPages((cursor) => stores.caseLists.changedSince(unit, since, limit, cursor, teams), limit);
      expect(await involving(['441302:urban-management'])).toEqual(['E20261123-T00003', 'E20261123-T00005']);
      expect(await involving(['441302:urban-management'], '441302', 10)).toEqual(['E20261123-T00003', 'E20261123-T00005']);
      expect(await involving(['441302010:urban-management'], '441302010')).toEqual(['E20261123-T00001', 'E20261123-T00003']);
      expect(await involving(['441302:water', '441302010:urban-management'])).toEqual([
        'E20261123-T00001',
        'E20261123-T00003',
        'E20261123-T00004',
      ]);
      expect(await involving(['441302:parks'])).toEqual([]);
    });

    test('the sweeper sees open cases awaiting their lifecycle stored before a moment, and no others', async () => {
      await created(stores, stored('E20261123-S00001', { awaitingLifecycle: true, createdAt: `${DAY}T08:00:00+08:00` }));
      await created(stores, stored('E20261123-S00002', { awaitingLifecycle: true, createdAt: `${DAY}T08:30:00+08:00` }));
      await created(stores, stored('E20261123-S00003', { createdAt: `${DAY}T08:10:00+08:00` }));
      await created(
        stores,
        stored('E20261123-S00004', { awaitingLifecycle: true, status: 'closed', stage: 'voided', createdAt: `${DAY}T08:10:00+08:00` }),
      );
      await created(stores, stored('E20261123-S00005', { awaitingLifecycle: true, createdAt: `${DAY}T10:00:00+08:00` }));
      const found: string[] = [];
      for await (const id of stores.caseLists.unstartedCases('441302', `${DAY}T09:00:00+08:00`)) found.push(id);
      expect(found).toEqual(['E20261123-S00001', 'E20261123-S00002']);
    });

    test('the sweeper sees the open cases whose deadline ran on a plain week, by first year; a case leaves when counted again', async () => {
      const onPlainWeek = (years: number[]) => ({
        kind: 'handling' as const,
        startedAt: '2026-12-31T10:00:00+08:00',
        deadlineAt: '2027-01-01T10:00:00+08:00',
        reminders: 0,
        nudges: 0,
        plainWeek: { years, from: '2026-12-31T10:00:00+08:00', limit: { workingDays: 1 } },
      });
      const first = stored('E20261123-W00001', { stage: 'routed', clock: onPlainWeek([2028]) });
      await created(stores, first);
      await created(stores, stored('E20261123-W00002', { stage: 'routed', clock: onPlainWeek([2027, 2028]) }));
      await created(stores, stored('E20261123-W00003', { stage: 'archived', status: 'closed', clock: onPlainWeek([2027]) }));
      await created(stores, stored('E20261123-W00004', { stage: 'routed', clock: { ...onPlainWeek([]), plainWeek: undefined } }));
      const list = async () => {
        const found: { eventId: string; year: number }[] = [];
        for await (const entry of stores.caseLists.plainWeekCases('441302')) found.push(entry);
        return found;
      };
      expect(await list()).toEqual([
        { eventId: 'E20261123-W00002', year: 2027 },
        { eventId: 'E20261123-W00001', year: 2028 },
      ]);
      const { plainWeek: _flag, ...counted } = onPlainWeek([2028]);
      await stores.cases.apply(change({ ...first, clock: counted, version: 2 }, first));
      expect(await list()).toEqual([{ eventId: 'E20261123-W00002', year: 2027 }]);
    });

    test('duplicate candidates: open, located, not duplicates themselves, of the item, in the cells, since the moment', async () => {
      const here = { lat: 23.1315, lng: 114.4152 };
      const far = { lat: 23.2, lng: 114.5 };
      const { geohash, NEARBY_PRECISION } = await import('../../shared/domain/geohash');
      const cell = geohash(here.lat, here.lng, NEARBY_PRECISION);
      await created(stores, stored('E20261123-D00001', { location: here, createdAt: `${DAY}T09:00:00+08:00` }));
      await created(stores, stored('E20261123-D00002', { location: here, duplicateOf: 'E20261123-D00001' }));
      await created(stores, stored('E20261123-D00003', { location: far }));
      await created(stores, stored('E20261123-D00004', { location: here, status: 'closed', stage: 'archived' }));
      await created(stores, stored('E20261123-D00005', { location: here, itemCode: '02-03' }));
      await created(stores, stored('E20261123-D00006', { location: here, createdAt: `${DAY}T07:00:00+08:00` }));
      await created(stores, stored('E20261123-D00007', { location: undefined }));
      const found = await stores.caseLists.recentOpenOfItemNear('01-01', [cell], `${DAY}T08:00:00+08:00`);
      expect(found).toEqual([
        expect.objectContaining({ id: 'E20261123-D00001', itemCode: '01-01', gridCode: GRID, createdAt: `${DAY}T09:00:00+08:00` }),
      ]);
      expect(found[0].location).toMatchObject(here);
    });
  });

  describe('SMS intents', () => {
    const intent = (id: string) => ({
      id,
      createdAt: '2026-11-23T10:00:00+08:00',
      message: {
        to: '13000001001',
        recipientRole: 'handler',
        template: 'assigned',
        params: {},
        text: '请处理',
        textEn: 'Please handle',
        parts: 1,
      },
    });
    const at = new Date('2026-11-23T02:00:01Z');

    test("a change's SMS commit with it, and a stale change's are not stored", async () => {
      const first = await created(stores, stored('E20261123-AAAAAA'));
      await stores.cases.apply({ ...change({ ...first, stage: 'routed' }, first), messages: [intent('E20261123-AAAAAA.2.1')] });
      await expect(
        stores.cases.apply({ ...change({ ...first, stage: 'handling' }, first), messages: [intent('E20261123-AAAAAA.2.9')] }),
      ).rejects.toBeInstanceOf(VersionConflict);
      expect(await stores.smsIntents.beginAttempt('E20261123-AAAAAA.2.1', at)).toEqual({ settled: false, earlierAttempts: 0 });
      // Never stored: nothing to send.
      expect(await stores.smsIntents.beginAttempt('E20261123-AAAAAA.2.9', at)).toEqual({ settled: true });
    });

    test('a change with more SMS than a transaction holds with their case entries commits (a feedback to 60 linked reporters), every one listed', async () => {
      const first = await created(stores, stored('E20261123-FFFFFF'));
      const many = Array.from({ length: 60 }, (_, n) => ({
        ...intent(`E20261123-FFFFFF.2.${n + 1}`),
        message: { ...intent('x').message, eventId: first.id, to: `1300000${String(n).padStart(4, '0')}` },
      }));
      await stores.cases.apply({ ...change({ ...first, stage: 'feedback' }, first), messages: many });
      expect((await stores.cases.get(first.id))?.case.stage).toBe('feedback');
      expect(await stores.smsIntents.beginAttempt('E20261123-FFFFFF.2.60', at)).toEqual({ settled: false, earlierAttempts: 0 });
      expect((await stores.smsIntents.ofCase(first.id)).length).toBe(60);
    });

    test('a change with more SMS than a transaction holds at all commits whole (a feedback to 150 linked reporters): each stored and listed once, none added again', async () => {
      const first = await created(stores, stored('E20261123-GGGGGG'));
      const feedback = Array.from({ length: 151 }, (_, n) => ({
        ...intent(`E20261123-GGGGGG.2.${n + 1}`),
        message: { ...intent('x').message, eventId: first.id, to: `1390000${String(n).padStart(4, '0')}` },
      }));
      const fedBack = { ...change({ ...first, stage: 'feedback' }, first), messages: feedback };
      await stores.cases.apply(fedBack);
      expect((await stores.cases.get(first.id))?.case).toMatchObject({ stage: 'feedback', version: 2 });
      const ids = feedback.map((each) => each.id).sort();
      const listed = await stores.smsIntents.ofCase(first.id);
      expect(listed.map((message) => message.intentId).sort()).toEqual(ids);
      expect(listed.every((message) => message.status === 'pending')).toBe(true);
      for (const each of [feedback[0], feedback[99], feedback[150]])
        expect(await stores.smsIntents.beginAttempt(String(each?.id), at)).toEqual({ settled: false, earlierAttempts: 0 });
      // The change again (a retried step): refused, nothing added; stored again (as the SMS sender stores what a change owes): once.
      await expect(stores.cases.apply(fedBack)).rejects.toBeInstanceOf(VersionConflict);
      await stores.smsIntents.add(feedback.slice(100));
      expect(await stores.smsIntents.beginAttempt(String(feedback[150]?.id), at)).toEqual({ settled: false, earlierAttempts: 1 });
      expect((await stores.smsIntents.ofCase(first.id)).map((message) => message.intentId).sort()).toEqual(ids);
    });

    test('attempts are counted until an outcome is recorded, once; an intent added again stays as it was', async () => {
      await stores.smsIntents.add([intent('i-1')]);
      expect(await stores.smsIntents.beginAttempt('i-1', at)).toEqual({ settled: false, earlierAttempts: 0 });
      await stores.smsIntents.add([intent('i-1')]);
      expect(await stores.smsIntents.beginAttempt('i-1', at)).toEqual({ settled: false, earlierAttempts: 1 });
      await stores.smsIntents.releaseAttempt('i-1');
      expect(await stores.smsIntents.beginAttempt('i-1', at)).toEqual({ settled: false, earlierAttempts: 1 });
      expect(await stores.smsIntents.settle('i-1', { sent: true, messageId: 'm-1' }, at)).toBe(true);
      expect(await stores.smsIntents.settle('i-1', { sent: false, error: 'late' }, at)).toBe(false);
      expect(await stores.smsIntents.beginAttempt('i-1', at)).toEqual({ settled: true });
    });

    test("a case's SMS are listed with it, oldest first, masked, with where each stands; an SMS about no case is on none", async () => {
      const first = await created(stores, stored('E20261123-AAAAAA'));
      await created(stores, stored('E20261123-BBBBBB'));
      const about = (id: string, createdAt: string, subject: { eventId?: string; eventIds?: string[] }) => ({
        ...intent(id),
        createdAt,
        message: { ...intent(id).message, ...subject },
      });
      await stores.cases.apply({
        ...change({ ...first, stage: 'routed' }, first),
        messages: [about('E20261123-AAAAAA.2.1', '2026-11-23T10:00:00+08:00', { eventId: first.id })],
      });
      await stores.smsIntents.add([
        about('r-1', '2026-11-23T11:00:00+08:00', { eventId: first.id }),
        about('d-1', '2026-11-23T12:00:00+08:00', { eventId: 'E20261123-BBBBBB', eventIds: ['E20261123-BBBBBB', first.id] }),
        about('h-1', '2026-11-23T13:00:00+08:00', { eventId: first.id }),
        about('x-1', '2026-11-23T09:00:00+08:00', {}),
      ]);
      expect(await stores.smsIntents.settle('E20261123-AAAAAA.2.1', { sent: true, messageId: 'm-1' }, at)).toBe(true);
      await stores.smsIntents.settle('r-1', { sent: false, error: 'provider down' }, at);
      await stores.smsIntents.settle('h-1', { sent: false, error: 'not sent: the daily cap', held: true }, at);
      // Added again (a retried job): listed once.
      await stores.smsIntents.add([about('r-1', '2026-11-23T11:00:00+08:00', { eventId: first.id })]);

      const listed = await stores.smsIntents.ofCase(first.id);
      expect(listed.map(({ intentId, status }) => [intentId, status])).toEqual([
        ['E20261123-AAAAAA.2.1', 'sent'],
        ['r-1', 'failed'],
        ['d-1', 'pending'],
        ['h-1', 'held'],
      ]);
      expect(listed[0]).toEqual({
        intentId: 'E20261123-AAAAAA.2.1',
        template: 'assigned',
        recipientRole: 'handler',
        recipient: '130****1001',
        createdAt: '2026-11-23T10:00:00+08:00',
        status: 'sent',
        settledAt: at.toISOString(),
      });
      expect(listed[1]).toMatchObject({ error: 'provider down', settledAt: at.toISOString() });
      // A digest says how many other cases it covered, never which (whoever sees this case may not see those).
      expect(listed[2]).toMatchObject({ alsoForCount: 1 });
      expect(listed[2]).not.toHaveProperty('settledAt');
      expect(JSON.stringify(listed)).not.toContain('E20261123-BBBBBB');
      const other = await stores.smsIntents.ofCase('E20261123-BBBBBB');
      expect(other.map((message) => [message.intentId, message.alsoForCount])).toEqual([['d-1', 1]]);
      expect(JSON.stringify(other)).not.toContain(first.id);
      expect(await stores.smsIntents.ofCase('E20261123-CCCCCC')).toEqual([]);
      // The case's timeline is the timeline still: its SMS entries are not entries of it.
      expect((await stores.cases.timeline(first.id)).map((entry) => entry.seq)).toEqual([1, 2]);
    });
  });

  describe('request guards', () => {
    test('a rate window counts its hits; a one-off claim is granted once', async () => {
      const expiresAt = new Date('2026-11-23T03:00:00Z');
      expect(await stores.guards.countHit('citizen#1.2.3.4#1', expiresAt)).toBe(1);
      expect(await stores.guards.countHit('citizen#1.2.3.4#1', expiresAt)).toBe(2);
      expect(await stores.guards.countHit('citizen#1.2.3.4#2', expiresAt)).toBe(1);
      expect(await stores.guards.claimOnce('patrol-missing#x', expiresAt)).toBe(true);
      expect(await stores.guards.claimOnce('patrol-missing#x', expiresAt)).toBe(false);
      expect(await stores.guards.claimOnce('patrol-missing#y', expiresAt)).toBe(true);
    });
  });

  describe('verification codes', () => {
    test('one pending code a phone: each try is counted, a new code starts again, a code is used up once', async () => {
      const expiresAt = new Date('2026-11-23T01:10:00Z');
      const keepUntil = new Date('2026-11-24T01:10:00Z');
      expect(await stores.verifications.countTry('+8613000001234')).toBeUndefined();
      await stores.verifications.putCode('+8613000001234', 'hash-1', expiresAt, keepUntil);
      expect(await stores.verifications.countTry('+8613000001234')).toEqual({ codeHash: 'hash-1', tries: 1, expiresAt });
      expect(await stores.verifications.countTry('+8613000001234')).toMatchObject({ tries: 2 });
      await stores.verifications.putCode('+8613000001234', 'hash-2', expiresAt, keepUntil);
      expect(await stores.verifications.countTry('+8613000001234')).toEqual({ codeHash: 'hash-2', tries: 1, expiresAt });
      expect(await stores.verifications.useCode('+8613000001234', 'hash-1')).toBe(false);
      expect(await stores.verifications.useCode('+8613000001234', 'hash-2')).toBe(true);
      expect(await stores.verifications.useCode('+8613000001234', 'hash-2')).toBe(false);
      expect(await stores.verifications.countTry('+8613000001234')).toBeUndefined();
    });
  });

  describe('seen cases', () => {
    test("a person's openings: the first time stays, in case id order, nobody else's", async () => {
      const keepUntil = new Date('2026-12-23T01:00:00Z');
      expect(await stores.seenCases.seenBy('dc-a')).toEqual([]);
      expect(await stores.seenCases.markSeen('dc-a', 'E20261123-000002', new Date('2026-11-23T01:00:00Z'), keepUntil)).toEqual({
        id: 'E20261123-000002',
        at: '2026-11-23T01:00:00.000Z',
      });
      await stores.seenCases.markSeen('dc-a', 'E20261123-000001', new Date('2026-11-23T01:05:00Z'), keepUntil);
      // Opened again later: still the first time.
      expect(await stores.seenCases.markSeen('dc-a', 'E20261123-000002', new Date('2026-11-23T02:00:00Z'), keepUntil)).toEqual({
        id: 'E20261123-000002',
        at: '2026-11-23T01:00:00.000Z',
      });
      await stores.seenCases.markSeen('dc-b', 'E20261123-000003', new Date('2026-11-23T01:00:00Z'), keepUntil);
      expect(await stores.seenCases.seenBy('dc-a')).toEqual([
        { id: 'E20261123-000001', at: '2026-11-23T01:05:00.000Z' },
        { id: 'E20261123-000002', at: '2026-11-23T01:00:00.000Z' },
      ]);
      expect(await stores.seenCases.seenBy('dc-b')).toEqual([{ id: 'E20261123-000003', at: '2026-11-23T01:00:00.000Z' }]);
    });
  });

  describe('published reports', () => {
    test('one per kind, scope and period', async () => {
      const report = { kind: 'daily', scope: { kind: 'unit', code: '441302' }, period: { label: DAY }, totals: { reported: 3 } };
      await stores.reports.save(report as never);
      expect(await stores.reports.get('daily', '441302', DAY)).toEqual(report);
      expect(await stores.reports.get('daily', '441302', '2026-11-24')).toBeUndefined();
      expect(await stores.reports.get('weekly', '441302', DAY)).toBeUndefined();
    });
  });

  describe('reminder windows', () => {
    const phone = '13000000001';
    const ends = (minute: number) => new Date(Date.UTC(2026, 10, 23, 1, minute));
    const keep = new Date('2026-11-25T00:00:00Z');

    test('one caller opens a window; folds go into its digest, due at its end, taken once by the next window', async () => {
      expect(await stores.reminders.reminderWindow(phone)).toBeUndefined();
      expect(await stores.reminders.openReminderWindow(phone, undefined, ends(30), keep)).toEqual([]);
      expect(await stores.reminders.openReminderWindow(phone, undefined, ends(30), keep)).toBeUndefined();
      const window = await stores.reminders.reminderWindow(phone);
      expect(window).toEqual({ phone, endsAt: ends(30).toISOString(), folded: [] });

      expect(await stores.reminders.foldReminder(phone, window!.endsAt, reminder('E1'), keep)).toBe(true);
      expect(await stores.reminders.foldReminder(phone, window!.endsAt, reminder('E2'), keep)).toBe(true);
      expect(await stores.reminders.foldReminder(phone, '2026-11-23T00:00:00.000Z', reminder('E3'), keep)).toBe(false);
      expect((await stores.reminders.reminderWindow(phone))?.folded).toEqual([reminder('E1'), reminder('E2')]);

      expect(await stores.reminders.dueReminderDigests(ends(29), 10)).toEqual([{ phone, dueAt: '2026-11-23T00:00:00.000Z' }]);
      const due = await stores.reminders.dueReminderDigests(ends(30), 10);
      expect(due).toEqual([
        { phone, dueAt: '2026-11-23T00:00:00.000Z' },
        { phone, dueAt: ends(30).toISOString() },
      ]);
      // The stale listing (its fold failed) is dropped by the sweep that finds it.
      expect(await stores.reminders.takeDueDigest(due[0], ends(60), keep)).toEqual([]);
      expect(await stores.reminders.takeDueDigest(due[1], ends(60), keep)).toEqual([reminder('E1'), reminder('E2')]);
      expect(await stores.reminders.takeDueDigest(due[1], ends(90), keep)).toEqual([]);
      expect(await stores.reminders.dueReminderDigests(ends(120), 10)).toEqual([]);
      expect(await stores.reminders.reminderWindow(phone)).toEqual({ phone, endsAt: ends(60).toISOString(), folded: [] });
    });

    test('a listing whose phone is still in that window stays (its fold may be on the way); opening the next window returns what was folded', async () => {
      await stores.reminders.openReminderWindow(phone, undefined, ends(30), keep);
      const seen = ends(30).toISOString();
      expect(await stores.reminders.takeDueDigest({ phone, dueAt: seen }, ends(60), keep)).toEqual([]);
      await stores.reminders.foldReminder(phone, seen, reminder('E1'), keep);
      expect(await stores.reminders.dueReminderDigests(ends(30), 10)).toEqual([{ phone, dueAt: seen }]);
      expect(await stores.reminders.openReminderWindow(phone, seen, ends(45), keep)).toEqual([reminder('E1')]);
      expect(await stores.reminders.dueReminderDigests(ends(50), 10)).toEqual([]);
    });

    test('the due list pages after a listing', async () => {
      for (const [index, each] of ['13000000003', '13000000002', '13000000001'].entries()) {
        await stores.reminders.openReminderWindow(each, undefined, ends(10 + index), keep);
        await stores.reminders.foldReminder(each, ends(10 + index).toISOString(), reminder(`E${index}`), keep);
      }
      const first = await stores.reminders.dueReminderDigests(ends(30), 2);
      expect(first.map((due) => due.phone)).toEqual(['13000000003', '13000000002']);
      expect(await stores.reminders.dueReminderDigests(ends(30), 2, first[1])).toEqual([
        { phone: '13000000001', dueAt: ends(12).toISOString() },
      ]);
    });
  });

  describe('patrols', () => {
    const counters = [count(GRID, { patrols: 1 }), count('441302', { patrols: 1 })];
    const firstOfDay = { grid: GRID, day: DAY, counters: [count(GRID, { patrolledGrids: 1 }), count('441302', { patrolledGrids: 1 })] };

    test("a grid's first patrol of the day counts the grid; a later one does not", async () => {
      expect(await stores.fieldWork.savePatrol(patrol('P1', `${DAY}T09:00:00+08:00`), counters, firstOfDay)).toEqual({ firstOfDay: true });
      expect(await stores.fieldWork.savePatrol(patrol('P2', `${DAY}T15:00:00+08:00`), counters, firstOfDay)).toEqual({ firstOfDay: false });
      expect(await stores.counters.read({ kind: 'unit', code: '441302' }, DAY, DAY)).toEqual([
        { day: DAY, counts: { patrols: 2, patrolledGrids: 1 } },
      ]);
      expect(await stores.fieldWork.patrolledGrids('441302', DAY)).toEqual([GRID]);
      expect(await stores.fieldWork.patrolledGrids('441302', '2026-11-24')).toEqual([]);
      const day = await stores.fieldWork.patrolsOn(GRID, DAY, 10);
      expect(day.items.map((each) => [each.id, each.firstOfDay])).toEqual([
        ['P1', true],
        ['P2', false],
      ]);
    });

    test("a unit's patrols of a day, by unit then time, across pages; a cursor of another unit is InvalidCursor", async () => {
      await stores.fieldWork.savePatrol(patrol('P3', `${DAY}T11:00:00+08:00`, OTHER_GRID), []);
      await stores.fieldWork.savePatrol(patrol('P2', `${DAY}T10:00:00+08:00`), []);
      await stores.fieldWork.savePatrol(patrol('P1', `${DAY}T08:00:00+08:00`), []);
      await stores.fieldWork.savePatrol(patrol('P4', `${DAY}T08:00:00+08:00`, '441302010001'), []);
      const ids: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await stores.fieldWork.patrolsOn('441302010', DAY, 2, cursor);
        ids.push(...page.items.map((each) => each.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(ids).toEqual(['P4', 'P1', 'P2', 'P3']);
      const first = await stores.fieldWork.patrolsOn('441302010', DAY, 1);
      expect(first.nextCursor).toBeDefined();
      await expect(stores.fieldWork.patrolsOn(OTHER_GRID, DAY, 1, first.nextCursor)).rejects.toBeInstanceOf(InvalidCursor);
      await expect(stores.fieldWork.patrolsOn('441302010', '2026-11-24', 1, first.nextCursor)).rejects.toBeInstanceOf(InvalidCursor);
      await expect(stores.fieldWork.patrolsOn('441302010', DAY, 1, 'garbage')).rejects.toBeInstanceOf(InvalidCursor);
    });

    test('a patrol with an idempotency claim: the claim holds the patrol as stored; a second save with its key is IdempotencyKeyTaken', async () => {
      const claim = { key: 'gw#patrol#k1', bodyHash: 'h', expiresAt: new Date('2026-11-24T01:00:00Z') };
      await stores.fieldWork.savePatrol(patrol('P1', `${DAY}T09:00:00+08:00`), counters, firstOfDay, claim);
      expect(await stores.guards.findClaim(claim.key)).toEqual({
        bodyHash: 'h',
        patrol: { ...patrol('P1', `${DAY}T09:00:00+08:00`), firstOfDay: true },
      });
      await expect(stores.fieldWork.savePatrol(patrol('P2', `${DAY}T09:00:00+08:00`), counters, firstOfDay, claim)).rejects.toBeInstanceOf(
        IdempotencyKeyTaken,
      );
      expect(await stores.counters.read({ kind: 'unit', code: GRID }, DAY, DAY)).toEqual([
        { day: DAY, counts: { patrols: 1, patrolledGrids: 1 } },
      ]);
    });
  });

  describe('campaigns', () => {
    test('a campaign, its list entry by deadline, and its answers: the first counted, a later one replacing it', async () => {
      await stores.fieldWork.createCampaign(campaign);
      expect(await stores.fieldWork.getCampaign(campaign.id)).toEqual({ campaign, responses: [] });
      expect(await stores.fieldWork.getCampaign('C-none')).toBeUndefined();
      const answer = {
        campaignId: campaign.id,
        person: 'gw-b',
        name: '乙',
        grid: OTHER_GRID,
        note: '已查',
        photos: [],
        done: false,
        at: '2026-11-24T10:00:00+08:00',
        late: false,
      };
      expect(await stores.fieldWork.saveCampaignResponse(campaign, answer)).toEqual({
        first: true,
        response: { ...answer, firstAt: answer.at, responses: 1 },
      });
      const later = { ...answer, note: '已整改', done: true, at: '2026-11-26T10:00:00+08:00', late: true };
      expect(await stores.fieldWork.saveCampaignResponse(campaign, later)).toEqual({
        first: false,
        response: { ...later, late: false, firstAt: answer.at, responses: 2 },
      });
      await stores.fieldWork.saveCampaignResponse(campaign, { ...answer, person: 'gw-a', name: '甲', grid: GRID });
      expect((await stores.fieldWork.getCampaign(campaign.id))?.responses.map((response) => [response.person, response.responses])).toEqual(
        [
          ['gw-a', 1],
          ['gw-b', 2],
        ],
      );
      const deadline = new Date(campaign.deadlineAt).toISOString();
      expect(await stores.fieldWork.campaignsByDeadline('441302', deadline, deadline)).toEqual([
        expect.objectContaining({ id: campaign.id, title: campaign.title, targets: 2, responded: 2 }),
      ]);
      expect(await stores.fieldWork.campaignsByDeadline('441302', '2026-11-26T00:00:00.000Z', '2026-11-30T00:00:00.000Z')).toEqual([]);
      expect(await stores.fieldWork.campaignsByDeadline('441303', '2026-11-20T00:00:00.000Z', '2026-11-30T00:00:00.000Z')).toEqual([]);
    });
  });
}
