/**
 * The single table's shape, declared once: CDK builds the cloud table from it and local mode
 * creates DynamoDB Local's table from it.
 * Long because: the layout comment (every item's keys, every index and what is on it) sits beside the code that
 * builds them, so the two are read and changed together.
 *
 * Items (pk / sk):
 *   EVENT#<id>            / EVENT                 the case (version-checked)
 *   EVENT#<id>            / TL#<seq, 6 digits>    its append-only timeline
 *   EVENT#<id>            / TL#<seq>#C<at ISO UTC>#<comment id>  a comment: an item of its own (the case is not touched),
 *                                                 right after the entry that was last when it was made (timelineOrderKey)
 *   AGG#UNIT#<code>       / DAY#<YYYY-MM-DD>#<part>#<shard>  per-day counters of a unit (every ancestor of the grid)
 *   AGG#DEPT#<code>       / DAY#<YYYY-MM-DD>#<part>#<shard>  per-day counters of a department team (<unit>:<department>)
 *   AGG#PERSON#<id>       / DAY#<YYYY-MM-DD>#<part>#<shard>  per-day counters of a grid worker (scorecards)
 *                                                 A day's counters are split into small items so that no item grows with
 *                                                 the day's variety (an update is billed by the item's whole size, and an
 *                                                 item stops at 400 KB): <part> is the counter's name (`reported` holds
 *                                                 reported, reported@<class>, reported@<item>: bounded by the catalog), or
 *                                                 the place (`g:<grid>`, `cell:<item>:<geohash>`: one item each). Each
 *                                                 part is spread over COUNTER_SHARDS items, the shard chosen from the case
 *                                                 id, so that no item is one every report of a district writes (DynamoDB
 *                                                 cancels a transaction touching an item another one is committing). A
 *                                                 report reads a period with one Query of `DAY#<from>` … `DAY#<to>~` and
 *                                                 sums the items (items from before shards, `DAY#<day>#<part>`, add in).
 *                                                 Every counter write also adds 1 to the item's `writes` (WRITES), which
 *                                                 the fold below checks.
 *   AGG#…#<code>          / DAY#<YYYY-MM-DD>      a finished day's counters folded into one item (the fold-counters job, 00:30):
 *                                                 each fold moves items of the day into it in one transaction — the folded
 *                                                 item put with their sums, each moved item deleted, every write on the
 *                                                 condition that the item is as read (`writes`) — so the day's items always
 *                                                 sum exactly, a late write (a patrol recorded days later) lands in a shard
 *                                                 again and is folded the next night, and folding twice changes nothing.
 *                                                 A bulletin then reads one item per day instead of up to 8 per part.
 *                                                 Kept under FOLDED_ITEM_MAX_BYTES: what would not fit stays in its items.
 *   AGG#UNIT#<code>       / NOW#<part>#<shard>    standing counts of a unit: `open`, its cases open now (moved by every open
 *                                                 and close in the change's transaction; a report sums the shards)
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
 *   PATROLS#<district>#<day> / <unit code>#<at ISO UTC>#<patrol id>   a patrol (三查) of a grid, community or town on its
 *                                                 local day; a unit's patrols of a day: Query begins_with(sk, <unit code>)
 *   PATROLLED#<district>#<day> / <grid code>     the grid's first daily patrol of the day: put on the condition that it is
 *                                                 absent, in the patrol's transaction with its `patrolledGrids` counters
 *                                                 (so a grid counts once a day); the patrol check Queries the partition
 *                                                 (TTL: about 13 months)
 *   ONCE#<key>            / ONCE                  a one-off claim, e.g. a reminder already sent to a worker today, or a
 *                                                 "report ready" SMS already sent to a head for a report (TTL)
 *   VERIFY#<phone E.164>  / VERIFY                the phone's pending verification code: its keyed hash (never the code),
 *                                                 `tries` (counted before each check) and `codeExpiresAt` (TTL: a day on)
 *   SEEN#<person id>      / <case id>             a case the person opened (`seenAt`, the first time): the command center's level-1
 *                                                 banner stands for a person until they open the case (TTL: 30 days on)
 *   SMS#<intent id>       / SMS                   an SMS to send (sms-intents.ts), written with the change that causes it: the stream
 *                                                 feeds its INSERT to the SMS sender, which counts `attempts`, then records
 *                                                 `sentAt` or `failedAt` (and `held`) (TTL: 30 days)
 *   SMS#<first intent id> / OWED                  SMS with no room in their change's transaction, packed (dynamodb-owed-sms.ts)
 *   EVENT#<id>            / SMS#<intent id>       an SMS about the case, in the case's own collection, one per case it names
 *                                                 (a digest names several), written with the intent: template, role, the
 *                                                 number masked, when, how many other cases (not which); the outcome is read
 *                                                 from the intent. No TTL.
 *   REFERENCE             / CURRENT               the reference documents' version in effect: its number, who applied it and
 *                                                 when, each document's content hash (written with its V# item, on the
 *                                                 condition that the version it replaces is still current)
 *   REFERENCE             / V#<version, 6 digits>  each version as applied (the audit: who, when, why, its changes' hash)
 *   REFDOC#<sha-256>      / C#<part, 4 digits>    a document's content, gzipped JSON in parts of at most 300 KB; content-
 *                                                 addressed, so written before any version names it and never changed
 *   SCHEMA                / SCHEMA                the schema version the table is at, with its index set (schema-versions.ts;
 *                                                 written by the migration runner, migrations.ts)
 *   CAMPAIGN#<id>         / CAMPAIGN              a campaign (闭环排查): title, instructions, deadline, units, targets
 *   CAMPAIGN#<id>         / RESP#<person id>      a target's answer (the latest replaces earlier ones; `responses` counts them)
 *   CAMPAIGNS#<district>  / <deadline ISO UTC>#<id>  the district's campaigns by deadline, with a summary and the number
 *                                                 answered: lists (Query, filtered by unit) and the reminder job (a range)
 *
 * GSIs:
 *   byUnit      gsi1pk = <district code>#<status>#s<street shard>, gsi1sk = <grid code>#<createdAt>#<id>
 *               cases of a unit (begins_with the unit's code) by status and time. A street's cases are all in
 *               one of STREET_SHARDS partitions (streetShard), so no partition holds every open case of a
 *               district; a district-wide list merges the shards in sort order (merged-query.ts) with a compound
 *               cursor. Tables from before version 4 kept `<district code>#<status>`: lists read that partition
 *               too (empty once version 4 has migrated).
 *   byAssignee  gsi2pk = <assignee type>#<assignee unit>#<assignee id>, gsi2sk = <deadlineAt>#<id>
 *               open cases of a handler or department by deadline (sparse: only cases waiting on their handler)
 *   byUrgency   gsi3pk = <district code>#open#s<street shard>, gsi3sk = <severity>#<deadlineAt>#<id>
 *               open cases most urgent first: level 1 before level 4, then the least time left (sparse: open only);
 *               sharded and merged as byUnit (before version 4: `<district code>#open`)
 *   byPlace     gsi4pk = <item code>#<geohash, 6 characters: about 1.2 km × 0.6 km>, gsi4sk = <createdAt>#<id>
 *               open cases of an item in a cell, by time: the likely-duplicate check reads the one to four
 *               cells around a report (sparse: located open cases only)
 *   byUnstarted gsi5pk = <district code>#unstarted, gsi5sk = <createdAt>#<id>
 *               open cases whose lifecycle has not yet waited on them (sparse: `awaitingLifecycle`, set when
 *               a report is stored, cleared when its first wait stores its token): the sweeper reads only
 *               these, past their grace
 *   byOverdue   gsi6pk = <district code>#overdue, gsi6sk = <grid code>#<createdAt>#<id> (byUnit's order)
 *               open cases past a deadline (sparse: isOverdueOpen): a report's overdue list and `overdue=true`
 *               read these instead of filtering every open case of the unit
 *   byDue       gsiDuePk = <district code>#due, gsiDueSk = <when, ISO UTC>#<id>
 *               open cases by the time the sweeper next looks at them (sparse: shared/domain/case-lists.ts
 *               sweeperDueAt): the next reminder it sends (50%, 75%, the second notice to sign), or else the
 *               clock's deadline plus a grace, past which it makes sure the case's execution still runs
 *   byPlainWeek gsiWeekPk = <district code>#plainweek, gsiWeekSk = <year>#<id>
 *               open cases whose deadline was counted over a year the calendar had no holidays for (sparse:
 *               shared/domain/plain-week.ts plainWeekYear), by the first such year: the sweeper counts them again
 *               once that year's calendar arrives. Normally empty.
 *   byChangeWithTeams  gsiTeamChangePk = <district code>#changed#s<street shard>, gsiTeamChangeSk = <updatedAt>#<id>
 *               every case (open or closed) by the time it last changed (UTC), its id, grid and teams copied: the
 *               board's poll reads the entries after a moment (a department's filtered by its teams, a unit below the
 *               district by its grids), then those cases (GetItem). Sharded by street as byUnit; a district's poll
 *               merges the shards in time order. It replaced byChange (version 9; the same keys, without the teams).
 */
import {
  awaitsLifecycle,
  isDuplicateCandidate,
  isOpenCase,
  isOverdueOpen,
  plainWeekYear,
  sweeperDueAt,
  waitsOnHandler,
} from '../../domain/case-lists';
import { geohash, NEARBY_PRECISION } from '../../domain/geohash';
import { assigneeKey } from '../../domain/routing';
import { timelineOrderKey } from '../../domain/timeline';
import type { Case } from '../../domain/types';
import { districtOf } from '../../domain/unit-codes';

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const TTL_ATTRIBUTE = 'expiresAt';
/** The table's stream: new images, which the SMS sender reads its intents from (the cloud's table has the same). */
export const TABLE_STREAM = { StreamEnabled: true, StreamViewType: 'NEW_IMAGE' } as const;
/** The partition key prefix of SMS intents (and owed items): the stream's filter picks their INSERTs by it. */
export const SMS_INTENT_PREFIX = 'SMS#';

export const GSI = {
  byUnit: { name: 'byUnit', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  byAssignee: { name: 'byAssignee', partitionKey: 'gsi2pk', sortKey: 'gsi2sk' },
  byUrgency: { name: 'byUrgency', partitionKey: 'gsi3pk', sortKey: 'gsi3sk' },
  // Only what a duplicate check reads is copied into this index: writes to it stay small.
  byPlace: {
    name: 'byPlace',
    partitionKey: 'gsi4pk',
    sortKey: 'gsi4sk',
    include: ['id', 'itemCode', 'gridCode', 'location', 'createdAt', 'duplicateOf'],
  },
  byUnstarted: { name: 'byUnstarted', partitionKey: 'gsi5pk', sortKey: 'gsi5sk', include: ['id'] },
  byOverdue: { name: 'byOverdue', partitionKey: 'gsi6pk', sortKey: 'gsi6sk' },
  byDue: { name: 'byDue', partitionKey: 'gsiDuePk', sortKey: 'gsiDueSk', include: ['id'] },
  byPlainWeek: { name: 'byPlainWeek', partitionKey: 'gsiWeekPk', sortKey: 'gsiWeekSk', include: ['id'] },
  // The grid: a poll below the district filters its street's shard by it; the teams: a department's poll by them.
  // Not byChange's key names (gsiChangePk, gsiChangeSk), which it replaced: DynamoDB Local never finishes deleting the
  // later of two indexes a table was created with on the same keys (it stays DELETING).
  byChangeWithTeams: {
    name: 'byChangeWithTeams',
    partitionKey: 'gsiTeamChangePk',
    sortKey: 'gsiTeamChangeSk',
    include: ['id', 'gridCode', 'involvedDepartments'],
  },
} as const;

/** The non-key attributes an index copies; absent: all of them. */
export function projectedAttributes(index: (typeof GSI)[keyof typeof GSI]): readonly string[] | undefined {
  return 'include' in index ? index.include : undefined;
}

/** An index as DynamoDB's CreateTable and the CloudFormation template describe it. */
export function indexDefinition(index: (typeof GSI)[keyof typeof GSI]) {
  const projected = projectedAttributes(index);
  return {
    IndexName: index.name,
    KeySchema: [
      { AttributeName: index.partitionKey, KeyType: 'HASH' as const },
      { AttributeName: index.sortKey, KeyType: 'RANGE' as const },
    ],
    Projection: projected ? { ProjectionType: 'INCLUDE' as const, NonKeyAttributes: [...projected] } : { ProjectionType: 'ALL' as const },
  };
}

/**
 * The counter item a counter key is kept in (see the item list above): `reported@g:<grid>` → `g:<grid>`,
 * `reported@cell:…` → `cell:…`, `reported@01-01` and `reported` → `reported`.
 */
export function counterPart(counterKey: string): string {
  const at = counterKey.indexOf('@');
  if (at < 0) return counterKey;
  const qualifier = counterKey.slice(at + 1);
  return qualifier.startsWith('g:') || qualifier.startsWith('cell:') ? qualifier : counterKey.slice(0, at);
}

/** How many times a counter item was written (see the item list above): not a count, the fold's condition. */
export const WRITES = 'writes';

/** The most a folded day's item may hold (DynamoDB stops an item at 400 KB): what would not fit stays unfolded. */
export const FOLDED_ITEM_MAX_BYTES = 300_000;

/** How many items each counter part is spread over (see the item list above). */
export const COUNTER_SHARDS = 8;

/** The counter shard of a change: from the case's (or patrol's) id, so one change touches one shard of each part. */
export function counterShard(seed: string): number {
  // FNV-1a: cheap, and spreads ids that differ in their last characters.
  let hash = 0x811c9dc5;
  for (let index = 0; index < seed.length; index++) hash = Math.imul(hash ^ seed.charCodeAt(index), 0x01000193);
  return (hash >>> 0) % COUNTER_SHARDS;
}

/** How many partitions a district's byUnit and byUrgency lists are spread over, a street's cases in one. */
export const STREET_SHARDS = 8;

/** The shard of a unit at street level or below: from its street's number (the 3 digits after the district). */
export function streetShard(code: string): number {
  return Number(code.slice(6, 9)) % STREET_SHARDS;
}

/** Sorts an open case without a deadline after every dated one of its level (byUrgency, byAssignee). */
const NO_DEADLINE = '9999';
/** A day's patrol markers are kept about 13 months (the list of a past day still shows its coverage). */
const MARKER_KEEP_SECONDS = 400 * 86_400;

const REFERENCE_PARTITION = 'REFERENCE';
export const REFERENCE_VERSION_PREFIX = 'V#';

/** The items' keys (see the list above). */
export const keys = {
  event: (id: string) => ({ pk: `EVENT#${id}`, sk: 'EVENT' }),
  timeline: (id: string, seq: number) => ({ pk: `EVENT#${id}`, sk: `TL#${timelineOrderKey({ seq, at: '' })}` }),
  /** Any entry's key: a comment's holds its time and id after the version it follows. */
  timelineEntry: (entry: { eventId: string; seq: number; id?: string; at: string }) => ({
    pk: `EVENT#${entry.eventId}`,
    sk: `TL#${timelineOrderKey(entry)}`,
  }),
  timelinePrefix: 'TL#',
  counters: (kind: 'unit' | 'department' | 'person', code: string, day: string, part: string, shard: number) => ({
    pk: countersPartition(kind, code),
    sk: `DAY#${day}#${part}#${shard}`,
  }),
  /** A finished day's counters, folded into one item. */
  foldedDay: (kind: 'unit' | 'department' | 'person', code: string, day: string) => ({
    pk: countersPartition(kind, code),
    sk: `DAY#${day}`,
  }),
  /** A standing count's shard (`open`). */
  standing: (kind: 'unit' | 'department' | 'person', code: string, part: string, shard: number) => ({
    pk: countersPartition(kind, code),
    sk: `${STANDING_PREFIX}${part}#${shard}`,
  }),
  standingPrefix: (kind: 'unit' | 'department' | 'person', code: string) => ({
    pk: countersPartition(kind, code),
    prefix: STANDING_PREFIX,
  }),
  /** A period's counter items: `DAY#<from>` … `DAY#<to>~` (`~` sorts after `#<part>`: the last day's parts are in; a folded day sorts first). */
  counterDays: (kind: 'unit' | 'department' | 'person', code: string, fromDay: string, toDay: string) => ({
    pk: countersPartition(kind, code),
    from: `DAY#${fromDay}`,
    to: `DAY#${toDay}~`,
  }),
  /** The day of a counter item's sort key. */
  counterDayOf: (sk: string) => sk.slice(4, 14),
  report: (kind: string, scope: string, period: string) => ({ pk: `REPORT#${kind}#${scope}`, sk: period }),
  idempotency: (key: string) => ({ pk: `IDEM#${key}`, sk: 'IDEM' }),
  rate: (bucket: string) => ({ pk: `RATE#${bucket}`, sk: 'RATE' }),
  once: (key: string) => ({ pk: `ONCE#${key}`, sk: 'ONCE' }),
  verification: (phone: string) => ({ pk: `VERIFY#${phone}`, sk: 'VERIFY' }),
  seenCases: (person: string) => `SEEN#${person}`,
  seenCase: (person: string, caseId: string) => ({ pk: `SEEN#${person}`, sk: caseId }),
  schema: () => ({ pk: 'SCHEMA', sk: 'SCHEMA' }),
  referenceCurrent: () => ({ pk: REFERENCE_PARTITION, sk: 'CURRENT' }),
  referenceVersion: (version: number) => ({
    pk: REFERENCE_PARTITION,
    sk: `${REFERENCE_VERSION_PREFIX}${String(version).padStart(6, '0')}`,
  }),
  referencePart: (hash: string, part: number) => ({ pk: `REFDOC#${hash}`, sk: `C#${String(part).padStart(4, '0')}` }),
  smsIntent: (id: string) => ({ pk: `${SMS_INTENT_PREFIX}${id}`, sk: 'SMS' }),
  owedSms: (firstIntentId: string) => ({ pk: `${SMS_INTENT_PREFIX}${firstIntentId}`, sk: 'OWED' }),
  /** An SMS about a case, in the case's collection (the partition key is the case's: the stream's filter passes it by). */
  caseMessage: (eventId: string, intentId: string) => ({ pk: `EVENT#${eventId}`, sk: `${SMS_INTENT_PREFIX}${intentId}` }),
  caseMessagePrefix: SMS_INTENT_PREFIX,
  reminderWindow: (phone: string) => ({ pk: `REMIND#${phone}`, sk: 'REMIND' }),
  dueDigests: 'DIGESTS',
  dueDigest: (dueAt: string, phone: string) => ({ pk: 'DIGESTS', sk: `${dueAt}#${phone}` }),
  /** Every due entry at or before `now`: `#` sorts before the digits and `+` of a phone, `~` after them. */
  dueUpTo: (now: Date) => `${now.toISOString()}#~`,
  patrol: (patrol: { unitCode: string; day: string; at: string; id: string }) => ({
    pk: keysOfPatrols(districtOf(patrol.unitCode), patrol.day),
    sk: `${patrol.unitCode}#${new Date(patrol.at).toISOString()}#${patrol.id}`,
  }),
  patrols: (district: string, day: string) => keysOfPatrols(district, day),
  patrolMarker: (grid: string, day: string) => ({ pk: `PATROLLED#${districtOf(grid)}#${day}`, sk: grid }),
  patrolMarkers: (district: string, day: string) => `PATROLLED#${district}#${day}`,
  /** A marker expires about 13 months after its day. */
  patrolMarkerExpiry: (day: string) => Math.floor(Date.parse(`${day}T00:00:00+08:00`) / 1000) + MARKER_KEEP_SECONDS,
  campaign: (id: string) => ({ pk: `CAMPAIGN#${id}`, sk: 'CAMPAIGN' }),
  campaignResponse: (id: string, person: string) => ({ pk: `CAMPAIGN#${id}`, sk: `RESP#${person}` }),
  campaignResponsePrefix: 'RESP#',
  campaignEntry: (campaign: { id: string; district: string; deadlineAt: string }) => ({
    pk: campaignList(campaign.district),
    sk: `${new Date(campaign.deadlineAt).toISOString()}#${campaign.id}`,
  }),
  /** Every entry with a deadline from `from` up to and including `to`: `#` sorts before the id's letters, `~` after. */
  campaignsBetween: (district: string, from: string, to: string) => ({ pk: campaignList(district), from, to: `${to}~` }),
};

const STANDING_PREFIX = 'NOW#';
function countersPartition(kind: 'unit' | 'department' | 'person', code: string): string {
  return `AGG#${{ unit: 'UNIT', department: 'DEPT', person: 'PERSON' }[kind]}#${code}`;
}
/** The street shards a unit's cases are in: its street's (a district: every shard). */
function shardsOf(unitPrefix: string): number[] {
  return unitPrefix.length > 6 ? [streetShard(unitPrefix)] : Array.from({ length: STREET_SHARDS }, (_, shard) => shard);
}
function shardPartitions(unitPrefix: string, before: string): string[] {
  return [...shardsOf(unitPrefix).map((shard) => `${before}#s${shard}`), before];
}
const keysOfPatrols = (district: string, day: string) => `PATROLS#${district}#${day}`;
const campaignList = (district: string) => `CAMPAIGNS#${district}`;

/** The index partitions a query reads. */
export const indexKeys = {
  byUnit: (gridCode: string, status: string) => `${districtOf(gridCode)}#${status}#s${streetShard(gridCode)}`,
  byUrgency: (gridCode: string) => `${districtOf(gridCode)}#open#s${streetShard(gridCode)}`,
  /** The partitions a unit's list reads: its street's shard (a district: every shard), and the district's before version 4. */
  byUnitPartitions: (unitPrefix: string, status: string) => shardPartitions(unitPrefix, `${districtOf(unitPrefix)}#${status}`),
  byUrgencyPartitions: (unitPrefix: string) => shardPartitions(unitPrefix, `${districtOf(unitPrefix)}#open`),
  byPlace: (itemCode: string, cell: string) => `${itemCode}#${cell}`,
  byUnstarted: (district: string) => `${district}#unstarted`,
  byOverdue: (district: string) => `${district}#overdue`,
  byDue: (district: string) => `${district}#due`,
  byPlainWeek: (district: string) => `${district}#plainweek`,
  /** The partitions a unit's "changed since" poll reads: its street's shard (a district: every shard). */
  byChange: (gridCode: string) => `${districtOf(gridCode)}#changed#s${streetShard(gridCode)}`,
  byChangePartitions: (unitPrefix: string) => shardsOf(unitPrefix).map((shard) => `${districtOf(unitPrefix)}#changed#s${shard}`),
  /** A moment as the change list's sort keys begin (UTC: one offset for every key, so strings sort as times). */
  byChangeFrom: (since: string) => new Date(since).toISOString(),
};

/**
 * The index attributes of a stored case: which lists it is on is decided by the domain (case-lists.ts), the
 * keys here. An attribute left out takes the case off that (sparse) index.
 */
export function caseIndexAttributes(theCase: Case): Record<string, string> {
  const district = districtOf(theCase.gridCode);
  const sweeperDue = sweeperDueAt(theCase);
  const weekYear = plainWeekYear(theCase);
  return {
    [GSI.byUnit.partitionKey]: indexKeys.byUnit(theCase.gridCode, theCase.status),
    [GSI.byUnit.sortKey]: `${theCase.gridCode}#${theCase.createdAt}#${theCase.id}`,
    [GSI.byChangeWithTeams.partitionKey]: indexKeys.byChange(theCase.gridCode),
    [GSI.byChangeWithTeams.sortKey]: `${indexKeys.byChangeFrom(theCase.updatedAt)}#${theCase.id}`,
    ...(waitsOnHandler(theCase) && theCase.assignee
      ? {
          [GSI.byAssignee.partitionKey]: assigneeKey(theCase.assignee),
          [GSI.byAssignee.sortKey]: `${theCase.deadlineAt ?? NO_DEADLINE}#${theCase.id}`,
        }
      : {}),
    ...(isOpenCase(theCase)
      ? {
          [GSI.byUrgency.partitionKey]: indexKeys.byUrgency(theCase.gridCode),
          [GSI.byUrgency.sortKey]: `${theCase.severity}#${theCase.deadlineAt ?? NO_DEADLINE}#${theCase.id}`,
        }
      : {}),
    ...(isDuplicateCandidate(theCase) && theCase.location
      ? {
          [GSI.byPlace.partitionKey]: indexKeys.byPlace(
            theCase.itemCode,
            geohash(theCase.location.lat, theCase.location.lng, NEARBY_PRECISION),
          ),
          [GSI.byPlace.sortKey]: `${theCase.createdAt}#${theCase.id}`,
        }
      : {}),
    ...(isOverdueOpen(theCase)
      ? {
          [GSI.byOverdue.partitionKey]: indexKeys.byOverdue(district),
          [GSI.byOverdue.sortKey]: `${theCase.gridCode}#${theCase.createdAt}#${theCase.id}`,
        }
      : {}),
    ...(sweeperDue
      ? {
          [GSI.byDue.partitionKey]: indexKeys.byDue(district),
          [GSI.byDue.sortKey]: `${sweeperDue.toISOString()}#${theCase.id}`,
        }
      : {}),
    ...(weekYear !== undefined
      ? {
          [GSI.byPlainWeek.partitionKey]: indexKeys.byPlainWeek(district),
          [GSI.byPlainWeek.sortKey]: `${weekYear}#${theCase.id}`,
        }
      : {}),
    ...(awaitsLifecycle(theCase)
      ? {
          [GSI.byUnstarted.partitionKey]: indexKeys.byUnstarted(district),
          [GSI.byUnstarted.sortKey]: `${theCase.createdAt}#${theCase.id}`,
        }
      : {}),
  };
}

/** The attributes only the table's layout adds to an item (keys, index keys, the item's type): stripped when read back. */
export const LAYOUT_ATTRIBUTES = [
  TABLE_KEYS.partitionKey,
  TABLE_KEYS.sortKey,
  ...Object.values(GSI).flatMap((index) => [index.partitionKey, index.sortKey]),
  'itemType',
] as const;
