/** CDK entry point (cdk.json: "app": "npx tsx infra/app.ts"). The CLI synthesizes the app on exit. */
import { createGridFlowApp } from './gridflow-app';

createGridFlowApp();
