/**
 * A clean stop leaves nothing to write again (issue 12 item 6: ready at once). The journal exists because a
 * DynamoDB Local that is killed can lose a transaction it acknowledged; one that shuts down by itself (SIGTERM
 * or Ctrl-C's SIGINT: the JVM's own shutdown) keeps every one (bench part `stop-durability`). So after a stop in
 * which DynamoDB Local shut down by itself, the next start writes nothing again and serves sooner; after a stop
 * in which it had to be killed, the next start still writes again what it lost. A stop ends even when DynamoDB
 * Local hangs.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JINYUAN_GRID_1, startStack, type Stack } from '../support/local-stack';

const drain = {
  itemCode: '01-01',
  gridCode: JINYUAN_GRID_1,
  description: '停机前的排水口堵塞',
  reporter: { name: '王五', phone: '13000006666' },
};

const storePid = (dataDir: string) => Number(readFileSync(join(dataDir, 'dynamodb', 'dynamodb-local.pid'), 'utf8'));
const journalLines = (logged: string[]) => logged.filter((line) => line.startsWith('journal:'));

async function startLogged(dataDir: string): Promise<{ stack: Stack; logged: string[] }> {
  const logged: string[] = [];
  const stack = await startStack({ dataDir, timeScale: 1, quiet: false, log: (line) => logged.push(line) });
  return { stack, logged };
}

async function reportAndStop(dataDir: string, beforeStop: () => void = () => {}): Promise<string[]> {
  const { stack } = await startLogged(dataDir);
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  const ids: string[] = [];
  for (let i = 0; i < 3; i++) {
    const reply = await stack.call('POST', '/events', { token: worker, body: { ...drain, description: `${drain.description} ${i}` } });
    expect(reply.status).toBe(201);
    ids.push(reply.body.id);
  }
  beforeStop();
  await stack.stop();
  return ids;
}

async function expectAllThere(stack: Stack, ids: string[]) {
  const worker = stack.token('grid_worker', JINYUAN_GRID_1);
  for (const id of ids) expect((await stack.call('GET', `/events/${id}`, { token: worker })).status).toBe(200);
}

/**
 * Reports and stops a platform on a new data folder (`beforeStop` just before the stop), starts one again on it and
 * checks that every acknowledged report is there: the new start's journal lines, and how long the stop took.
 */
async function restartAfterStop(beforeStop?: (dataDir: string) => void): Promise<{ journal: string[]; stopMs: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridflow-stop-'));
  try {
    let stopStarted = 0;
    const ids = await reportAndStop(dataDir, () => {
      beforeStop?.(dataDir);
      stopStarted = Date.now();
    });
    const stopMs = Date.now() - stopStarted;
    const { stack, logged } = await startLogged(dataDir);
    try {
      await expectAllThere(stack, ids);
      return { journal: journalLines(logged), stopMs };
    } finally {
      await stack.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('after a clean stop the next start writes nothing again, and every acknowledged report is there', async () => {
  expect((await restartAfterStop()).journal).toEqual([]);
}, 120_000);

test('after a stop in which DynamoDB Local did not shut down by itself, the next start checks the journal again', async () => {
  // Killed just before the stop (the stop comes within the restart's grace): it may have lost what it acknowledged.
  const { journal } = await restartAfterStop((dataDir) => process.kill(storePid(dataDir), 'SIGKILL'));
  expect(journal.join('\n')).toMatch(/written again .* held already/s);
}, 120_000);

test('a stop with DynamoDB Local hung still ends; the next start checks the journal, and every acknowledged report is there', async () => {
  // Hung (SIGSTOP) when the stop comes: it cannot shut down by itself, and nothing it was asked answers.
  const { journal, stopMs } = await restartAfterStop((dataDir) => process.kill(storePid(dataDir), 'SIGSTOP'));
  expect(stopMs).toBeLessThan(45_000);
  expect(journal.join('\n')).toMatch(/written again .* held already/s);
}, 150_000);
