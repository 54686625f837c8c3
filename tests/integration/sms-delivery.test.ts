/**
 * SMS at least once (issue 11, item 2), on the local stack: the SMS a report causes are stored with it, so a
 * sender that is down when the report is made sends them when it is back — once, across restarts — and the
 * reply never waited for them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JINYUAN_GRID_1, smsOf, smsWhen, startStack, type Stack } from '../support/local-stack';

const report = (description: string) => ({
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description,
  reporter: { name: '金英街居民', phone: '13000009999' },
});

test('an SMS stored while the sender was down is sent when it is back, once, across restarts', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-sms-'));
  let stack: Stack | undefined;
  try {
    stack = await startStack({ dataDir, timeScale: 1, smsSender: false, scheduledJobs: false });
    const worker = stack.token('grid_worker', JINYUAN_GRID_1);
    const first = await stack.call('POST', '/events', { token: worker, body: report('发送器停机时的排水口堵塞') });
    expect(first.status).toBe(201);
    // Stored, routed, its handler's SMS stored with it: nothing sent while the sender is down.
    expect(first.body.assignee).toBeDefined();
    expect(smsOf(stack, first.body.id, 'case_assigned')).toEqual([]);
    await stack.stop();

    stack = await startStack({ dataDir, timeScale: 1, scheduledJobs: false });
    expect(await smsWhen(stack, first.body.id, 'case_assigned')).toHaveLength(1);
    await stack.stop();

    // Started again: the stream is read from where the sender got to; a later report's SMS comes after it.
    stack = await startStack({ dataDir, timeScale: 1, scheduledJobs: false });
    const second = await stack.call('POST', '/events', { token: worker, body: report('重启后的排水口堵塞') });
    await smsWhen(stack, second.body.id, 'case_assigned');
    expect(smsOf(stack, first.body.id, 'case_assigned')).toHaveLength(1);
  } finally {
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
