/**
 * Jest's global teardown: runs the permission check (check-calls.ts) over the AWS calls this run recorded,
 * then removes them. A separate process, because jest loads global hooks as CommonJS and the check imports
 * the CDK app (ES modules). A call the template does not allow fails the run.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The same name as CALL_LOG_VARIABLE in dev-server/aws-call-recorder.ts. */
const CALL_LOG_VARIABLE = 'GRIDFLOW_AWS_CALL_LOG';

export default function globalTeardown() {
  const folder = process.env[CALL_LOG_VARIABLE];
  if (!folder || !existsSync(folder)) return;
  try {
    // Nothing recorded (unit or infra tests alone): nothing to check.
    if (!readdirSync(folder).some((file) => file.endsWith('.jsonl'))) return;
    const check = spawnSync('npx', ['tsx', fileURLToPath(new URL('check-calls.ts', import.meta.url)), folder], {
      stdio: 'inherit',
      env: { ...process.env, [CALL_LOG_VARIABLE]: '' },
    });
    if (check.status !== 0) throw new Error('The permission check failed: see its report above');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
