/**
 * Deadlines on the local stack, on clocks the tests drive: an overdue case is marked, counted and its handler's
 * head gets 督办; racing actions; a restart leaves waiting cases open and completable; and the sweeper
 * starts a stored report whose lifecycle never started.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteTableCommand } from '@aws-sdk/client-dynamodb';
import { DrivenClock } from '../../dev-server/adapters/driven-clock';
import { startDynamoDbLocal } from '../../dev-server/dynamodb-local';
import { freePort } from '../../dev-server/local-platform';
import { STATES_TABLE_NAME } from '../../dev-server/step-functions/dynamodb-execution-store';
import { buildChange } from '../../shared/core/changes';
import { newEventId } from '../../shared/core/ids';
import { sweepUnstarted } from '../../shared/core/sweep';
import { toLocalIso } from '../../shared/domain/calendar';
import { sampleEvent } from '../unit/pure-deps';
import { at, eventually, JINYUAN, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

const stall = {
  itemCode: '01-04',
  gridCode: JINYUAN_GRID_1,
  description: '商铺占道经营，堵住人行道',
  reporter: { name: '王五', phone: '13000006666' },
};

/** Reports and waits for the routing: polled on a scaled clock, read once settled on a driven one. */
async function routedCase(stack: Stack, token: string, body = stall, clock?: DrivenClock) {
  const { body: event } = await stack.call('POST', '/events', { token, body });
  if (clock) {
    await clock.settled();
    const { body: routed } = await stack.call('GET', `/events/${event.id}`, { token });
    expect(routed.stage).toBe('routed');
    return routed;
  }
  return eventually(async () => {
    const { body: current } = await stack.call('GET', `/events/${event.id}`, { token });
    return current.stage === 'routed' ? current : undefined;
  }, 'routing');
}

describe('overdue, on a driven clock moved to the deadline', () => {
  let stack: Stack;
  const clock = new DrivenClock(at('2026-11-23 09:00'));
  beforeAll(async () => {
    stack = await startStack({ clock });
  });
  afterAll(() => stack?.stop());

  test('a reminder at half time; at the deadline 督办 to the grid chief, the overdue mark and count, and the case moves up to the community', async () => {
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const routed = await routedCase(stack, worker, stall, clock);
    expect(routed.assignee.id).toBe('gw-ouyang-lingqiao');

    await clock.advanceTo(new Date(routed.deadlineAt));
    const { body: escalated } = await stack.call('GET', `/events/${routed.id}`, { token: worker });
    expect(escalated.tier).toBe('community');
    expect(escalated.overdue).toBe(true);
    expect(escalated.assignee).toMatchObject({ type: 'unit', id: JINYUAN });
    const types = escalated.timeline.map((entry: { type: string }) => entry.type);
    expect(types.slice(0, 2)).toEqual(['registered', 'routed']);
    expect(types).toContain('reminded');
    expect(types.at(-1)).toBe('escalated');
    await smsWhen(stack, routed.id, 'case_overdue'); // sent once the escalation is stored
    const reminders = stack.platform.outbox
      .all()
      .filter((message) => message.eventId === routed.id && message.template === 'case_reminder');
    expect(reminders[0]).toMatchObject({ to: '13000001001' });
    const supervision = stack.platform.outbox
      .all()
      .filter((message) => message.eventId === routed.id && message.template === 'case_overdue');
    expect(supervision).toHaveLength(1);
    expect(supervision[0]).toMatchObject({ to: '13000002001', recipientRole: 'head' });
    expect(supervision[0].text).toContain('督办');
    expect(supervision[0].text).toContain('欧阳玲巧');

    // The worker's late completion is refused, saying what happened; the station completes it.
    const late = await stack.call('POST', `/events/${routed.id}/actions`, { token: worker, body: { action: 'complete', note: '已劝离' } });
    expect(late.status).toBe(409);
    expect(late.body.error.message).toMatch(/moved on: escalated to 金源社区网格站/);
    const station = stack.token('community_station', JINYUAN);
    const completed = await stack.call('POST', `/events/${routed.id}/actions`, {
      token: station,
      body: { action: 'complete', note: '已劝离' },
    });
    expect(completed.status).toBe(200);
    expect(completed.body.handledOnTime).toBe(true);

    const day = routed.createdAt.slice(0, 10);
    const days = await stack.platform.deps.counters.read({ kind: 'unit', code: JINYUAN }, day, '2026-12-31');
    const total = (name: string) => days.reduce((sum, entry) => sum + (entry.counts[name] ?? 0), 0);
    expect(total('overdue')).toBe(1);
    expect(total('escalated')).toBe(1);
    expect(total('handled')).toBe(1);
  });

  test('two conflicting actions at once: exactly one applies, the other is a 409', async () => {
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const routed = await routedCase(stack, worker, { ...stall, description: '另一处占道' }, clock);
    const replies = await Promise.all([
      stack.call('POST', `/events/${routed.id}/actions`, { token: worker, body: { action: 'complete', note: '第一次办结' } }),
      stack.call('POST', `/events/${routed.id}/actions`, { token: worker, body: { action: 'complete', note: '第二次办结' } }),
    ]);
    expect(replies.map((reply) => reply.status).sort()).toEqual([200, 409]);
    const { body } = await stack.call('GET', `/events/${routed.id}`, { token: worker });
    expect(body.timeline.filter((entry: { type: string }) => entry.type === 'completed')).toHaveLength(1);
  });
});

describe('restarting the platform', () => {
  test('a case waiting on its handler stays open, keeps its deadline, and can still be completed', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-restart-'));
    try {
      let stack = await startStack({ dataDir, timeScale: 1 });
      const worker = stack.token('grid_worker', JINYUAN_GRID_1);
      const routed = await routedCase(stack, worker, { ...stall, itemCode: '01-01', description: '重启前的排水口堵塞' });
      const startedAt = (await stack.platform.workflow.engine.describe(routed.id))?.startDate;
      expect(startedAt).toBeInstanceOf(Date);
      await stack.stop();

      stack = await startStack({ dataDir, timeScale: 1 });
      try {
        expect(stack.platform.firstStart).toBe(false);
        // The execution itself waits again, as on AWS: not a new one started for the open case.
        expect(await stack.platform.restored).toBeGreaterThanOrEqual(1);
        expect(await stack.platform.resumed).toBe(0);
        expect(stack.platform.workflow.engine.isRunning(routed.id)).toBe(true);
        expect((await stack.platform.workflow.engine.describe(routed.id))?.startDate).toEqual(startedAt);
        const { body: after } = await stack.call('GET', `/events/${routed.id}`, { token: worker });
        expect(after).toMatchObject({ status: 'open', stage: 'routed', deadlineAt: routed.deadlineAt });

        // The same token still works: the signing key lives in the data folder.
        const completed = await stack.call('POST', `/events/${routed.id}/actions`, {
          token: worker,
          body: { action: 'complete', note: '重启后办结' },
        });
        expect(completed.status).toBe(200);
        await eventually(
          async () =>
            stack.platform.outbox.all().some((message) => message.eventId === routed.id && message.template === 'feedback_to_reporter')
              ? true
              : undefined,
          'feedback after restart',
        );
        const { body: fedBack } = await stack.call('GET', `/events/${routed.id}`, { token: worker });
        expect(fedBack).toMatchObject({ stage: 'feedback', status: 'open' });
      } finally {
        await stack.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

test('a data folder from before local mode kept its executions: its open cases start their lifecycles again, once', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-upgrade-'));
  try {
    let stack = await startStack({ dataDir, timeScale: 1 });
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const routed = await routedCase(stack, worker, { ...stall, itemCode: '01-01', description: '升级前的排水口堵塞' });
    await stack.stop();
    // What such a folder holds: the cases, and no table of executions.
    const dynamo = await startDynamoDbLocal({ port: await freePort(), dataDir: join(dataDir, 'dynamodb') });
    await dynamo.client.send(new DeleteTableCommand({ TableName: STATES_TABLE_NAME }));
    await dynamo.stop();

    stack = await startStack({ dataDir, timeScale: 1 });
    try {
      expect(stack.platform.firstStart).toBe(false);
      expect(await stack.platform.restored).toBe(0);
      expect(await stack.platform.resumed).toBeGreaterThanOrEqual(1);
      expect(stack.platform.workflow.engine.isRunning(routed.id)).toBe(true);
      const completed = await stack.call('POST', `/events/${routed.id}/actions`, {
        token: worker,
        body: { action: 'complete', note: '升级后办结' },
      });
      expect(completed.status).toBe(200);
      await smsWhen(stack, routed.id, 'feedback_to_reporter');
    } finally {
      await stack.stop();
    }
    // Once: the next start finds the executions kept.
    stack = await startStack({ dataDir, timeScale: 1 });
    expect(await stack.platform.resumed).toBe(0);
    await stack.stop();
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Four platform starts on one data folder: about 57 s on a loaded machine, too close to the default 60.
}, 120_000);

describe('the sweeper (nothing accepted is lost)', () => {
  let stack: Stack;
  const clock = new DrivenClock(at('2026-11-24 10:00'));
  beforeAll(async () => {
    stack = await startStack({ clock });
  });
  afterAll(() => stack?.stop());

  test('starts the lifecycle of a stored report whose start was lost, once past its grace, and leaves cases on a clock alone', async () => {
    const { deps } = stack.platform;
    // The sweeper's runs on the sweeper function's own composition, as its Lambda makes them (the permission check sees them).
    const sweeper = stack.platform.dependenciesOf('sweeper');
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const routed = await routedCase(stack, worker, { ...stall, itemCode: '01-01', description: '已分流的排水口堵塞' }, clock);

    // Stored as POST /events stores it, but its workflow never started (the start call failed).
    const now = deps.clock.now();
    const orphan = newEventId(now);
    const {
      version: _version,
      updatedAt: _updatedAt,
      ...event
    } = sampleEvent({ id: orphan, itemCode: '01-04', description: '启动丢失的上报', createdAt: toLocalIso(now), awaitingLifecycle: true });
    await deps.cases.create(buildChange(undefined, event, { type: 'registered', actor: event.reportedBy, at: now, count: ['reported'] }));
    expect(stack.platform.workflow.engine.isRunning(orphan)).toBe(false);
    // Someone acts on it before any lifecycle did: it still awaits its lifecycle.
    expect(
      (await stack.call('POST', `/events/${orphan}/actions`, { token: worker, body: { action: 'comment', note: '已到现场查看' } })).status,
    ).toBe(200);
    expect((await sweepUnstarted(sweeper)).started).toEqual([]); // still within its grace: its start may be on its way

    // Its grace is two minutes.
    await clock.advance(2 * 60_000 - 1000);
    expect((await sweepUnstarted(sweeper)).started).toEqual([]);
    await clock.advance(2000);
    expect((await sweepUnstarted(sweeper)).started).toEqual([orphan]);
    await clock.settled();
    const { body: picked } = await stack.call('GET', `/events/${orphan}`, { token: worker });
    expect(picked.stage).toBe('routed');
    expect(picked.assignee.id).toBe('gw-ouyang-lingqiao');
    expect(stack.platform.workflow.engine.isRunning(routed.id)).toBe(true);
    // Once its lifecycle waits on it, the orphan is no longer unstarted.
    expect((await deps.cases.get(orphan))?.waitingTask).toBeDefined();
    expect((await sweepUnstarted(sweeper)).started).toEqual([]);
  });
});
