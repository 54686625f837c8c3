/**
 * GET /events/{id}/lifecycle's route on the in-memory stores: every generation's course for whoever may see the case
 * (404 otherwise, before Step Functions is asked), and the console link only in the cloud, of the execution's partition.
 */
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import { route } from '../../functions/events-lifecycle';
import type { Caller } from '../../shared/domain/caller';
import type { ApiRequest, AppDependencies } from '../../shared/http/api-handler';
import type { ExecutionCourse, WorkflowPort } from '../../shared/ports/workflow';
import { pureDeps, rosterCaller, sampleEvent } from './pure-deps';

const ARN = 'arn:aws-cn:states:cn-northwest-1:123456789012:execution:GridFlow-EventLifecycle';

async function setUp(mode: string) {
  const stores = createMemoryStores();
  const asked: string[] = [];
  const workflow: WorkflowPort = {
    start: async () => 'started',
    status: async () => 'running',
    sendTaskSuccess: async () => true,
    course: async (eventId, generation = 1): Promise<ExecutionCourse> => {
      const name = generation === 1 ? eventId : `${eventId}-${generation}`;
      asked.push(name);
      return { name, arn: `${ARN}:${name}`, status: 'running', startedAt: '2026-11-23T01:00:00.000Z', states: [] };
    },
  };
  const event = { ...sampleEvent({ workflowGeneration: 2 }), version: 1 };
  await stores.cases.create({ case: event, timeline: [], counters: [] });
  const deps = {
    ...pureDeps('2026-11-23T09:00:00+08:00', { ports: { ...stores, workflow } }),
    mode,
    tokenVerifier: { verify: async () => undefined },
  } as unknown as AppDependencies;
  const call = (caller: Caller) =>
    route.logic({ caller, pathParameters: { id: event.id }, query: {}, headers: {} } as unknown as ApiRequest<'required'>, deps);
  return { call, asked, id: event.id };
}

test('in the cloud: each generation of the case, with the console link of its partition (China here)', async () => {
  const { call, asked, id } = await setUp('aws');
  const reply = await call(rosterCaller('dc-huicheng-duty'));
  expect(reply.status).toBe(200);
  const { executions } = reply.body as { executions: (ExecutionCourse & { consoleUrl?: string })[] };
  expect(executions.map((execution) => execution.name)).toEqual([id, `${id}-2`]);
  expect(executions[0]?.consoleUrl).toBe(
    `https://cn-northwest-1.console.amazonaws.cn/states/home?region=cn-northwest-1#/v2/executions/details/${encodeURIComponent(`${ARN}:${id}`)}`,
  );
  expect(asked).toEqual([id, `${id}-2`]);
});

test('locally: no console link; a caller who may not see the case gets 404 and Step Functions is not asked', async () => {
  const local = await setUp('local');
  const { executions } = (await local.call(rosterCaller('dc-huicheng-duty'))).body as { executions: object[] };
  expect(executions).toHaveLength(2);
  for (const execution of executions) expect(execution).not.toHaveProperty('consoleUrl');

  const cloud = await setUp('aws');
  const elsewhere: Caller = { ...rosterCaller('dc-huicheng-duty'), role: 'grid_worker', units: ['441302010002001'] };
  await expect(cloud.call(elsewhere)).rejects.toMatchObject({ status: 404 });
  expect(cloud.asked).toEqual([]);
});
