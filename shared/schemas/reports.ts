/** Request shapes of the reports API. */
import * as z from 'zod';
import { REPORT_KINDS } from '../domain/periods';
import { UNIT_CODE } from './events';

/** GET /reports/{kind}'s path. */
export const ReportPathParams = z.object({ kind: z.enum(REPORT_KINDS) });

export const ReportQuery = z.strictObject({
  unit: UNIT_CODE.optional(),
  department: z
    .string()
    .regex(/^[a-z][a-z-]{1,40}$/, 'a department code like urban-management')
    .optional(),
  /** 2026-11-26, 2026-W48, 2026-11 or 2026-Q4; default: the last complete period. */
  period: z.string().max(10).optional(),
  /** Instead of the Accept header: json, html or csv. */
  format: z.enum(['json', 'html', 'csv']).optional(),
});
export type ReportQueryInput = z.infer<typeof ReportQuery>;
