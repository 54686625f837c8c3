/**
 * The reference documents on the table (table-design.ts): each document's content under its hash, gzipped in parts
 * (2,434 grid boundaries are 1–2 MB of JSON; an item stops at 400 KB), written before the version that names it;
 * then the version and the CURRENT pointer in one transaction, on the condition that the version replaced is still
 * current. A reader never sees a version whose documents are not all there.
 */
import { ReferenceVersionTaken } from '../../domain/errors';
import type { ReferenceAudit, ReferenceDocuments, ReferenceStore, ReferenceVersion } from '../../ports/reference';
import { packDocument, unpackDocument } from '../reference-content';
import { recordOf } from './records';
import { conditionFailed, type Item, type SingleTable } from './single-table';
import { keys, REFERENCE_VERSION_PREFIX } from './table-design';

/** Under DynamoDB's 400 KB an item, with room for its keys. */
const PART_BYTES = 300_000;
/** Parts written at once. */
const PART_WRITERS = 4;

const VERSION_SHAPE = {
  version: 'number',
  appliedAt: 'string',
  appliedBy: 'string',
  note: 'string',
  documents: 'object',
  bytes: 'object?',
  changes: 'string?',
} as const;

export class DynamoDbReferenceStore implements ReferenceStore {
  constructor(private readonly table: SingleTable) {}

  async current(): Promise<ReferenceVersion | undefined> {
    const item = await this.table.get(keys.referenceCurrent(), true);
    return item && versionOf(item);
  }

  async version(version: number): Promise<ReferenceVersion | undefined> {
    const item = await this.table.get(keys.referenceVersion(version), true);
    return item && versionOf(item);
  }

  async versions(limit: number): Promise<ReferenceVersion[]> {
    const { pk } = keys.referenceCurrent();
    const { Items = [] } = await this.table.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': REFERENCE_VERSION_PREFIX },
      ScanIndexForward: false,
      Limit: limit,
    });
    return Items.map(versionOf);
  }

  async document(hash: string): Promise<unknown> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': keys.referencePart(hash, 0).pk },
      ConsistentRead: true,
    });
    if (items.length === 0) return undefined;
    const parts = items.map((item) => recordOf<{ data: Uint8Array; parts: number }>(item, 'reference document part', { parts: 'number' }));
    if (parts.some((part) => part.parts !== parts.length)) {
      throw new Error(`Reference document ${hash} has ${parts.length} of its ${parts[0].parts} parts`);
    }
    return unpackDocument(Buffer.concat(parts.map((part) => Buffer.from(part.data))));
  }

  async apply(documents: ReferenceDocuments, expected: number | undefined, audit: ReferenceAudit): Promise<ReferenceVersion> {
    const { changes, ...rest } = audit;
    const names = Object.keys(documents);
    const packed = names.map((name) => packDocument(documents[name]));
    const packedChanges = changes === undefined ? undefined : packDocument(changes);
    await this.writeContents([...packed, ...(packedChanges ? [packedChanges] : [])]);
    const version: ReferenceVersion = {
      ...rest,
      version: (expected ?? 0) + 1,
      documents: Object.fromEntries(names.map((name, index) => [name, packed[index].hash])),
      bytes: Object.fromEntries(names.map((name, index) => [name, packed[index].bytes])),
      ...(packedChanges && { changes: packedChanges.hash }),
    };
    await this.table.transact(
      [
        {
          Put: {
            TableName: this.table.name,
            Item: { ...keys.referenceVersion(version.version), ...version },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        {
          Put: {
            TableName: this.table.name,
            Item: { ...keys.referenceCurrent(), ...version },
            ...(expected === undefined
              ? { ConditionExpression: 'attribute_not_exists(pk)' }
              : { ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':expected': expected } }),
          },
        },
      ],
      (reasons) => {
        if (reasons.some(conditionFailed)) throw new ReferenceVersionTaken(expected);
      },
    );
    return version;
  }

  /**
   * Each content not yet stored, in parts; content-addressed, so a part written twice is the same part. Every first
   * part goes last: its presence is what says a content is whole (the check here).
   */
  private async writeContents(contents: { hash: string; packed: Buffer }[]): Promise<void> {
    const unique = [...new Map(contents.map((content) => [content.hash, content])).values()];
    const stored = await Promise.all(unique.map((content) => this.table.get(keys.referencePart(content.hash, 0), true)));
    const firsts: Item[] = [];
    const others: Item[] = [];
    for (const [index, { hash, packed }] of unique.entries()) {
      if (stored[index]) continue;
      const parts = Math.max(1, Math.ceil(packed.length / PART_BYTES));
      for (let part = 0; part < parts; part++) {
        const item = { ...keys.referencePart(hash, part), parts, data: packed.subarray(part * PART_BYTES, (part + 1) * PART_BYTES) };
        (part === 0 ? firsts : others).push(item);
      }
    }
    for (const items of [others, firsts]) {
      for (let from = 0; from < items.length; from += PART_WRITERS) {
        await Promise.all(items.slice(from, from + PART_WRITERS).map((Item) => this.table.put({ Item })));
      }
    }
  }
}

function versionOf(item: Item): ReferenceVersion {
  const record = recordOf<ReferenceVersion>(item, 'reference version', VERSION_SHAPE);
  return {
    version: record.version,
    appliedAt: record.appliedAt,
    appliedBy: record.appliedBy,
    note: record.note,
    documents: record.documents,
    ...(record.bytes !== undefined && { bytes: record.bytes }),
    ...(record.changes !== undefined && { changes: record.changes }),
  };
}
