/** CDK entry point (cdk.json: "app": "npx tsx infra/app.ts"). The CLI synthesizes the app on exit. */
import { ensureWebBuild } from '../web/build';
import { createGridFlowApp } from './gridflow-app';

// The command center's files are uploaded as built (web/dist): a missing or stale build is made first.
await ensureWebBuild((output) => process.stderr.write(output));

createGridFlowApp();
