/** Everything a core operation needs, handed in by the composition root (cloud or local). */
import type { BusinessCalendar } from '../domain/calendar';
import type { Catalog } from '../domain/catalog';
import type { Policy } from '../domain/policy';
import type { UnitDirectory } from '../domain/units';
import type { Clock, EventStore, Notifier, WorkflowPort } from '../ports';

export interface CoreLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface CoreDependencies {
  store: EventStore;
  workflow: WorkflowPort;
  notifier: Notifier;
  clock: Clock;
  calendar: BusinessCalendar;
  catalog: Catalog;
  directory: UnitDirectory;
  policy: Policy;
  logger: CoreLogger;
}
