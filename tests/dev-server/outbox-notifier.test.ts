/** The local SMS outbox: every message in its file, only the latest in memory, numbering carried across restarts. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OUTBOX_KEPT_IN_MEMORY, OutboxNotifier } from '../../dev-server/adapters/outbox-notifier';
import type { OutgoingMessage } from '../../shared/ports/notifier';

const clock = { now: () => new Date('2026-11-24T01:00:00Z'), scale: 1 };
const message = (index: number): OutgoingMessage => ({
  to: '13900000000',
  recipientRole: 'reporter',
  template: 'feedback',
  params: {},
  text: `第${index}条`,
  textEn: `message ${index}`,
  eventId: `E${index}`,
  parts: 1,
});

let folder: string;
beforeEach(() => (folder = mkdtempSync(join(tmpdir(), 'gridflow-outbox-'))));
afterEach(() => rmSync(folder, { recursive: true, force: true }));

it('keeps every message in the file and only the latest in memory, and numbers on after a restart', async () => {
  const file = join(folder, 'outbox.jsonl');
  const outbox = new OutboxNotifier(clock, file, () => {});
  const total = OUTBOX_KEPT_IN_MEMORY * 2 + 10;
  // Sent 100 at a time, as concurrent publishes arrive: numbered and written in the order sent.
  for (let first = 1; first <= total; first += 100)
    await Promise.all(Array.from({ length: Math.min(100, total - first + 1) }, (_, offset) => outbox.send(message(first + offset))));

  const kept = outbox.all();
  expect(kept).toHaveLength(OUTBOX_KEPT_IN_MEMORY);
  expect(kept.at(-1)).toMatchObject({ id: `sms-${total}`, eventId: `E${total}` });
  expect(kept[0]).toMatchObject({ id: `sms-${total - OUTBOX_KEPT_IN_MEMORY + 1}` });
  expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(total);

  const restarted = new OutboxNotifier(clock, file, () => {});
  expect(restarted.all()).toEqual(kept);
  expect(await restarted.send(message(0))).toEqual({ messageId: `sms-${total + 1}` });
});
