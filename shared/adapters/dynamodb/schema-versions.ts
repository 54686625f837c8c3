/**
 * The table's schema versions, recorded one by one: each version names the indexes the table has from
 * then on (as signatures: keys and projection) and, if needed, a data migration (a backfill of an index's
 * attributes, a renamed attribute). The table holds the version it is at (the SCHEMA item, table-design.ts);
 * the migration runner (migrations.ts) brings it to the last one, at local start and with `npm run migrate`
 * in the cloud.
 *
 * The rule: each version (each deployment) adds, changes or removes at most one index. DynamoDB builds one
 * index at a time (an UpdateTable creates or deletes one GSI; CloudFormation refuses an update of the table
 * that touches two), and a backfill is checked against one new index. tests/unit/schema-versions.test.ts
 * holds the list to the rule and to the table design (a change of GSI without a new version here fails it),
 * and the runner refuses a table whose indexes moved two steps at once.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  countOtherCasesOfSms,
  fillChangeIndex,
  fillChangeWithTeamsIndex,
  fillOverdueIndex,
  fillPlaceKeys,
  recountOpenCases,
  shardListKeys,
} from './data-migrations';
import { GSI, projectedAttributes } from './table-design';

export interface SchemaVersion {
  readonly version: number;
  /** What changed, for the log and the README. */
  readonly summary: string;
  /** Every index of the table at this version, by name: `<partition key>,<sort key>,<projection>` (see indexSignature). */
  readonly indexes: Readonly<Record<string, string>>;
  /**
   * Rewrites items once the version's indexes exist (e.g. fills the keys of a new index); must be safe to run again.
   * Returns what it read and rewrote, with counts, for the log.
   */
  readonly migrate?: (client: DynamoDBClient, tableName: string) => Promise<string>;
}

/**
 * Oldest first; append only (a recorded version is never edited: tables in the field are at it). Version 1 is
 * the baseline: the five indexes the table had when versions began to be recorded. Its data step brings the items
 * of a table from before then to the baseline's keys; it runs only when the runner adopts a table without a
 * SCHEMA item (as do the data steps of every version up to the one adopted), never on a recorded table.
 */
export const SCHEMA_VERSIONS: readonly SchemaVersion[] = [
  {
    version: 1,
    summary: 'Baseline: byUnit, byAssignee, byUrgency, byPlace and byUnstarted',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
    },
    migrate: fillPlaceKeys,
  },
  {
    version: 2,
    summary: 'Open-case counts: each unit keeps how many of its cases are open (sharded, moved by every open and close); counted once here',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
    },
    migrate: recountOpenCases,
  },
  {
    version: 3,
    summary: 'byOverdue: the open cases past a deadline, for reports and overdue=true (filled once from the open overdue cases)',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
    },
    migrate: fillOverdueIndex,
  },
  {
    version: 4,
    summary:
      'byUnit and byUrgency keyed by street shard (no partition holds every open case of a district); the keys of every case rewritten once',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
    },
    migrate: shardListKeys,
  },
  {
    version: 5,
    summary:
      'byDue: open cases by when the sweeper next looks at them (the reminders it sends, a deadline unacted on); a case is on it from its next change (executions started before keep sending their own reminders)',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
    },
  },
  {
    version: 6,
    summary:
      'byPlainWeek: open cases whose deadline was counted over a year the calendar had no holidays for, counted again by the sweeper when that year arrives (none before this version: nothing to fill)',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
      byPlainWeek: 'gsiWeekPk,gsiWeekSk,INCLUDE(id)',
    },
  },
  {
    version: 7,
    summary:
      'byChange: every case by the time it last changed (sharded by street), for the board\'s "changed since" poll; the keys of every case written once',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
      byPlainWeek: 'gsiWeekPk,gsiWeekSk,INCLUDE(id)',
      byChange: 'gsiChangePk,gsiChangeSk,INCLUDE(gridCode|id)',
    },
    migrate: fillChangeIndex,
  },
  {
    version: 8,
    summary:
      "A case's entry of a digest SMS keeps how many other cases the SMS covered, not their ids (GET /events/{id}/messages showed them to whoever may see the case); the entries written before rewritten once",
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
      byPlainWeek: 'gsiWeekPk,gsiWeekSk,INCLUDE(id)',
      byChange: 'gsiChangePk,gsiChangeSk,INCLUDE(gridCode|id)',
    },
    migrate: countOtherCasesOfSms,
  },
  {
    version: 9,
    summary:
      "byChangeWithTeams: every case by the time it last changed (as byChange) with the case's teams copied, so a department's \"changed since\" poll filters by its teams in the index and reads only its own cases; its keys written once on every case (a new index under keys of its own: CloudFormation cannot change an index's projection in place, and DynamoDB Local cannot always delete one of two indexes on the same keys; byChange goes in the next version)",
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
      byPlainWeek: 'gsiWeekPk,gsiWeekSk,INCLUDE(id)',
      byChange: 'gsiChangePk,gsiChangeSk,INCLUDE(gridCode|id)',
      byChangeWithTeams: 'gsiTeamChangePk,gsiTeamChangeSk,INCLUDE(gridCode|id|involvedDepartments)',
    },
    migrate: fillChangeWithTeamsIndex,
  },
  {
    version: 10,
    summary:
      'byChange removed: the polls read byChangeWithTeams since version 9, so a change writes one change entry again, not two (its keys, gsiChangePk and gsiChangeSk, are no longer written; a case keeps them until its next change)',
    indexes: {
      byUnit: 'gsi1pk,gsi1sk,ALL',
      byAssignee: 'gsi2pk,gsi2sk,ALL',
      byUrgency: 'gsi3pk,gsi3sk,ALL',
      byPlace: 'gsi4pk,gsi4sk,INCLUDE(createdAt|duplicateOf|gridCode|id|itemCode|location)',
      byUnstarted: 'gsi5pk,gsi5sk,INCLUDE(id)',
      byOverdue: 'gsi6pk,gsi6sk,ALL',
      byDue: 'gsiDuePk,gsiDueSk,INCLUDE(id)',
      byPlainWeek: 'gsiWeekPk,gsiWeekSk,INCLUDE(id)',
      byChangeWithTeams: 'gsiTeamChangePk,gsiTeamChangeSk,INCLUDE(gridCode|id|involvedDepartments)',
    },
  },
];

export const LATEST_SCHEMA: SchemaVersion = SCHEMA_VERSIONS[SCHEMA_VERSIONS.length - 1] as SchemaVersion;

/** An index as one comparable string: its key attributes and what it projects (INCLUDE attributes sorted). */
export function indexSignature(index: { partitionKey: string; sortKey?: string; projection: 'ALL' | 'KEYS_ONLY' | readonly string[] }) {
  const projection = typeof index.projection === 'string' ? index.projection : `INCLUDE(${[...index.projection].sort().join('|')})`;
  return `${index.partitionKey},${index.sortKey ?? ''},${projection}`;
}

/** The indexes the table design (GSI) declares today, as signatures. */
export function designedIndexes(): Record<string, string> {
  return Object.fromEntries(
    Object.values(GSI).map((index) => [
      index.name,
      indexSignature({ partitionKey: index.partitionKey, sortKey: index.sortKey, projection: projectedAttributes(index) ?? 'ALL' }),
    ]),
  );
}

export interface IndexChange {
  index: string;
  change: 'add' | 'change' | 'remove';
}

/** The indexes that differ between two index sets. */
export function indexChanges(from: Readonly<Record<string, string>>, to: Readonly<Record<string, string>>): IndexChange[] {
  const names = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort();
  return names.flatMap((index): IndexChange[] => {
    if (from[index] === to[index]) return [];
    if (from[index] === undefined) return [{ index, change: 'add' }];
    if (to[index] === undefined) return [{ index, change: 'remove' }];
    return [{ index, change: 'change' }];
  });
}

/** How a list of versions breaks the rules (none: it keeps them): numbering, and at most one index change per version. */
export function schemaRuleViolations(versions: readonly SchemaVersion[] = SCHEMA_VERSIONS): string[] {
  const problems: string[] = [];
  versions.forEach((entry, position) => {
    if (entry.version !== position + 1) problems.push(`version ${entry.version} is at position ${position + 1}: versions count 1, 2, 3…`);
    const previous = versions[position - 1];
    if (!previous) return;
    const changes = indexChanges(previous.indexes, entry.indexes);
    if (changes.length > 1)
      problems.push(
        `version ${entry.version} changes ${changes.length} indexes (${changes.map((c) => `${c.change} ${c.index}`).join(', ')}): one per deployment`,
      );
    if (changes.length === 0 && !entry.migrate) problems.push(`version ${entry.version} changes no index and migrates no data`);
  });
  return problems;
}
