/** 延期: a handler asks for a later deadline, once, by at most the original limit; the approver decides (shared/core/actions/extensions.ts), on an in-memory store. */
import type { Caller } from '../../shared/domain/caller';
import { actOnCase } from '../../shared/core/act-on-case';
import { firstRoute } from '../../shared/core/case-moves';
import { recountMove } from '../../shared/core/plain-week-deadlines';
import { DomainError } from '../../shared/domain/errors';
import type { Case } from '../../shared/domain/types';
import type { ActionInput } from '../../shared/domain/case-inputs';
import { memoryPorts, pureDeps, rosterCaller, sampleEvent } from './pure-deps';

const worker = rosterCaller('gw-ouyang-lingqiao');
const station = rosterCaller('cs-jinyuan-duty');

/** The worker's level-4 drain, routed at `at` on 1 working day. */
const routedAt = (at: string): Case => ({ ...firstRoute(pureDeps(at), sampleEvent(), 'grid', new Date(at)).after, version: 2 });
const MONDAY = routedAt('2026-11-23T09:00:00+08:00'); // due Tuesday 09:00
const FRIDAY = routedAt('2026-11-27T16:00:00+08:00'); // due Monday 16:00

async function act(now: string, who: Caller, event: Case, input: ActionInput) {
  const ports = memoryPorts(event);
  const deps = pureDeps(now, { ports: { ...ports.stores, notifier: ports.notifier } });
  return { after: await actOnCase(deps, who, event.id, input), ...ports };
}

async function refusal(now: string, who: Caller, event: Case, input: ActionInput) {
  try {
    await act(now, who, event, input);
  } catch (error) {
    expect(error).toBeInstanceOf(DomainError);
    return error as DomainError;
  }
  return undefined;
}

const ask = (until: string): ActionInput => ({ action: 'request_extension', until, note: '需等待配件' });

describe('request_extension', () => {
  it('records the request (the deadline does not move yet) and tells the approver, the community station', async () => {
    const { after, sent } = await act('2026-11-23T10:00:00+08:00', worker, MONDAY, ask('2026-11-24T17:00:00+08:00'));
    expect(after.deadlineAt).toBe('2026-11-24T09:00:00+08:00');
    expect(after.extension).toMatchObject({
      status: 'requested',
      until: '2026-11-24T17:00:00+08:00',
      reason: '需等待配件',
      requestedBy: { id: 'gw-ouyang-lingqiao' },
    });
    expect(sent.map((message) => [message.template, message.to])).toEqual([
      ['extension_requested', '13000002001'],
      ['extension_requested', '13000002002'],
    ]);
    expect(sent[0]!.params).toMatchObject({ until: '2026-11-24 17:00', reason: '需等待配件' });
  });

  it('until must be after the current deadline (422)', async () => {
    const error = await refusal('2026-11-23T10:00:00+08:00', worker, MONDAY, ask('2026-11-24T09:00:00+08:00'));
    expect(error?.status).toBe(422);
    expect(error?.fields).toEqual([{ field: 'until', message: 'after 2026-11-24T09:00:00+08:00' }]);
  });

  it('by at most the original limit: 1 working day after Tuesday 09:00 is Wednesday 09:00', async () => {
    await expect(act('2026-11-23T10:00:00+08:00', worker, MONDAY, ask('2026-11-25T09:00:00+08:00'))).resolves.toBeDefined();
    const error = await refusal('2026-11-23T10:00:00+08:00', worker, MONDAY, ask('2026-11-25T09:01:00+08:00'));
    expect(error?.status).toBe(422);
    expect(error?.message).toBe('An extension moves the deadline by at most the original limit');
  });

  it('by at most the original limit over a weekend too: 1 working day after Monday 16:00 is Tuesday 16:00, not Thursday', async () => {
    // The case was routed Friday 16:00 on 1 working day; 72 calendar hours passed by Monday 16:00.
    expect(FRIDAY.deadlineAt).toBe('2026-11-30T16:00:00+08:00');
    await expect(act('2026-11-30T10:00:00+08:00', worker, FRIDAY, ask('2026-12-01T16:00:00+08:00'))).resolves.toBeDefined();
    const error = await refusal('2026-11-30T10:00:00+08:00', worker, FRIDAY, ask('2026-12-03T16:00:00+08:00'));
    expect(error?.status).toBe(422);
  });
});

describe('approve_extension and reject_extension', () => {
  const requested: Case = {
    ...MONDAY,
    extension: {
      status: 'requested',
      until: '2026-11-24T17:00:00+08:00',
      reason: '需等待配件',
      requestedBy: { id: worker.person, name: worker.name, role: 'grid_worker' },
      requestedAt: '2026-11-23T10:00:00+08:00',
    },
  };

  it('approval moves the deadline and its reminders, and tells the handler', async () => {
    const { after, applied, sent } = await act('2026-11-23T11:00:00+08:00', station, requested, { action: 'approve_extension' });
    expect(after.extension).toMatchObject({ status: 'approved', decidedAt: '2026-11-23T11:00:00+08:00' });
    expect(after.deadlineAt).toBe('2026-11-24T17:00:00+08:00');
    expect(after.clock).toMatchObject({
      kind: 'handling',
      startedAt: '2026-11-23T09:00:00+08:00',
      deadlineAt: '2026-11-24T17:00:00+08:00',
      expired: false,
    });
    // 09:00 Monday to 17:00 Tuesday: 6.5 + 6.5 = 13 working hours; half is 6.5: Monday 17:30.
    expect(after.clock?.remindAt?.[0]).toBe('2026-11-23T17:30:00+08:00');
    expect(applied[0]!.counters[0]!.counts).toMatchObject({ extended: 1 });
    expect(sent.map((message) => [message.template, message.to, message.params.decision])).toEqual([
      ['extension_decided', '13000001001', '已批准'],
    ]);
  });

  it('an approved extension sets the deadline for good: a plain-week flag on the clock goes, so 2027 arriving does not count it again', async () => {
    const flagged: Case = {
      ...requested,
      clock: {
        ...requested.clock!,
        plainWeek: { years: [2027], from: requested.clock!.startedAt, limit: { workingDays: 1 } },
      },
    };
    const { after } = await act('2026-11-23T11:00:00+08:00', station, flagged, { action: 'approve_extension' });
    expect(after.clock?.plainWeek).toBeUndefined();
    const known = Array.from({ length: 24 }, (_, index) => 2004 + index);
    expect(recountMove({ ...pureDeps('2026-11-23T12:00:00+08:00'), calendarYears: known }, after)).toBeUndefined();
  });

  it('an extension that no longer extends (the deadline was counted again past it) is refused on approval, naming until', async () => {
    const movedPast: Case = {
      ...requested,
      deadlineAt: '2026-11-25T09:00:00+08:00',
      clock: { ...requested.clock!, deadlineAt: '2026-11-25T09:00:00+08:00' },
    };
    const error = await refusal('2026-11-23T11:00:00+08:00', station, movedPast, { action: 'approve_extension' });
    expect(error?.status).toBe(422);
    expect(error?.fields).toEqual([{ field: 'until', message: 'after 2026-11-25T09:00:00+08:00' }]);
  });

  it('rejection leaves the deadline and tells the handler', async () => {
    const { after, sent } = await act('2026-11-23T11:00:00+08:00', station, requested, {
      action: 'reject_extension',
      note: '时限内可办结',
    });
    expect(after.extension?.status).toBe('rejected');
    expect(after.deadlineAt).toBe('2026-11-24T09:00:00+08:00');
    expect(sent.map((message) => [message.template, message.to, message.params.decision])).toEqual([
      ['extension_decided', '13000001001', '未批准'],
    ]);
  });
});
