/**
 * The local composition: the same core, routes and workflow steps as in the cloud, wired to DynamoDB Local,
 * the local Step Functions engine, the SMS outbox, the scaled clock and locally signed tokens. Each platform
 * builds its own: nothing here is shared between platforms in one process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BusinessCalendar } from '../shared/domain/calendar';
import { Catalog } from '../shared/domain/catalog';
import { DEFAULT_POLICY, type Policy } from '../shared/domain/policy';
import { UnitDirectory, type DirectoryData } from '../shared/domain/units';
import type { CoreLogger } from '../shared/core/dependencies';
import type { AppDependencies } from '../shared/http/api-handler';
import { tableStores } from '../shared/composition/stores';
import sampleUnits from '../shared/data/units-huicheng-sample.json' with { type: 'json' };
import sampleRoster from '../shared/data/roster.json' with { type: 'json' };
import defaultCatalog from '../shared/data/catalog.json' with { type: 'json' };
import { work as workflowStep } from '../functions/workflow-step';
import { type LocalSigningKey, localTokenVerifier } from './adapters/local-jwt';
import { LocalWorkflow } from './adapters/local-workflow';
import type { OutboxNotifier } from './adapters/outbox-notifier';
import type { ScaledClock } from './adapters/scaled-clock';

export interface LocalParts {
  client: DynamoDBClient;
  tableName: string;
  clock: ScaledClock;
  outbox: OutboxNotifier;
  /** The key local tokens are signed with. */
  key: LocalSigningKey;
  /** Data folder (reference data seeded there); undefined serves the samples. */
  dataDir?: string;
  policy?: Policy;
  logger: CoreLogger;
  onTransition?: (executionName: string, stateName: string) => void;
}

export function localDependencies(parts: LocalParts): { deps: AppDependencies; workflow: LocalWorkflow } {
  // The workflow's steps run in-process on these dependencies, of which the workflow is one.
  const workflow = new LocalWorkflow((payload) => workflowStep(payload, deps), parts.onTransition);
  const deps: AppDependencies = {
    ...tableStores(parts.client, parts.tableName),
    workflow,
    notifier: parts.outbox,
    clock: parts.clock,
    calendar: BusinessCalendar.default(),
    catalog: new Catalog(seeded(parts.dataDir, 'catalog.json', defaultCatalog)),
    directory: new UnitDirectory(seeded(parts.dataDir, 'district.json', sampleDirectory())),
    policy: parts.policy ?? DEFAULT_POLICY,
    logger: parts.logger,
    tokenVerifier: localTokenVerifier(parts.key),
    mode: 'local',
  };
  return { deps, workflow };
}

export function consoleLogger(quiet: boolean, log: (line: string) => void): CoreLogger {
  const line = (level: string, message: string, extra?: Record<string, unknown>) =>
    log(`[${level}] ${message}${extra ? ` ${JSON.stringify(extra)}` : ''}`);
  return {
    info: (message, extra) => !quiet && line('info', message, extra),
    warn: (message, extra) => !quiet && line('warn', message, extra),
    error: (message, extra) => line('error', message, extra),
  };
}

function sampleDirectory(): DirectoryData {
  return { units: sampleUnits.units, departments: sampleUnits.departments, people: sampleRoster.people as DirectoryData['people'] };
}

/**
 * Data this installation serves (the district and its roster, the catalog): seeded from the samples on
 * first start, then the operator's to edit in the data folder.
 */
function seeded<T>(dataDir: string | undefined, name: string, sample: T): T {
  if (!dataDir) return sample;
  const file = join(dataDir, name);
  if (!existsSync(file)) writeFileSync(file, JSON.stringify(sample, null, 1));
  return JSON.parse(readFileSync(file, 'utf8'));
}
