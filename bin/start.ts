/** npm start — GridFlow on this machine: DynamoDB Local, the lifecycle workflow, the HTTP API, the SMS outbox. */
// Only what launching DynamoDB Local needs is imported up front (static imports load before anything runs): its
// JVM starts while Node loads the rest of the platform, below.
import { startEarly } from '../dev-server/early-start';
import { localSettings } from './local-settings';

const settings = localSettings();
const startedAt = Date.now();
console.log(`GridFlow (网格通) local mode — data in ${settings.dataDir}, time scale ×${settings.timeScale}`);
const couldNotStart = (error: Error): never => {
  console.error(`Could not start: ${error.message}`);
  process.exit(1);
};

const early = await startEarly({ ...settings, log: (line) => console.log(line) }).catch(couldNotStart);
// The web app is built (in a child process) while the platform starts, when its build is missing or stale.
const { ensureWebBuild } = await import('../web/build');
const webBuild = ensureWebBuild((line) => console.error(line));
webBuild.then(
  (built) => built && console.log(`Web app built (${((Date.now() - startedAt) / 1000).toFixed(1)} s after the start).`),
  (error: Error) => console.error(`${error.message}: the API serves without it`),
);
const { startLocalPlatform } = await import('../dev-server/local-platform');
const { sampleClaims } = await import('./sample-users');
const platform = await startLocalPlatform({ ...settings, early, webApp: { ready: webBuild } }).catch(couldNotStart);

const token = platform.token(sampleClaims(platform.deps.directory, 'grid_worker', '441302010001001'));
console.log(`
${platform.firstStart ? 'First start: table created, sample district (Huicheng, 惠城区) seeded.' : 'Open cases: their lifecycle executions are coming back in the background (GET /health says how far).'}
API       ${platform.url}   (ready in ${((Date.now() - startedAt) / 1000).toFixed(1)} s)
Web app   ${platform.url}/   (the command center: sign in as a person of the roster)
Outbox    ${platform.url}/_local/outbox   (a district center's token; in full: outbox.jsonl in the data folder)
OpenAPI   ${platform.url}/openapi.json

Sample token (grid worker 欧阳玲巧, grid 441302010001001):
${token}

Try:
curl -s -X POST ${platform.url}/events -H "Authorization: Bearer ${token}" -H 'Content-Type: application/json' \\
  -d '{"itemCode":"01-01","gridCode":"441302010001001","description":"金英街排水口堵塞","reporter":{"name":"居民","phone":"13000009999"}}'

More tokens: npm run -s token -- --role district_center --unit 441302
Ctrl-C stops everything.`);

// The API serves meanwhile; an action on a case not back yet brings its execution back first.
if (!platform.firstStart)
  void Promise.all([platform.restored, platform.resumed]).then(
    ([restored, resumed]) =>
      // A stop cuts the pass short: what it got to is not "all back".
      !stopping &&
      console.log(
        `${restored} lifecycle execution(s) waiting again (all back ${((Date.now() - startedAt) / 1000).toFixed(1)} s after the start)${resumed ? `; ${resumed} open case(s) from before executions were kept started again` : ''}.`,
      ),
  );

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // npm relays the terminal's Ctrl-C to this process too: the same stop, once.
    if (stopping) return;
    stopping = true;
    console.log('\nStopping GridFlow…');
    platform.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
}
