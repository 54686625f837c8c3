/** Request shapes of the units API. */
import * as z from 'zod';
import { UNIT_LEVELS } from '../domain/types';
import { UNIT_CODE } from './events';

export const UnitsQuery = z.strictObject({
  /** `true`: the tree (below `under`, if given) instead of a list. */
  tree: z.enum(['true', 'false']).optional(),
  parent: UNIT_CODE.optional(),
  level: z.enum(UNIT_LEVELS).optional(),
  /** A code prefix: the units at and below it. */
  under: UNIT_CODE.optional(),
});
export type UnitsQueryInput = z.infer<typeof UnitsQuery>;

/** GET /boundaries: the unit whose outlines (and its units') are asked; the caller's own when they have one. */
export const BoundariesQuery = z.strictObject({ unit: UNIT_CODE.optional() });
