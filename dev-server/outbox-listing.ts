/**
 * `GET /_local/outbox` as a district center or an admin sees it (issue 13 item 6): the latest messages local mode
 * sent, with every phone number masked and no code — no rating code (it lets anyone rate the case), no verification
 * code (it lets anyone verify the resident's phone). What was sent in
 * full stays in `outbox.jsonl` in the data folder, and in process for the tests.
 */
import { callerFromClaims } from '../shared/auth/caller';
import { maskPhone } from '../shared/domain/messages';
import { mayDo } from '../shared/domain/operations';
import type { Role } from '../shared/domain/types';
import type { OutboxEntry } from './adapters/outbox-notifier';

/** Mobile numbers as they appear in a message: 11 digits starting 1[3-9]. */
const PHONE_IN_TEXT = /(?<!\d)1[3-9]\d{9}(?!\d)/g;
const CODE_SHOWN_AS = '******';

export function outboxListing(claims: Record<string, unknown> | undefined, entries: OutboxEntry[]): { status: number; body: unknown } {
  let role: Role;
  try {
    role = callerFromClaims(claims ?? {}).role;
  } catch (error) {
    return { status: 401, body: { error: { code: 'unauthorized', message: (error as Error).message } } };
  }
  if (!mayDo(role, 'read_local_outbox'))
    return { status: 403, body: { error: { code: 'forbidden', message: 'The local outbox is for a district center or an admin' } } };
  return { status: 200, body: { items: entries.map(listed) } };
}

function listed(entry: OutboxEntry): OutboxEntry {
  const { ratingCode, code, ...params } = entry.params;
  const hide = (text: string) =>
    [ratingCode, code]
      .reduce((shown, secret) => (secret ? shown.replaceAll(secret, CODE_SHOWN_AS) : shown), text)
      .replace(PHONE_IN_TEXT, (phone) => maskPhone(phone));
  return {
    ...entry,
    to: maskPhone(entry.to),
    params: Object.fromEntries(Object.entries(params).map(([name, value]) => [name, hide(value)])),
    text: hide(entry.text),
    textEn: hide(entry.textEn),
  };
}
