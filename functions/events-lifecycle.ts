/**
 * GET /events/{id}/lifecycle — the states the case's lifecycle executions visited, from Step Functions'
 * history, if the caller may see the event; in the cloud each with a link to the execution in the console.
 */
import { caseLifecycle } from '../shared/core/case-records';
import { apiRoute } from '../shared/http/api-handler';
import { executionConsoleUrl } from '../shared/http/console-links';
import { eventIdOf } from '../shared/http/replies';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('required', async (request, deps) => {
  const lifecycle = await caseLifecycle(deps, request.caller, eventIdOf(request));
  // Local mode's executions are on the local engine: there is no console to link to.
  if (deps.mode === 'local') return { status: 200, body: lifecycle };
  const executions = lifecycle.executions.map((execution) => {
    const consoleUrl = executionConsoleUrl(execution.arn);
    return consoleUrl ? { ...execution, consoleUrl } : execution;
  });
  return { status: 200, body: { ...lifecycle, executions } };
});

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Reads the case, and the history of its
 * executions (GetExecutionHistory, authorized on the lifecycle machine's executions).
 */
export const needs: LambdaNeeds = { table: ['GetItem'], stateMachine: ['GetExecutionHistory'] };
