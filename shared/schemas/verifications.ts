/** Request and reply shapes of the resident's phone verification (POST /verifications, /verifications/confirm). */
import * as z from 'zod';
import { PHONE } from './events';

export const VerificationBody = z.strictObject({ phone: PHONE }).meta({ description: 'The phone to text a code to' });

export const ConfirmVerificationBody = z
  .strictObject({ phone: PHONE, code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the SMS') })
  .meta({ description: 'The code the SMS gave' });

export const VerificationReply = z
  .object({ phone: z.string(), expiresAt: z.string() })
  .meta({ description: 'A code was texted to the phone (masked here), good until expiresAt' });

export const ReporterTokenReply = z
  .object({ phone: z.string(), token: z.string(), expiresAt: z.string() })
  .meta({ description: 'The reporter token: send it as X-Reporter-Token with a report to be texted back' });
