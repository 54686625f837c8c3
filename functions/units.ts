/** GET /units — the unit tree (`?tree=true`) or a list filtered by `parent`, `level` or code prefix `under`. */
import * as z from 'zod';
import { apiRoute, parseInput } from '../shared/http/api-handler';
import { UNIT_LEVELS } from '../shared/domain/types';
import { UNIT_CODE } from '../shared/schemas/events';
import { unitList, unitTree } from '../shared/core/unit-views';
import { makeHandler } from '../shared/composition/make-handler';

const UnitsQuery = z.strictObject({
  tree: z.enum(['true', 'false']).optional(),
  parent: UNIT_CODE.optional(),
  level: z.enum(UNIT_LEVELS).optional(),
  under: UNIT_CODE.optional(),
});

export const route = apiRoute('public', async (request, deps) => {
  const query = parseInput(UnitsQuery, request.query, 'query');
  const body = query.tree === 'true' ? { tree: unitTree(deps.directory, query.under) } : { items: unitList(deps.directory, query) };
  return { status: 200, body, headers: { 'cache-control': 'public, max-age=300' } };
});

export const handler = makeHandler(route);
