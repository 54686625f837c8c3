/**
 * The one route table: the CDK HTTP API and the local gateway are both built from it.
 * `handler` names the module in functions/ that serves the route.
 */
export type HttpMethod = 'GET' | 'POST';

/**
 * required: a signed-in user (the JWT authorizer in the cloud, the local gateway locally).
 * optional: anyone may call; a bearer token, if sent, is verified by the handler itself
 *           (a citizen may report without one, rate-limited per client).
 * public:   reference data and health, readable by anyone.
 * sms-code: no account, but not open data either: the caller proves who they are with the one-time code an SMS
 *           gave them (the reporter's rating), which the handler checks, rate-limiting the tries.
 * resident: no account: a resident proves they hold a phone — a code texted to it (limited per number and per
 *           client), confirmed for a reporter token (X-Reporter-Token), which the use case checks.
 */
export type RouteAuth = 'required' | 'optional' | 'public' | 'sms-code' | 'resident';

export interface RouteDefinition {
  method: HttpMethod;
  path: string;
  handler: string;
  auth: RouteAuth;
  summary: string;
}

export const ROUTES: readonly RouteDefinition[] = [
  { method: 'POST', path: '/events', handler: 'events-create', auth: 'optional', summary: 'Report a matter' },
  { method: 'GET', path: '/events', handler: 'events-list', auth: 'required', summary: "List events in the caller's units" },
  { method: 'GET', path: '/events/{id}', handler: 'events-get', auth: 'required', summary: 'An event with its timeline' },
  { method: 'POST', path: '/events/{id}/actions', handler: 'events-action', auth: 'required', summary: 'Act on an event' },
  {
    method: 'GET',
    path: '/events/{id}/messages',
    handler: 'events-messages',
    auth: 'required',
    summary: 'The SMS an event caused: template, recipient (masked), sent, failed, held or pending',
  },
  {
    method: 'GET',
    path: '/events/{id}/lifecycle',
    handler: 'events-lifecycle',
    auth: 'required',
    summary: "The states an event's lifecycle executions visited (Step Functions' history)",
  },
  {
    method: 'POST',
    path: '/events/{id}/seen',
    handler: 'events-seen',
    auth: 'required',
    summary: 'The caller opened the case (its level-1 banner goes for them)',
  },
  { method: 'GET', path: '/me/seen', handler: 'me-seen', auth: 'required', summary: 'The cases the caller has opened' },
  // The reporter has no account: the 6-digit code from the feedback SMS is the proof (tries are rate-limited).
  {
    method: 'POST',
    path: '/events/{id}/rating',
    handler: 'events-rate',
    auth: 'sms-code',
    summary: 'The reporter rates the result (满意度)',
  },
  {
    method: 'POST',
    path: '/events/{id}/rating-code',
    handler: 'events-rating-code',
    auth: 'resident',
    summary: 'The verified reporter asks for a new rating code, texted to their phone',
  },
  {
    method: 'POST',
    path: '/verifications',
    handler: 'verifications-create',
    auth: 'resident',
    summary: 'Text a 6-digit code to a phone, for its holder to prove it is theirs',
  },
  {
    method: 'POST',
    path: '/verifications/confirm',
    handler: 'verifications-confirm',
    auth: 'resident',
    summary: 'Confirm the code: a reporter token (24 h) that carries the phone',
  },
  {
    method: 'GET',
    path: '/reports/{kind}',
    handler: 'reports-get',
    auth: 'required',
    summary: 'A daily, weekly, monthly or quarterly report of a unit or a department',
  },
  {
    method: 'POST',
    path: '/patrols',
    handler: 'patrols-create',
    auth: 'required',
    summary: 'Log a patrol (三查): daily of a grid, weekly of a community, monthly of a town',
  },
  {
    method: 'GET',
    path: '/patrols',
    handler: 'patrols-list',
    auth: 'required',
    summary: "A unit's patrols on a day, with its grids' coverage",
  },
  {
    method: 'POST',
    path: '/campaigns',
    handler: 'campaigns-create',
    auth: 'required',
    summary: 'Send a campaign (闭环排查) to every grid worker of the units named',
  },
  { method: 'GET', path: '/campaigns', handler: 'campaigns-list', auth: 'required', summary: 'Campaigns of a unit' },
  {
    method: 'GET',
    path: '/campaigns/{id}',
    handler: 'campaigns-get',
    auth: 'required',
    summary: 'A campaign with who has and has not answered',
  },
  {
    method: 'POST',
    path: '/campaigns/{id}/responses',
    handler: 'campaigns-respond',
    auth: 'required',
    summary: "A grid worker's answer to a campaign",
  },
  { method: 'GET', path: '/catalog', handler: 'catalog', auth: 'public', summary: 'The catalog of matters' },
  { method: 'GET', path: '/units', handler: 'units', auth: 'public', summary: 'The unit tree or a filtered list' },
  {
    method: 'GET',
    path: '/boundaries',
    handler: 'boundaries',
    auth: 'required',
    summary: "The outlines of a unit and the units below it, within the caller's units (GeoJSON, for the map)",
  },
  {
    method: 'GET',
    path: '/admin/reference',
    handler: 'admin-reference-current',
    auth: 'required',
    summary: 'The reference version in effect: its audit and its documents (admin, district center)',
  },
  {
    method: 'GET',
    path: '/admin/reference/versions',
    handler: 'admin-reference-versions',
    auth: 'required',
    summary: 'The reference versions, newest first, with who applied each, when, why and its changes',
  },
  {
    method: 'GET',
    path: '/admin/reference/versions/{version}/documents/{name}',
    handler: 'admin-reference-document',
    auth: 'required',
    summary: 'One document of a reference version (units, departments, people, catalog, working-hours, calendar-<year>)',
  },
  {
    method: 'POST',
    path: '/admin/reference/validate',
    handler: 'admin-reference-validate',
    auth: 'required',
    summary: 'What a proposed reference version would change (its diff), or every problem; nothing is applied (admin)',
  },
  {
    method: 'POST',
    path: '/admin/reference/apply',
    handler: 'admin-reference-apply',
    auth: 'required',
    summary: 'Apply a proposed reference version, based on the version in effect (409 if another came first; admin)',
  },
  {
    method: 'POST',
    path: '/admin/reference/rollback',
    handler: 'admin-reference-rollback',
    auth: 'required',
    summary: "Roll back: a new reference version with an earlier version's documents (admin)",
  },
  { method: 'GET', path: '/health', handler: 'health', auth: 'public', summary: 'Health check' },
  { method: 'GET', path: '/openapi.json', handler: 'openapi', auth: 'public', summary: 'This API as OpenAPI 3.1' },
];

/** Functions that no route calls: the workflow's steps, the sweeper, the scheduled jobs and the SMS sender. */
export const BACKGROUND_FUNCTIONS = ['workflow-step', 'sweeper', 'scheduled-jobs', 'sms-sender'] as const;

export const HANDLER_NAMES: readonly string[] = [...new Set([...ROUTES.map((route) => route.handler), ...BACKGROUND_FUNCTIONS])];
