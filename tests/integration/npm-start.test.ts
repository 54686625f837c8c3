/**
 * The local-mode contract through the real entry point: `npm start` (bin/start.ts) serves the API within
 * 30 s and prints a usable token; Ctrl-C stops everything including DynamoDB Local; after the process is
 * killed outright, a new start resumes the waiting case and it can still be completed.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, JINYUAN_GRID_1 } from '../support/local-stack';
import { call, exitOf, npmStart, outboxFile, root, tsx } from '../support/npm-start';

test('npm start serves, stops cleanly on Ctrl-C, and survives being killed with a case waiting', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-npm-start-'));
  const env = { GRIDFLOW_DATA_DIR: dataDir, PORT: '0' }; // the platform picks its port and holds it until it listens (a port picked here was free only then)
  try {
    const first = await npmStart(env);
    expect(first.output()).toContain('First start');
    expect(first.output()).toContain('curl -s -X POST');
    expect((await call(first.url, 'GET', '/health')).body.status).toBe('ok');
    process.kill(-first.process.pid!, 'SIGINT');
    expect(await exitOf(first.process)).toBe(0);
    // DynamoDB Local went with it.
    expect(existsSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'))).toBe(false);

    const second = await npmStart(env);
    const { stdout } = await promisify(execFile)(tsx, ['bin/token.ts', '--role', 'grid_worker', '--unit', JINYUAN_GRID_1], {
      cwd: root,
      env: { ...process.env, ...env },
    });
    const token = stdout.trim();
    expect(token.split('\n')).toHaveLength(1);
    expect(token.split('.')).toHaveLength(3);
    const created = await call(second.url, 'POST', '/events', token, {
      itemCode: '01-01',
      gridCode: JINYUAN_GRID_1,
      description: '排水口堵塞',
      reporter: { phone: '13000005555' },
    });
    expect(created.status).toBe(201);
    await eventually(
      async () => ((await call(second.url, 'GET', `/events/${created.body.id}`, token)).body.stage === 'routed' ? true : undefined),
      'routing',
    );
    // Killed at once: the execution may be parked with its task's function not yet called (the engine calls it again).
    process.kill(-second.process.pid!, 'SIGKILL');
    await exitOf(second.process);

    const third = await npmStart(env);
    try {
      // Its execution was kept in DynamoDB Local and waits again, as on AWS (brought back while the API serves).
      await eventually(
        async () => (/[1-9]\d* lifecycle execution\(s\) waiting again/.test(third.output()) ? true : undefined),
        'the kept execution to wait again',
      );
      const completed = await call(third.url, 'POST', `/events/${created.body.id}/actions`, token, { action: 'complete', note: '已疏通' });
      expect(completed.status).toBe(200);
      // The resident is told, with a code to rate the result; rating it archives the case.
      const feedback = await eventually(
        async () =>
          outboxFile(dataDir).find((message) => message.eventId === created.body.id && message.template === 'feedback_to_reporter'),
        'the feedback SMS',
        // After a kill -9, the restarted platform brings the kept execution back, the action wakes it and the stream
        // reader catches up first: over 15 s once in a full suite on 2 cores (21–24 s for this whole test alone).
        30_000,
      ).catch(async (error: Error) => {
        // What the case and the platform say, for whoever reads the failure.
        const now = await call(third.url, 'GET', `/events/${created.body.id}`, token);
        const timeline = (now.body.timeline ?? []).map((entry: { type: string }) => entry.type).join(', ');
        throw new Error(`${error.message}; the case: ${now.body.stage}, ${timeline}\nnpm start said:\n${third.output().slice(-4000)}`);
      });
      const code = /评价码(\d{6})/.exec(feedback.text)![1];
      expect((await call(third.url, 'POST', `/events/${created.body.id}/rating`, undefined, { code, score: 5 })).status).toBe(200);
      await eventually(
        async () => ((await call(third.url, 'GET', `/events/${created.body.id}`, token)).body.stage === 'archived' ? true : undefined),
        'archive',
      );
    } finally {
      process.kill(-third.process.pid!, 'SIGINT');
      await exitOf(third.process);
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Three starts, each allowed the 30 s a start may take: more than jest's default minute in all.
}, 150_000);
