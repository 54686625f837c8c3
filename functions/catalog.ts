/** GET /catalog — the classes and items of matters, with departments, severities and limits; and the departments' names. */
import { apiRoute } from '../shared/http/api-handler';
import { makeHandler } from '../shared/composition/make-handler';
import type { LambdaNeeds } from '../shared/composition/lambda-needs';

export const route = apiRoute('public', async (_request, deps) => ({
  status: 200,
  body: { classes: deps.catalog.classes, departments: deps.directory.allDepartments() },
  headers: { 'cache-control': 'public, max-age=300' },
}));

export const handler = makeHandler(route);

/**
 * What this Lambda may call; infra builds its IAM policy from this alone. Served from bundled data: no AWS calls.
 */
export const needs: LambdaNeeds = {};
