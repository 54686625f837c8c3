/** Starts the real local platform for a test file and talks to it over HTTP. */
import { startLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../../dev-server/local-platform';
import { parseLocal } from '../../shared/domain/calendar';
import type { Role } from '../../shared/domain/types';
import { sampleClaims, type TokenRequest } from '../../bin/sample-users';

export interface Stack {
  platform: LocalPlatform;
  url: string;
  token(role: Role, unit: string, extra?: Partial<TokenRequest>): string;
  call(
    method: string,
    path: string,
    options?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<{ status: number; body: any }>;
  stop(): Promise<void>;
}

export async function startStack(options: Partial<LocalPlatformOptions> & { clockStart?: Date } = {}): Promise<Stack> {
  const platform = await startLocalPlatform({ port: 0, timeScale: 1, quiet: true, ...options });
  const call: Stack['call'] = async (method, path, { token, body, rawBody, headers } = {}) => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        ...(body !== undefined || rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    });
    const text = await response.text();
    // The SMS a change stored are sent by the SMS sender from the table's stream: a test reading the outbox
    // after a change sees them once the sender has been handed them.
    if (method !== 'GET') await platform.smsDelivered();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return {
    platform,
    url: platform.url,
    token: (role, unit, extra) => platform.token(sampleClaims(platform.deps.directory, role, unit, extra)),
    call,
    stop: () => platform.stop(),
  };
}

/** Polls until `probe` returns a value (not undefined), or fails with what it last saw. */
export async function eventually<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const at = (local: string) => parseLocal(local);

export const JINYUAN_GRID_1 = '441302010001001';
export const JINYUAN = '441302010001';
export const XIAOJINKOU = '441302010';
export const HUICHENG = '441302';

// ── Small helpers for the story tests ────────────────────────────────────────────────────────────────

/** POST /events/{id}/actions as `token`. */
export function act(stack: Stack, eventId: string, token: string, body: Record<string, unknown>) {
  return stack.call('POST', `/events/${eventId}/actions`, { token, body });
}

/** GET /events/{id} (with its timeline) as `token` sees it; anything but a 200 fails. */
export async function fetchEvent(stack: Stack, eventId: string, token: string): Promise<any> {
  const { status, body } = await stack.call('GET', `/events/${eventId}`, { token });
  if (status !== 200) throw new Error(`GET /events/${eventId} answered ${status}: ${JSON.stringify(body)}`);
  return body;
}

/** Waits until the event, as `token` sees it, passes `test`, and returns it. */
export function eventWhen(
  stack: Stack,
  eventId: string,
  token: string,
  test: (event: any) => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<any> {
  return eventually(
    async () => {
      const event = await fetchEvent(stack, eventId, token);
      return test(event) ? event : undefined;
    },
    `${eventId}: ${what}`,
    timeoutMs,
  );
}

/** The SMS the outbox holds about an event (optionally of one template), oldest first. */
export function smsOf(stack: Stack, eventId: string, template?: string) {
  return stack.platform.outbox
    .all()
    .filter(
      (message) => (message.eventId === eventId || message.eventIds?.includes(eventId)) && (!template || message.template === template),
    );
}

/**
 * Waits for the SMS of a template about an event: a workflow step sends its SMS once its change is
 * stored, so they may land just after the change can be read.
 */
export function smsWhen(stack: Stack, eventId: string, template: string, timeoutMs = 15_000) {
  return eventually(
    async () => {
      const messages = smsOf(stack, eventId, template);
      return messages.length ? messages : undefined;
    },
    `the ${template} SMS`,
    timeoutMs,
  );
}

/** The timeline's entry types, in order. */
export const typesOf = (event: { timeline: { type: string }[] }) => event.timeline.map((entry) => entry.type);

/** A scope's counters summed over the days from..to (YYYY-MM-DD). */
export async function counterTotals(
  stack: Stack,
  scope: { kind: 'unit' | 'department' | 'person'; code: string },
  fromDay: string,
  toDay: string,
): Promise<Record<string, number>> {
  const days = await stack.platform.deps.counters.read(scope, fromDay, toDay);
  const totals: Record<string, number> = {};
  for (const { counts } of days) for (const [name, value] of Object.entries(counts)) totals[name] = (totals[name] ?? 0) + value;
  return totals;
}
