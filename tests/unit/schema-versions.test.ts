/**
 * The table's schema versions against the table design and the rule of one index change per deployment
 * (issue 10, item 8). Changing GSI in table-design.ts without recording a new version fails here; a new
 * version that adds or changes two indexes fails here.
 */
import {
  designedIndexes,
  indexChanges,
  LATEST_SCHEMA,
  SCHEMA_VERSIONS,
  schemaRuleViolations,
  type SchemaVersion,
} from '../../shared/adapters/dynamodb/schema-versions';

test('the table design declares exactly the indexes of the last recorded schema version', () => {
  expect(designedIndexes()).toEqual(LATEST_SCHEMA.indexes);
});

test('each recorded version adds, changes or removes at most one index against the one before', () => {
  expect(schemaRuleViolations()).toEqual([]);
  for (const [position, entry] of SCHEMA_VERSIONS.entries()) {
    const previous = SCHEMA_VERSIONS[position - 1];
    if (previous) expect(indexChanges(previous.indexes, entry.indexes).length).toBeLessThanOrEqual(1);
  }
});

describe('the rule catches', () => {
  const v1: SchemaVersion = SCHEMA_VERSIONS[0]!;
  const next = (indexes: Record<string, string>, extra: Partial<SchemaVersion> = {}): SchemaVersion => ({
    version: 2,
    summary: 'test',
    indexes,
    ...extra,
  });

  test('two indexes added in one version', () => {
    const twoAdded = next({ ...v1.indexes, byA: 'gsi6pk,gsi6sk,ALL', byB: 'gsi7pk,gsi7sk,ALL' });
    expect(schemaRuleViolations([v1, twoAdded])).toEqual(['version 2 changes 2 indexes (add byA, add byB): one per deployment']);
  });

  test('one index added and another changed (a projection counts as a change)', () => {
    const indexes = { ...v1.indexes, byA: 'gsi6pk,gsi6sk,ALL', byUnstarted: 'gsi5pk,gsi5sk,ALL' };
    expect(indexChanges(v1.indexes, indexes)).toEqual([
      { index: 'byA', change: 'add' },
      { index: 'byUnstarted', change: 'change' },
    ]);
    expect(schemaRuleViolations([v1, next(indexes)])).toHaveLength(1);
  });

  test('a version that changes nothing, and versions out of order', () => {
    expect(schemaRuleViolations([v1, next(v1.indexes)])).toEqual(['version 2 changes no index and migrates no data']);
    expect(schemaRuleViolations([v1, next(v1.indexes, { migrate: async () => 'nothing to do' })])).toEqual([]);
    expect(schemaRuleViolations([v1, next({ ...v1.indexes, byA: 'a,b,ALL' }, { version: 3 })])).toEqual([
      'version 3 is at position 2: versions count 1, 2, 3…',
    ]);
  });

  test('one index removed, or one added, is allowed', () => {
    const { byUnstarted: _removed, ...withoutOne } = v1.indexes;
    expect(schemaRuleViolations([v1, next(withoutOne)])).toEqual([]);
    expect(schemaRuleViolations([v1, next({ ...v1.indexes, byA: 'gsi6pk,gsi6sk,ALL' })])).toEqual([]);
  });
});
