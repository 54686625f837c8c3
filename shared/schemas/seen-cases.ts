/** The replies of POST /events/{id}/seen and GET /me/seen (documented in the OpenAPI document). */
import * as z from 'zod';

export const SeenCaseReply = z.object({
  id: z.string().describe('The case'),
  at: z.iso.datetime().describe('When the caller first opened it'),
});

export const SeenCasesReply = z.object({
  cases: z.array(SeenCaseReply).describe('The cases the caller has opened in the last 30 days, by case id'),
});
