/** Request and reply shapes of the resident's phone verification (POST /verifications, /verifications/confirm). */
import * as z from 'zod';
import { MAINLAND_MOBILE, MAINLAND_MOBILE_MESSAGE } from '../domain/phones';

/** Only a mainland mobile can get a code by SMS (spaces and dashes as typed are allowed). */
const MOBILE = z
  .string()
  .max(20)
  .refine((phone) => MAINLAND_MOBILE.test(phone.replace(/[\s-]/g, '')), MAINLAND_MOBILE_MESSAGE);

export const VerificationBody = z.strictObject({ phone: MOBILE }).meta({ description: 'The phone to text a code to' });

export const ConfirmVerificationBody = z
  .strictObject({ phone: MOBILE, code: z.string().regex(/^\d{6}$/, 'the 6-digit code from the SMS') })
  .meta({ description: 'The code the SMS gave' });

export const VerificationReply = z
  .object({ phone: z.string(), expiresAt: z.string() })
  .meta({ description: 'A code was texted to the phone (masked here), good until expiresAt' });

export const ReporterTokenReply = z
  .object({ phone: z.string(), token: z.string(), expiresAt: z.string() })
  .meta({ description: 'The reporter token: send it as X-Reporter-Token with a report to be texted back' });
