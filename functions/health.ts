/**
 * GET /health — the service answers, its store answers a read (503 store_unavailable when not), and it knows its mode;
 * `warnings` says what an operator must see to (a year's holiday arrangement missing).
 */
import { apiRoute } from '../shared/http/api-handler';
import { operatorWarnings } from '../shared/core/operator-warnings';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('public', async (_request, deps) => {
  // Local mode serves at once after a restart while its kept lifecycle executions come back: it says how far.
  const resuming = deps.resuming?.();
  await deps.health.check();
  const warnings = operatorWarnings(deps);
  return {
    status: 200,
    body: {
      status: 'ok',
      service: 'gridflow',
      mode: deps.mode,
      store: 'ok',
      time: deps.clock.now().toISOString(),
      timeScale: deps.clock.scale,
      ...(resuming && { resuming }),
      ...(warnings.length > 0 && { warnings }),
    },
  };
});

export const handler = makeHandler(route);

/** What this Lambda may call; infra builds its IAM policy from this alone: one read of the table. */
export const needs: LambdaNeeds = { table: ['GetItem'] };
