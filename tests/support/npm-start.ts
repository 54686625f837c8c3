/** `npm start` (bin/start.ts) as a real process group, for the tests of local mode's entry point. */
import type { ChildProcess } from 'node:child_process';
import { expect } from '@jest/globals';
import { spawnNpmStart } from '../../bin/start-command';
import { eventually } from './local-stack';

import { join } from 'node:path';
import type { OutboxEntry } from '../../dev-server/adapters/outbox-notifier';
import { readJsonLines } from '../../dev-server/durable-files';

export const root = new URL('../..', import.meta.url).pathname;
export const tsx = `${root}node_modules/.bin/tsx`;

export interface Started {
  process: ChildProcess;
  output: () => string;
}

export interface Running extends Started {
  url: string;
}

/** Starts `npm start` in its own process group (kill -pid stops it all, Java included). */
export function spawnStart(env: Record<string, string>): Started {
  const child = spawnNpmStart(env);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { process: child, output: () => output };
}

/** Starts `npm start` and waits (at most the 30 s a start may take) until it prints its API URL. */
export async function npmStart(env: Record<string, string>): Promise<Running> {
  const started = Date.now();
  const child = spawnStart(env);
  const url = await eventually(
    async () => {
      if (child.process.exitCode !== null) throw new Error(`npm start exited (code ${child.process.exitCode})`);
      return /API\s+(http:\/\/\S+)/.exec(child.output())?.[1];
    },
    'npm start to print the API URL',
    30_000,
  ).catch((error) => {
    throw new Error(`${error.message}\n${child.output()}`);
  });
  expect(Date.now() - started).toBeLessThan(30_000);
  return { ...child, url };
}

export function exitOf(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? Promise.resolve(child.exitCode) : new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

export async function call(url: string, method: string, path: string, token?: string, body?: unknown) {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

/**
 * The SMS a platform on `dataDir` sent, in full, from its outbox file: `GET /_local/outbox` masks phones and
 * never shows a rating code (issue 13 item 6).
 */
export function outboxFile(dataDir: string): OutboxEntry[] {
  return readJsonLines<OutboxEntry>(join(dataDir, 'outbox.jsonl'), () => {});
}
