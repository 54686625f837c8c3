/**
 * Local mode's Lambda: one composition per GridFlow function (named as shared/http/routes.ts HANDLER_NAMES
 * names them), each built as that function's Lambda builds its own — the cloud composition with its own SDK
 * clients, pointed at the edge port. The gateway serves each route through its function's; the background
 * functions' work (workflow steps, scheduled jobs, the sweeper, the SMS sender) is invoked here through theirs.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { AppDependencies } from '../shared/http/api-handler';
import { HANDLER_NAMES } from '../shared/http/routes';
import type { SdkClient } from '../shared/composition/cloud-dependencies';
import type { BackgroundWork } from '../shared/composition/make-handler';
import { work as workflowStep } from '../functions/workflow-step';
import { work as scheduledJobs } from '../functions/scheduled-jobs';
import { work as sweeper } from '../functions/sweeper';
import { work as smsSender } from '../functions/sms-sender';
import { functionDependencies, type LocalParts } from './local-composition';

/** Tests and tools (reading the table, running a job by hand) use this one: composed as a function is, but none. */
export const OPERATOR = 'local-operator';

const BACKGROUND_WORK: Record<string, BackgroundWork<unknown>> = {
  'workflow-step': workflowStep,
  'sms-sender': smsSender,
  'scheduled-jobs': scheduledJobs,
  sweeper,
};

export class LocalFunctions {
  private readonly compositions = new Map<string, AppDependencies>();
  private readonly tableClients = new Map<string, DynamoDBClient>();
  private readonly clients: SdkClient[] = [];

  constructor(parts: LocalParts) {
    const instrument: LocalParts['instrument'] = (functionName, client, service) => {
      this.clients.push(client);
      if (service === 'dynamodb') this.tableClients.set(functionName, client as DynamoDBClient);
      parts.instrument?.(functionName, client, service);
    };
    // The reference documents are read once for all the functions (each Lambda reads its own).
    const referenceDocuments = new Map<string, unknown>();
    for (const name of [...HANDLER_NAMES, OPERATOR])
      this.compositions.set(name, functionDependencies(name, { ...parts, instrument, referenceDocuments }));
  }

  /** A function's dependencies (or the operator's). */
  of(name: string): AppDependencies {
    const deps = this.compositions.get(name);
    if (!deps) throw new Error(`No local function named '${name}'`);
    return deps;
  }

  /** Every composition loads the reference version in effect, as each Lambda does at its first invocation. */
  async refreshReference(): Promise<void> {
    // The first reads the documents into the shared map; the others then read only the pointer.
    const [first, ...others] = [...this.compositions.values()];
    await first?.refreshReference?.();
    await Promise.all(others.map((deps) => deps.refreshReference?.()));
  }

  /** The DynamoDB client of a function's composition. */
  dynamoDbClient(name: string): DynamoDBClient {
    const client = this.tableClients.get(name);
    if (!client) throw new Error(`No local function named '${name}'`);
    return client;
  }

  /** Every composition's DynamoDB client (benchmarks meter the table on all of them). */
  dynamoDbClients(): DynamoDBClient[] {
    return [...this.tableClients.values()];
  }

  /** Invokes a background function as Lambda would: its work on its own composition, the payload through JSON. */
  async invoke(name: string, payload: unknown): Promise<unknown> {
    const work = BACKGROUND_WORK[name];
    if (!work) throw new Error(`No background function named '${name}'`);
    const deps = this.of(name);
    await deps.refreshReference?.();
    return work(JSON.parse(JSON.stringify(payload ?? null)), deps);
  }

  /** Closes every SDK client's connections. */
  destroy(): void {
    for (const client of this.clients) client.destroy();
  }
}
