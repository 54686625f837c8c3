/**
 * The single table's shape, declared once: CDK builds the cloud table from it and local mode
 * creates DynamoDB Local's table from it.
 *
 * Items (pk / sk):
 *   EVENT#<id>            / EVENT                 the event (version-checked)
 *   EVENT#<id>            / TL#<seq, 6 digits>    its append-only timeline
 *   AGG#UNIT#<code>       / DAY#<YYYY-MM-DD>      per-day counters of a unit (every ancestor of the grid)
 *   AGG#DEPT#<code>       / DAY#<YYYY-MM-DD>      per-day counters of a department team (<unit>:<department>)
 *   AGG#PERSON#<id>       / DAY#<YYYY-MM-DD>      per-day counters of a grid worker (scorecards)
 *   REPORT#<kind>#<scope> / <period>              a published report (daily, weekly, monthly, quarterly)
 *   IDEM#<key>            / IDEM                  idempotency record (TTL)
 *   RATE#<bucket>         / RATE                  rate-limit window (TTL)
 *   REMIND#<phone>        / REMIND                the phone's reminder window: `endsAt` (ISO UTC, only grows; writes are
 *                                                 conditional on the value read) and `folded`, the reminders waiting for
 *                                                 the window's digest (TTL: a day after the window)
 *   DIGESTS               / <dueAt ISO UTC>#<phone>  due list of digests: the sweeper Queries `sk <= now#~` (no Scan, no GSI;
 *                                                 written before the fold it announces, deleted once the digest is taken;
 *                                                 a sweep drops a stale one once the phone's window has moved on)
 *                                                 (TTL: a day after due)
 *
 * GSIs:
 *   byUnit      gsi1pk = <district code>#<status>, gsi1sk = <grid code>#<createdAt>#<id>
 *               events of a unit (begins_with the unit's code) by status and time
 *   byAssignee  gsi2pk = <assignee type>#<assignee unit>#<assignee id>, gsi2sk = <deadlineAt>#<id>
 *               open cases of a handler or department by deadline (sparse: only cases waiting on their handler)
 *   byUrgency   gsi3pk = <district code>#open, gsi3sk = <severity>#<deadlineAt>#<id>
 *               open cases most urgent first: level 1 before level 4, then the least time left (sparse: open only)
 */
export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const TTL_ATTRIBUTE = 'expiresAt';

export const GSI = {
  byUnit: { name: 'byUnit', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byAssignee: { name: 'byAssignee', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  byUrgency: { name: 'byUrgency', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
} as const;

export const keys = {
  event: (id: string) => ({ pk: `EVENT#${id}`, sk: 'EVENT' }),
  timeline: (id: string, seq: number) => ({ pk: `EVENT#${id}`, sk: `TL#${String(seq).padStart(6, '0')}` }),
  counters: (kind: 'unit' | 'department' | 'person', code: string, day: string) => ({
    pk: `AGG#${{ unit: 'UNIT', department: 'DEPT', person: 'PERSON' }[kind]}#${code}`,
    sk: `DAY#${day}`,
  }),
  report: (kind: string, scope: string, period: string) => ({ pk: `REPORT#${kind}#${scope}`, sk: period }),
  idempotency: (key: string) => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  rate: (bucket: string) => ({ pk: `RATE#${bucket}`, sk: 'RATE' }),
};
