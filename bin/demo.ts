/**
 * npm run demo -- <scene>   Replays a user story (the ones tests/integration/story*.test.ts check) against a running `npm start`.
 *
 *   drain         story 1  the blocked drain: report, handle, SMS back, rating, archive
 *   overdue       story 2  nobody acts: reminders, 督办, up to the district, rework, verification
 *   buck-passing  story 3  two returns send a cracked wall to a joint meeting
 *   flood         story 4  the dragon-boat flood: a level-1 rescue on the through train, a night of reports
 *   supervision   story 7  a deputy invites a bureau to act, nudges, evaluates
 *   patrols       story 6  patrols logged; the 17:45 check reminds the workers of unpatrolled grids
 *   reports       story 8  the daily, weekly, monthly and quarterly reports
 *
 * The server and the demo share the data folder (GRIDFLOW_DATA_DIR) for signing tokens; the API is at
 * GRIDFLOW_URL (default: the API of the GridFlow running on the data folder, else http://localhost:$PORT), and the
 * people the scenes act as are that GridFlow's (its version in effect, through its admin API). Scenes with deadlines want a sped-up server, e.g.
 * `GRIDFLOW_TIME_SCALE=3600 npm start`.
 */
import { join } from 'node:path';
import { LOCAL_KEY_FILE, LocalSigningKey } from '../dev-server/adapters/local-jwt';
import type { OutboxEntry } from '../dev-server/adapters/outbox-notifier';
import { readJsonLines } from '../dev-server/durable-files';
import type { Role } from '../shared/domain/types';
import { localSettings } from './local-settings';
import { sampleClaims, type TokenRequest } from './sample-users';
import { SCENES, type DemoApi } from './demo-scenes';
import { platformUrl, runningDistrict } from './running-district';

const scene = process.argv[2];
if (!scene || !(scene in SCENES)) {
  console.error(`Usage: npm run demo -- <${Object.keys(SCENES).join('|')}>`);
  process.exit(2);
}

const settings = localSettings();
const url = platformUrl(settings);
const key = LocalSigningKey.loadOrCreate(join(settings.dataDir, LOCAL_KEY_FILE));
const district = await runningDistrict(url, key);
if (!district) {
  console.error(`GridFlow does not answer at ${url}, or not for this data folder. Start it first: npm start (same GRIDFLOW_DATA_DIR).`);
  process.exit(1);
}
const { directory } = district;

const api: DemoApi = {
  token: (role: Role, unit: string, extra?: Partial<TokenRequest>) => key.idToken(sampleClaims(directory, role, unit, extra)),
  async call(method, path, token, body) {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  },
  sms: () => readJsonLines<OutboxEntry>(join(settings.dataDir, 'outbox.jsonl'), () => {}),
  say: (line) => console.log(line),
};

const health = await api.call('GET', '/health').catch(() => undefined);
if (health?.status !== 200) {
  console.error(`GridFlow does not answer at ${url}. Start it first: npm start (same GRIDFLOW_DATA_DIR).`);
  process.exit(1);
}
await SCENES[scene as keyof typeof SCENES](api, health.body.timeScale as number).catch((error: Error) => {
  console.error(`The scene stopped: ${error.message}`);
  process.exit(1);
});
