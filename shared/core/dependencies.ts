/**
 * Everything a core operation needs, handed in by the composition root (cloud or local). A use case takes
 * `Pick<CoreDependencies, …>` of what it uses, so its type says which stores it touches.
 */
import type { BusinessCalendar } from '../domain/calendar';
import type { Catalog } from '../domain/catalog';
import type { Policy } from '../domain/policy';
import type { UnitDirectory } from '../domain/units';
import type { Clock } from '../ports/clock';
import type { Notifier } from '../ports/notifier';
import type { ReporterCredentials } from '../ports/reporter-credentials';
import type { Stores } from '../ports/stores';
import type { WorkflowPort } from '../ports/workflow';

export interface CoreLogger {
  info(message: string, extra?: Record<string, unknown>): void;
  warn(message: string, extra?: Record<string, unknown>): void;
  error(message: string, extra?: Record<string, unknown>): void;
}

export interface CoreDependencies extends Stores {
  workflow: WorkflowPort;
  notifier: Notifier;
  /** Verification code hashes and reporter tokens (verify-phone.ts). */
  reporterCredentials: ReporterCredentials;
  clock: Clock;
  calendar: BusinessCalendar;
  catalog: Catalog;
  directory: UnitDirectory;
  policy: Policy;
  /** The command center's address (the cloud's site, local mode's http://localhost:<port>): SMS link its pages. */
  siteUrl: string;
  /** The reference version the directory, catalog and calendar are of (absent where they are fixed: use-case tests). */
  referenceVersion?: number;
  /** The years the calendar knows (holidays, make-up days); absent where the reference data is fixed. */
  calendarYears?: readonly number[];
  logger: CoreLogger;
}

/** The district's reference data and policy: what a move on a case is computed from (no store, no clock). */
export type ReferenceData = Pick<CoreDependencies, 'calendar' | 'calendarYears' | 'catalog' | 'directory' | 'policy' | 'referenceVersion'>;
