/**
 * The case view lists the actions its reader may take on it now (`allowedActions`), from the one permission table
 * (shared/domain/permissions.ts): a web page shows buttons for exactly these. Each is one the API then accepts, and
 * each action left out is one the API refuses.
 */
import * as z from 'zod';
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import type { Caller } from '../../shared/domain/caller';
import { ACTION_NAMES } from '../../shared/domain/actions';
import { authorizeAction } from '../../shared/domain/permissions';
import { actOnCase } from '../../shared/core/act-on-case';
import type { CoreDependencies } from '../../shared/core/dependencies';
import { getCase } from '../../shared/core/read-cases';
import { reportCase } from '../../shared/core/report-case';
import { runWorkflowStep } from '../../shared/core/workflow-steps';
import type { Notifier } from '../../shared/ports/notifier';
import type { WorkflowPort } from '../../shared/ports/workflow';
import { EventReply } from '../../shared/schemas/events';
import { pureDeps, rosterCaller } from './pure-deps';

const GRID = '441302010001001';
const worker = rosterCaller('gw-ouyang-lingqiao');
const station = rosterCaller('cs-jinyuan-duty');
const streetCenter = rosterCaller('tc-xiaojinkou-duty');
const districtCenter = rosterCaller('dc-huicheng-duty');
const deputy = rosterCaller('sv-huicheng-deputy');
const streetClerk = rosterCaller('ds-urban-management-441302010');

function coreDeps(): CoreDependencies {
  const now = Date.parse('2026-11-23T09:00:00+08:00');
  const workflow: WorkflowPort = {
    start: async () => 'started',
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async () => undefined,
  };
  const notifier: Notifier = { send: async () => ({ messageId: 'm' }) };
  return {
    ...pureDeps(new Date(now), { ports: { ...createMemoryStores(), workflow, notifier } }),
    logger: { info: () => {}, warn: () => {}, error: () => {} },
  };
}

/** A routed case, reported by `reporter` at this severity (4: the grid worker's; 2: the street center's). */
async function routedCase(deps: CoreDependencies, reporter: Caller, severity: 2 | 4) {
  const { case: event } = await reportCase(deps, {
    body: { itemCode: '01-01', gridCode: GRID, description: '金英街排水口堵塞', severity, photos: [] },
    caller: reporter,
    clientId: 'test',
  });
  await runWorkflowStep(deps, { step: 'register', eventId: event.id, loops: 0 });
  await runWorkflowStep(deps, { step: 'route', eventId: event.id, loops: 0 });
  return event.id;
}

/** What the permission table lets `caller` do to the case now: every action authorizeAction lets through. */
async function permitted(deps: CoreDependencies, caller: Caller, id: string) {
  const stored = await deps.cases.get(id);
  return ACTION_NAMES.filter((action) => {
    try {
      authorizeAction(action, caller, stored!.case);
      return true;
    } catch {
      return false;
    }
  });
}

test("a grid case's handler, her station, the district center and a deputy each see their own actions", async () => {
  const deps = coreDeps();
  const id = await routedCase(deps, worker, 4);
  const allowed = async (caller: Caller) => (await getCase(deps, caller, id)).allowedActions;

  expect(await allowed(worker)).toEqual(['acknowledge', 'complete', 'escalate', 'request_extension', 'comment', 'link_duplicate']);
  expect(await allowed(station)).toEqual(['comment', 'link_duplicate']);
  expect(await allowed(districtCenter)).toEqual(['through_train', 'nudge', 'comment', 'link_duplicate']);
  expect(await allowed(deputy)).toEqual(['nudge', 'invite_department', 'evaluate', 'comment']);
  for (const caller of [worker, station, districtCenter, deputy]) expect(await allowed(caller)).toEqual(await permitted(deps, caller, id));
  // The reply schema describes it.
  z.strictObject(EventReply.shape).parse(await getCase(deps, worker, id));
});

test('a street case: its center may assign it; once assigned, the street team may sign for it, complete or return it', async () => {
  const deps = coreDeps();
  const id = await routedCase(deps, streetCenter, 2);
  expect((await getCase(deps, streetCenter, id)).allowedActions).toContain('assign');
  expect((await getCase(deps, worker, id)).allowedActions).not.toContain('assign');
  await actOnCase(deps, streetCenter, id, { action: 'assign', department: 'urban-management' });
  expect((await getCase(deps, streetClerk, id)).allowedActions).toEqual([
    'acknowledge',
    'complete',
    'return',
    'escalate',
    'request_extension',
    'comment',
  ]);
  expect((await getCase(deps, streetClerk, id)).allowedActions).toEqual(await permitted(deps, streetClerk, id));
});
