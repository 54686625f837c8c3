/**
 * Ready at once (issue 12 item 6): a restart serves before the kept lifecycle executions are back — they come
 * back in the background — and an action on a case whose execution is not back yet still wakes it, once: the
 * execution is brought back for the action, and the background pass does not bring it back again from its
 * old record. The race is held open by the platform's `resumeGate` (nothing is brought back in the background
 * until the test releases it), not by timing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { act, eventually, fetchEvent, JINYUAN_GRID_1, smsWhen, startStack, type Stack } from '../support/local-stack';

const drain = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '重启时的排水口堵塞',
  reporter: { name: '王五', phone: '13000006666' },
};

/** A case routed to the reporting grid worker, its lifecycle parked on her (the token stored on the case). */
async function waitingCase(stack: Stack, token: string, description: string): Promise<{ id: string; token: string }> {
  const { status, body } = await stack.call('POST', '/events', { token, body: { ...drain, description } });
  expect(status).toBe(201);
  const waiting = await eventually(async () => {
    const stored = await stack.platform.deps.cases.get(body.id);
    return stored?.waitingTask?.waitingFor === 'handling' ? stored.waitingTask : undefined;
  }, `${body.id} waiting on its handler`);
  return { id: body.id, token: waiting.token };
}

test('a restart serves at once; an action on a case not yet resumed wakes it once, and the rest resume in the background', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-ready-'));
  try {
    let stack = await startStack({ dataDir, timeScale: 1 });
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const early = await waitingCase(stack, worker, '重启前的排水口堵塞 一');
    const later = await waitingCase(stack, worker, '重启前的排水口堵塞 二');
    await stack.stop();

    let release!: () => void;
    const resumeGate = new Promise<void>((resolve) => (release = resolve));
    stack = await startStack({ dataDir, timeScale: 1, resumeGate });
    try {
      const { engine } = stack.platform.workflow;
      // Serving, and saying that the kept executions are still coming back (once listed): none is back yet.
      const health = await eventually(async () => {
        const reply = await stack.call('GET', '/health');
        return reply.body?.resuming?.total === undefined ? undefined : reply;
      }, 'the kept executions to be listed');
      expect(health.status).toBe(200);
      expect(health.body).toMatchObject({ status: 'ok', resuming: { done: 0, total: 2 } });
      expect(engine.isRunning(early.id)).toBe(false);

      // Completed before its execution is back: the action's wake-up brings it back and wakes it.
      const completed = await act(stack, early.id, worker, { action: 'complete', note: '已清理' });
      expect(completed.status).toBe(200);
      await smsWhen(stack, early.id, 'feedback_to_reporter');
      expect(await fetchEvent(stack, early.id, worker)).toMatchObject({ stage: 'feedback', status: 'open' });
      const afterWake = (await stack.platform.deps.cases.get(early.id))?.waitingTask;
      expect(afterWake?.token).not.toBe(early.token);

      // The background pass brings back the other one, and not the woken one again from its old record.
      release();
      expect(await stack.platform.restored).toBe(2);
      expect((await stack.call('GET', '/health')).body.resuming).toBeUndefined();
      expect(engine.isRunning(later.id)).toBe(true);
      await expect(engine.sendTaskHeartbeat(early.token)).rejects.toMatchObject({ awsError: 'TaskTimedOut' });
      if (afterWake) await expect(engine.sendTaskHeartbeat(afterWake.token)).resolves.toBeUndefined();
      const started = ((await engine.history(early.id)) ?? []).filter((event) => event.type === 'ExecutionStarted');
      expect(started).toHaveLength(1);

      const second = await act(stack, later.id, worker, { action: 'complete', note: '也已清理' });
      expect(second.status).toBe(200);
      await smsWhen(stack, later.id, 'feedback_to_reporter');
    } finally {
      release();
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}, 120_000);
