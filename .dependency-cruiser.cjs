/**
 * The boundaries of the house (npm run boundaries, part of npm test): which folder may import which.
 * `import type` counts (tsPreCompilationDeps). Layout and rules: README, "Architecture".
 */
const ADAPTERS = '^shared/adapters/';
/** Who may pick adapters: the compositions, the dev server, the Lambda modules and the tools around them. */
const MAY_PICK_ADAPTERS = '^(shared/composition|shared/adapters|dev-server|functions|bin|bench|tests|infra)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import circles: a module and what it imports form a tree.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'domain-imports-domain-and-data',
      comment:
        'The domain is pure: it imports only the domain, its reference data (shared/data/*.json) and pure geometry (polygon-clipping, @turf/area: boundaries.ts).',
      severity: 'error',
      from: { path: '^shared/domain/' },
      to: { pathNot: '^(shared/(domain|data)/|node_modules/(polygon-clipping|splaytree|robust-predicates|@turf/(area|helpers|meta))/)' },
    },
    {
      name: 'ports-import-domain',
      comment: 'A port speaks the domain’s types and nothing else.',
      severity: 'error',
      from: { path: '^shared/ports/' },
      to: { pathNot: '^shared/(domain|ports)/' },
    },
    {
      name: 'core-imports-domain-and-ports',
      comment: 'Use cases depend on the domain and the ports only (Node built-ins such as node:crypto aside).',
      severity: 'error',
      from: { path: '^shared/core/' },
      to: {
        pathNot: '^shared/(domain|ports|core)/',
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'presenters-import-domain',
      comment: 'Presenters turn domain types into text.',
      severity: 'error',
      from: { path: '^shared/presenters/' },
      to: { pathNot: '^shared/(domain|presenters)/' },
    },
    {
      name: 'only-compositions-pick-adapters',
      comment: 'Only the compositions, the dev server and the Lambda modules (and bin, bench, tests, infra) import adapters.',
      severity: 'error',
      from: { pathNot: MAY_PICK_ADAPTERS },
      to: { path: ADAPTERS },
    },
    {
      name: 'adapters-import-no-core-or-functions',
      comment: 'Adapters implement ports: they import the domain and the ports, never a use case or a Lambda module.',
      severity: 'error',
      from: { path: ADAPTERS },
      to: { path: '^(shared/core|functions)/' },
    },
    {
      name: 'web-app-imports-web-and-domain-types',
      comment:
        'The web app (web/) runs in a browser and speaks to the API only: it imports itself, React and the domain’s types (type-only: nothing of the domain is bundled).',
      severity: 'error',
      from: { path: '^web/' },
      to: {
        pathNot: '^(web/|shared/domain/|node_modules/(react|react-dom|scheduler|vite)/)',
        // web/build.ts (the build, run by npm start and cdk synth) uses Node's built-ins.
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'web-app-bundles-no-domain-code',
      comment: 'The web app names domain types only: a value import would bundle the domain into the page.',
      severity: 'error',
      from: { path: '^web/src/' },
      to: { path: '^shared/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'dev-server-stays-outside',
      comment: 'The dev server uses the product; the product (shared/, functions/, infra/) never imports the dev server.',
      severity: 'error',
      from: { path: '^(shared|functions|infra|web)/' },
      to: { path: '^dev-server/' },
    },
  ],
  options: {
    includeOnly: '^(shared|functions|dev-server|bin|bench|tests|infra|workflows|web)/',
    // The web app's builds (git-ignored): a lazy page's chunk and the entry import each other there.
    exclude: { path: '^web/dist' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.js', '.json'] },
  },
};
