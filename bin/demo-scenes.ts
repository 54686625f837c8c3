/** The scenes `npm run demo` plays: the user stories (tests/integration/story*.test.ts check them), told step by step over the API. */
import { localDate } from '../shared/domain/calendar';
import { periodOf } from '../shared/domain/periods';
import type { Role } from '../shared/domain/types';
import type { TokenRequest } from './sample-users';
import type { OutboxEntry } from '../dev-server/adapters/outbox-notifier';

export interface DemoApi {
  token(role: Role, unit: string, extra?: Partial<TokenRequest>): string;
  call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; body: any }>;
  /** The SMS the phones received: the data folder's outbox file (GET /_local/outbox hides codes and numbers). */
  sms(): OutboxEntry[];
  say(line: string): void;
}

const GRID_1 = '441302010001001';
const GRID_5 = '441302010001005';
const JINYUAN = '441302010001';
const XIAOJINKOU = '441302010';
const HUICHENG = '441302';

type Scene = (api: DemoApi, timeScale: number) => Promise<void>;

export const SCENES: Record<'drain' | 'overdue' | 'buck-passing' | 'flood' | 'supervision' | 'patrols' | 'reports', Scene> = {
  drain: async (api) => {
    const worker = api.token('grid_worker', GRID_1);
    api.say('Story 1 — the blocked drain (小事不出格). 欧阳玲巧 reports a blocked drain on Jinying Street.');
    const id = await report(api, worker, {
      itemCode: '01-01',
      gridCode: GRID_1,
      description: '金英街排水口堵塞',
      severity: 4,
      location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
      reporter: { name: '金英街居民', phone: '13000009999' },
    });
    const routed = await until(api, worker, id, (event) => event.stage === 'routed', 'routing');
    api.say(`  routed to ${routed.assignee.name} (${routed.tier}), due ${routed.deadlineAt}`);
    await act(api, worker, id, {
      action: 'complete',
      note: '已清理排水口，排水畅通',
      photos: ['https://photos.example.cn/drain-after.jpg'],
    });
    await rateFromSms(api, id, 5);
    await until(api, worker, id, (event) => event.stage === 'archived', 'archiving');
    await timeline(api, worker, id);
  },

  overdue: async (api, timeScale) => {
    if (timeScale < 600)
      api.say(
        `  (the server runs at ×${timeScale}: this scene waits out an 8-working-hour limit; GRIDFLOW_TIME_SCALE=3600 npm start makes it minutes)`,
      );
    const center = api.token('town_center', XIAOJINKOU);
    const district = api.token('district_center', HUICHENG);
    const bureau = api.token('department', HUICHENG, { department: 'urban-management' });
    api.say('Story 2 — overdue, up the ladder. The street center reports a stall blocking a road (level 2).');
    const id = await report(api, center, {
      itemCode: '01-04',
      gridCode: GRID_1,
      description: '商铺占道经营堵塞道路',
      severity: 2,
      reporter: { name: '过路居民', phone: '13000009998' },
    });
    const routed = await until(api, center, id, (event) => event.stage === 'routed', 'routing');
    api.say(`  routed to ${routed.assignee.name}, due ${routed.deadlineAt}. Nobody acts…`);
    const moved = await until(api, district, id, (event) => event.tier === 'district', 'the deadline and the move up', 30 * 60_000);
    api.say(`  overdue: 督办 sent to the team's head; the case is with ${moved.assignee.name} to dispatch`);
    await act(api, district, id, { action: 'assign', department: 'urban-management', note: '交区城管局办理' });
    await act(api, bureau, id, { action: 'acknowledge' });
    await act(api, bureau, id, { action: 'complete', note: '已清理占道摊点' });
    await act(api, district, id, { action: 'verify_fail', note: '现场核查仍有摊点，返工' });
    await act(api, bureau, id, { action: 'complete', note: '已全部清理并设置警示' });
    await act(api, district, id, { action: 'verify_pass', note: '核查通过' });
    await rateFromSms(api, id, 4);
    await until(api, district, id, (event) => event.stage === 'archived', 'archiving');
    await timeline(api, district, id);
  },

  'buck-passing': async (api) => {
    const center = api.token('town_center', XIAOJINKOU);
    const district = api.token('district_center', HUICHENG);
    const housingTeam = api.token('department', XIAOJINKOU, { department: 'housing-construction' });
    const urbanTeam = api.token('department', XIAOJINKOU, { department: 'urban-management' });
    const housingBureau = api.token('department', HUICHENG, { department: 'housing-construction' });
    api.say('Story 3 — buck-passing (推诿扯皮). A crack in a building wall goes to housing and construction.');
    const id = await report(api, center, {
      itemCode: '02-05',
      gridCode: GRID_1,
      description: '居民楼外墙出现裂缝',
      severity: 2,
      reporter: { name: '楼栋长', phone: '13000009997' },
    });
    await until(api, center, id, (event) => event.stage === 'routed', 'routing');
    await act(api, housingTeam, id, { action: 'return', note: '外墙裂缝属违法搭建引起，不属本单位职责' });
    await act(api, center, id, { action: 'assign', department: 'urban-management', note: '转城管中队核查违建' });
    await act(api, urbanTeam, id, { action: 'return', note: '属房屋安全问题，不属本单位职责' });
    const meeting = await until(api, district, id, (event) => event.tier === 'joint_meeting', 'the joint meeting');
    api.say(`  two returns: the case goes to ${meeting.assignee.name}`);
    const now = await policyNow(api);
    const at = new Date(now + 3600_000).toISOString();
    await act(api, district, id, { action: 'convene_meeting', departments: ['housing-construction', 'urban-management'], at });
    const deadlineAt = new Date(now + 3 * 24 * 3600_000).toISOString();
    await act(api, district, id, {
      action: 'record_meeting_decision',
      lead: 'housing-construction',
      helpers: ['urban-management'],
      deadlineAt,
      minutes: '住建局牵头鉴定并加固，城管局协助拆除违建',
    });
    await act(api, housingBureau, id, { action: 'complete', note: '已完成安全鉴定并加固外墙' });
    await act(api, district, id, { action: 'verify_pass' });
    await rateFromSms(api, id, 5);
    await until(api, district, id, (event) => event.stage === 'archived', 'archiving');
    await timeline(api, district, id);
  },

  flood: async (api) => {
    const worker = api.token('grid_worker', GRID_5);
    const district = api.token('district_center', HUICHENG);
    api.say('Story 4 — the dragon-boat flood (龙舟水). Water 1.6 m deep on Jinluo Road, 16 people still inside: level 1.');
    const rescue = await report(api, worker, {
      itemCode: '02-03',
      gridCode: GRID_5,
      description: '金罗路积水深1.6米，16名群众被困',
      severity: 1,
      location: { lat: 23.1402, lng: 114.4201, address: '金罗路' },
      reporter: { name: '古欢欢', phone: '13000001005' },
    });
    const onTrain = await until(api, district, rescue, (event) => event.tier === 'through_train', 'the through train');
    api.say(
      `  on the through train (直通车), due ${onTrain.deadlineAt}: the district center, the community secretary, 古欢欢 and the leader are alerted`,
    );
    api.say('  meanwhile, reports pour in from the nine grids…');
    const ids: string[] = [];
    for (let index = 0; index < 60; index++) {
      const grid = `${JINYUAN}00${(index % 9) + 1}`;
      const spot =
        index % 10 === 0
          ? { lat: 23.1355, lng: 114.418, address: '园丁街小金口中学后山' }
          : { lat: 23.13 + index / 1000, lng: 114.41 + index / 1000, address: `金源社区第${(index % 9) + 1}网格` };
      const gridWorker = api.token('grid_worker', grid);
      const reply = await api.call('POST', '/events', gridWorker, {
        itemCode: index % 10 === 0 ? '02-04' : '02-03',
        gridCode: grid,
        description: index % 10 === 0 ? '后山出现滑坡迹象' : '道路积水',
        location: spot,
      });
      ids.push(reply.body.id);
      if (reply.body.possibleDuplicates?.length)
        api.say(`  ${reply.body.id} is likely the same spot as ${reply.body.possibleDuplicates[0]}`);
    }
    const landslides = ids.filter((_, index) => index % 10 === 0);
    await act(api, api.token('community_station', JINYUAN), landslides[1], {
      action: 'link_duplicate',
      duplicateOf: landslides[0],
      note: '同一处滑坡隐患',
    });
    await act(api, district, rescue, { action: 'complete', note: '16名群众已全部安全转移' });
    await act(api, district, rescue, { action: 'verify_pass', note: '现场核实群众均已安置' });
    const urgent = await api.call('GET', `/events?unit=${HUICHENG}&sort=urgency&limit=10`, district);
    api.say("  the district center's list, most urgent first:");
    for (const event of urgent.body.items)
      api.say(`    level ${event.severity}  ${event.id}  ${event.tier.padEnd(13)} due ${event.deadlineAt ?? '—'}  ${event.description}`);
  },

  supervision: async (api) => {
    const center = api.token('town_center', XIAOJINKOU);
    const district = api.token('district_center', HUICHENG);
    const deputy = api.token('supervisor', HUICHENG);
    api.say('Story 7 — supervision. A geological hazard has been open too long at the district.');
    const id = await report(api, center, {
      itemCode: '02-04',
      gridCode: GRID_1,
      description: '后山边坡有裂缝，雨后扩大',
      severity: 2,
      reporter: { name: '村民', phone: '13000009996' },
    });
    await until(api, center, id, (event) => event.stage === 'routed', 'routing');
    await act(api, center, id, { action: 'escalate', note: '需区自然资源部门专业处置' });
    await until(api, district, id, (event) => event.tier === 'district', 'the district');
    await act(api, district, id, { action: 'assign', department: 'natural-resources' });
    await act(api, deputy, id, { action: 'invite_department', department: 'natural-resources', note: '请尽快组织专家现场勘查' });
    await act(api, deputy, id, { action: 'nudge', note: '群众反映强烈，请加快办理' });
    await act(api, deputy, id, { action: 'evaluate', score: 3, note: '响应较慢，需加强部门协同' });
    await timeline(api, district, id);
  },

  patrols: async (api, timeScale) => {
    if (timeScale < 600)
      api.say(
        `  (the server runs at ×${timeScale}: the 17:45 check may be hours away; GRIDFLOW_TIME_SCALE=3600 npm start makes it seconds)`,
      );
    api.say('Story 6 — patrols (三查). Two of the nine Jinyuan grids are patrolled today; one patrol finds rubbish.');
    for (const grid of [GRID_1, `${JINYUAN}002`]) {
      const worker = api.token('grid_worker', grid);
      const reply = await api.call('POST', '/patrols', worker, {
        gridCode: grid,
        kind: 'daily',
        points: [{ lat: 23.1315, lng: 114.4152 }],
        findings: grid === GRID_1 ? [{ itemCode: '01-02', description: '巡查发现垃圾堆积', report: true }] : [],
      });
      if (reply.status !== 201) throw new Error(`patrol refused (${reply.status}): ${JSON.stringify(reply.body)}`);
      api.say(
        `  patrol of ${grid} logged${reply.body.reportedEvents?.length ? `; the finding became case ${reply.body.reportedEvents[0]}` : ''}`,
      );
    }
    const station = api.token('community_station', JINYUAN);
    const today = await api.call('GET', `/patrols?unit=${JINYUAN}`, station);
    api.say(`  today in Jinyuan: ${today.body.coverage.patrolled} of ${today.body.coverage.grids} grids patrolled`);
    api.say('  waiting for the 17:45 check (policy time)…');
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      const reminders = api.sms().filter((message) => message.template === 'patrol_missing');
      if (reminders.length > 0) {
        for (const message of reminders.slice(-7)) api.say(`  SMS to ${message.to}: ${message.text}`);
        break;
      }
      if (Date.now() > deadline) throw new Error('no patrol reminder came within 10 minutes');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  },

  reports: async (api) => {
    const district = api.token('district_center', HUICHENG);
    api.say('Story 8 — reports. What the centers and the district get (built from the counters), for the periods running now.');
    const today = localDate(new Date(await policyNow(api)));
    for (const [kind, unit] of [
      ['daily', JINYUAN],
      ['weekly', XIAOJINKOU],
      ['monthly', HUICHENG],
      ['quarterly', HUICHENG],
    ] as const) {
      const { status, body } = await api.call('GET', `/reports/${kind}?unit=${unit}&period=${periodOf(kind, today).label}`, district);
      if (status !== 200) throw new Error(`${kind} report refused (${status}): ${body?.error?.message}`);
      api.say(
        `  ${kind.padEnd(9)} ${body.scope.name} ${body.period.label}: reported ${body.totals.reported}, closed ${body.totals.closed}, overdue ${body.totals.overdue}, on time ${body.rates.onTimeClosure ?? '—'}%`,
      );
      for (const row of body.rankings?.departments?.slice(0, 3) ?? [])
        api.say(`            ${row.grade ?? '—'}  ${row.name}  on time ${row.rates.onTimeClosure ?? '—'}%  ${row.flags.join(' ')}`);
    }
    api.say(`  the same as a page with charts: npm run report -- monthly --unit 441302 --period ${periodOf('monthly', today).label}`);
  },
};

async function report(api: DemoApi, token: string, body: unknown): Promise<string> {
  const reply = await api.call('POST', '/events', token, body);
  if (reply.status !== 201) throw new Error(`report refused (${reply.status}): ${JSON.stringify(reply.body)}`);
  api.say(`  reported ${reply.body.id}`);
  return reply.body.id;
}

async function act(api: DemoApi, token: string, id: string, body: { action: string } & Record<string, unknown>) {
  const reply = await api.call('POST', `/events/${id}/actions`, token, body);
  if (reply.status !== 200) throw new Error(`${body.action} refused (${reply.status}): ${reply.body?.error?.message}`);
  api.say(
    `  ${body.action}${'note' in body && body.note ? `: ${body.note}` : ''} → ${reply.body.stage}, ${reply.body.tier}${reply.body.assignee ? `, ${reply.body.assignee.name}` : ''}`,
  );
  return reply.body;
}

async function until(api: DemoApi, token: string, id: string, done: (event: any) => boolean, what: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const { body } = await api.call('GET', `/events/${id}`, token);
    if (done(body)) return body;
    if (Date.now() > deadline) throw new Error(`waited too long for ${what} (stage ${body.stage}, tier ${body.tier})`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The reporter answers the feedback SMS's rating code. */
async function rateFromSms(api: DemoApi, id: string, score: number) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const sms = api
      .sms()
      .filter((message) => message.eventId === id && message.template === 'feedback_to_reporter')
      .at(-1);
    const code = sms && /评价码(\d{6})/.exec(sms.text)?.[1];
    if (code) {
      api.say(`  the reporter's SMS: ${sms.text}`);
      const rated = await api.call('POST', `/events/${id}/rating`, undefined, { code, score });
      api.say(`  the reporter rates it ${score}${rated.body.reopened ? ': reopened' : ''}`);
      return;
    }
    if (Date.now() > deadline) throw new Error('no feedback SMS arrived');
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

/** The server's policy time: it runs ahead of the wall clock when the server is sped up. */
async function policyNow(api: DemoApi): Promise<number> {
  const { body } = await api.call('GET', '/health');
  return Date.parse(body.time);
}

async function timeline(api: DemoApi, token: string, id: string) {
  const { body } = await api.call('GET', `/events/${id}`, token);
  api.say(`\n${id}: ${body.status}, ${body.stage}, ${body.tier}. Timeline:`);
  for (const entry of body.timeline)
    api.say(`  ${entry.at}  ${entry.type.padEnd(20)} ${entry.actor.name}${entry.note ? ` — ${entry.note}` : ''}`);
}
