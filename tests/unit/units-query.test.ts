/** GET /units: its query schema lives with the other schemas, so OpenAPI lists its parameters. */
import { describe, expect, test } from '@jest/globals';
import { openApiDocument } from '../../shared/http/openapi';
import { UnitsQuery } from '../../shared/schemas/units';

describe('GET /units query', () => {
  test('OpenAPI lists tree, parent, level and under as optional query parameters', () => {
    const parameters = (openApiDocument().paths['/units'].get as { parameters: { name: string; in: string; required: boolean }[] })
      .parameters;
    expect(parameters.map(({ name, in: where, required }) => [name, where, required])).toEqual([
      ['tree', 'query', false],
      ['parent', 'query', false],
      ['level', 'query', false],
      ['under', 'query', false],
    ]);
  });

  test('the schema takes a level and unit codes, and refuses unknown fields', () => {
    expect(UnitsQuery.parse({ level: 'grid', under: '441302010' })).toEqual({ level: 'grid', under: '441302010' });
    expect(UnitsQuery.safeParse({ level: 'province' }).success).toBe(false);
    expect(UnitsQuery.safeParse({ parent: '4413' }).success).toBe(false);
    expect(UnitsQuery.safeParse({ depth: '2' }).success).toBe(false);
  });
});
