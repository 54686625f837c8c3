/** Jest's global setup: a fresh folder for the AWS calls the platforms of this run record (dev-server/aws-call-recorder.ts). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CALL_LOG_VARIABLE } from '../../dev-server/aws-call-recorder';

export default function globalSetup(): void {
  // Set before the workers start, so each inherits it (and so do the platforms they start, and their children).
  process.env[CALL_LOG_VARIABLE] = mkdtempSync(join(tmpdir(), 'gridflow-aws-calls-'));
}
