/**
 * The permission check, once, over every AWS call the functions made in a test run (run by jest's global
 * teardown, global-teardown.mjs, with the folder of the calls): a call the synthesized template does not
 * allow makes it exit 1, which fails `npm test`; grants no call used are listed, to be removed from infra
 * or justified beside them. `npx tsx tests/permissions/check-calls.ts <folder>`
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordedCall } from '../../dev-server/aws-call-recorder';
import { readJsonLines } from '../../dev-server/durable-files';
import { checkCalls, describeCall, mergeCalls } from './permission-check';
import { loadPolicyModel } from './policy-model';

/** Grants issues 10 and 11 are about, as the recorder sees them used (only the SMS sender texts). */
const WATCHED_CALLS = [
  ['sms-sender', 'sns:Publish'],
  ['workflow-step', 'states:StartExecution'],
] as const;

const folder = process.argv[2];
if (!folder) throw new Error('usage: check-calls.ts <folder of recorded calls>');
check(folder);

function check(folder: string): void {
  const started = Date.now();
  const calls = mergeCalls(
    readdirSync(folder)
      .filter((file) => file.endsWith('.jsonl'))
      .flatMap((file) => readJsonLines<RecordedCall>(join(folder, file), (line) => console.warn(line))),
  );
  if (calls.length === 0) return;
  const model = loadPolicyModel(folder);
  const result = checkCalls(model, calls, (principal) => principal in model.roles);
  const total = calls.reduce((sum, call) => sum + call.count, 0);
  const lines = [
    `Permission check: ${total} AWS calls (${calls.length} distinct) of ${new Set(calls.map((call) => call.principal)).size} principals held against the template in ${Date.now() - started} ms.`,
    ...WATCHED_CALLS.map(([principal, action]) => {
      const count = calls
        .filter((call) => call.principal === principal && call.action === action)
        .reduce((sum, call) => sum + call.count, 0);
      return `  ${principal} ${action}: ${count ? `${count} calls, allowed` : 'not exercised by the tests run'}`;
    }),
    ...Object.entries(result.unjudged).map(([principal, count]) => `  not a function, not judged: ${principal} (${count} calls)`),
    ...(result.unused.length ? [`  Grants no call used (${result.unused.length}):`] : []),
    ...result.unused.map((grant) => `    ${grant.principal}: ${grant.action} on ${grant.resource}`),
  ];
  console.log(lines.join('\n'));
  if (result.denied.length) {
    console.error(
      `Permission check: the deployed stack would refuse ${result.denied.length} of the calls the functions made:\n${result.denied
        .map((denial) => `  ${describeCall(denial.call)}: ${denial.reason}`)
        .join('\n')}`,
    );
    process.exitCode = 1;
  }
}
