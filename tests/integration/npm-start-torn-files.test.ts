/**
 * Files never tear, and a torn one never stops `npm start`: a data folder whose clock.json, SMS stream
 * checkpoint and outbox.jsonl were cut short by a crash (what truncate-then-write and a plain append leave
 * after a power cut) starts, says which files it skipped, keeps every whole outbox line, and appends after
 * the torn one without gluing a new line onto it.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { eventually, HUICHENG, JINYUAN_GRID_1 } from '../support/local-stack';
import { call, exitOf, npmStart, root, tsx } from '../support/npm-start';

const sms = (id: number) => ({
  id: `sms-${id}`,
  at: '2026-11-24T09:00:00+08:00',
  to: '13900000000',
  recipientRole: 'reporter',
  template: 'feedback_to_reporter',
  params: {},
  text: `第${id}条`,
  textEn: `message ${id}`,
  parts: 1,
});

test('npm start starts on torn files, reports them, and keeps every whole line', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-torn-files-'));
  const env = { GRIDFLOW_DATA_DIR: dataDir, PORT: '0' }; // the platform picks its port and holds it until it listens (a port picked here was free only then)
  const whole = [sms(1), sms(2)];
  const torn = JSON.stringify(sms(3)).slice(0, 40);
  writeFileSync(join(dataDir, 'outbox.jsonl'), `${whole.map((entry) => JSON.stringify(entry)).join('\n')}\n${torn}`);
  writeFileSync(join(dataDir, 'clock.json'), '{"policyTime":"2026-11-');
  writeFileSync(join(dataDir, 'sms-stream.json'), '{"shardId-00000001764000000000-');
  try {
    const running = await npmStart(env);
    try {
      for (const file of ['outbox.jsonl', 'clock.json', 'sms-stream.json']) expect(running.output()).toContain(join(dataDir, file));
      expect((await call(running.url, 'GET', '/health')).body.status).toBe('ok');
      const token = async (role: string, unit: string) =>
        (
          await promisify(execFile)(tsx, ['bin/token.ts', '--role', role, '--unit', unit], { cwd: root, env: { ...process.env, ...env } })
        ).stdout.trim();
      const center = await token('district_center', HUICHENG);
      // Listed as a district center sees them: phones masked.
      expect((await call(running.url, 'GET', '/_local/outbox', center)).body.items).toEqual(
        whole.map((entry) => ({ ...entry, to: '139****0000' })),
      );

      // A new SMS goes on its own line after the torn one, numbered after the whole ones.
      const stdout = await token('grid_worker', JINYUAN_GRID_1);
      const created = await call(running.url, 'POST', '/events', stdout.trim(), {
        itemCode: '01-01',
        gridCode: JINYUAN_GRID_1,
        description: '排水口堵塞',
        reporter: { phone: '13000005555' },
      });
      expect(created.status).toBe(201);
      const sent = await eventually(async () => {
        const { items } = (await call(running.url, 'GET', '/_local/outbox', center)).body;
        return items.find((item: { eventId?: string }) => item.eventId === created.body.id);
      }, 'an SMS about the new case');
      expect(sent.id).toBe('sms-3');
      // Stopped as `kill <pid>` stops it: the platform stops its parts in order (a Ctrl-C also reaches Java at once,
      // and a store call then in flight waits on it: item 3's to fix), saving its clock.
      process.kill(running.process.pid!, 'SIGTERM');
      expect(await exitOf(running.process)).toBe(0);
    } finally {
      if (running.process.exitCode === null) process.kill(-running.process.pid!, 'SIGKILL');
    }

    const lines = readFileSync(join(dataDir, 'outbox.jsonl'), 'utf8').split('\n');
    expect(lines.slice(0, 3)).toEqual([...whole.map((entry) => JSON.stringify(entry)), torn]);
    expect(lines.at(-1)).toBe('');
    const after = lines.slice(3, -1).map((line) => JSON.parse(line));
    expect(after[0]).toMatchObject({ id: 'sms-3', eventId: expect.any(String) });
    // The clock was saved whole at stop.
    expect(Number.isNaN(Date.parse(JSON.parse(readFileSync(join(dataDir, 'clock.json'), 'utf8')).policyTime))).toBe(false);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // A start may take 30 s on a loaded machine, and the token tool and the SMS sender their seconds.
}, 120_000);
