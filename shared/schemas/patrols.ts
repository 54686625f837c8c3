/** Request shapes of the patrols API (三查). */
import * as z from 'zod';
import { PATROL_KINDS } from '../domain/patrols';
import type { ListPatrolsInput, PatrolInput } from '../domain/field-work-inputs';
import { GRID_CODE, UNIT_CODE } from './events';
import { PAGE_CURSOR, pageLimit } from './paging';
import type { ParsesInto } from './parses-into';

const PHOTO_URL = z.url({ protocol: /^https?$/ }).max(2048);
const ISO_INSTANT = z.iso.datetime({ offset: true });
const DAY = z.iso.date();

export const MAX_PATROL_POINTS = 200;
export const MAX_PATROL_FINDINGS = 20;

const Location = z.strictObject({
  lat: z.number().min(-90).max(90),
  lng: z.number().min(-180).max(180),
  address: z.string().max(200).optional(),
});

const Finding = z.strictObject({
  itemCode: z.string().regex(/^\d{2}-\d{2}$/, 'an item code looks like 01-01'),
  description: z.string().trim().min(1).max(2000),
  severity: z.number().int().min(1).max(4).optional(),
  location: Location.optional(),
  photos: z.array(PHOTO_URL).max(9).default([]),
  /** The grid of the finding: a daily patrol's own grid unless given; needed to report from a weekly or monthly check. */
  gridCode: GRID_CODE.optional(),
  /** true: report it as a case in the same call (source `patrol`). */
  report: z.boolean(),
});

export const PatrolBody = z
  .strictObject({
    gridCode: GRID_CODE.optional(),
    unitCode: UNIT_CODE.optional(),
    kind: z.enum(PATROL_KINDS),
    /** When the patrol was made; default now. */
    at: ISO_INSTANT.optional(),
    points: z
      .array(z.strictObject({ lat: z.number().min(-90).max(90), lng: z.number().min(-180).max(180), at: ISO_INSTANT.optional() }))
      .max(MAX_PATROL_POINTS)
      .default([]),
    note: z.string().trim().max(2000).optional(),
    findings: z.array(Finding).max(MAX_PATROL_FINDINGS).default([]),
  })
  .refine((body) => (body.gridCode === undefined) !== (body.unitCode === undefined), {
    message: 'give gridCode (a daily patrol) or unitCode (the community or town checked), not both',
    path: ['gridCode'],
  })
  .meta({ description: 'A patrol (三查): daily of a grid, weekly of a community, monthly of a town' });
true satisfies ParsesInto<typeof PatrolBody, PatrolInput>;

export const ListPatrolsQuery = z.strictObject({
  unit: UNIT_CODE.optional(),
  /** YYYY-MM-DD (Asia/Shanghai); default today. */
  day: DAY.optional(),
  limit: pageLimit(200, 100),
  cursor: PAGE_CURSOR.optional(),
});
true satisfies ParsesInto<typeof ListPatrolsQuery, ListPatrolsInput>;
