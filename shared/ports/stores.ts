/** The stores, one per aggregate, as the core's dependencies name them (a composition builds them all at once). */
import type { CaseLists } from './case-lists';
import type { CaseStore } from './cases';
import type { CounterStore } from './counters';
import type { FieldWorkStore } from './field-work';
import type { RequestGuards } from './guards';
import type { ReminderStore } from './reminders';
import type { ReferenceStore } from './reference';
import type { ReportStore } from './reports';
import type { SeenCaseStore } from './seen-cases';
import type { SmsIntentStore } from './sms-intents';
import type { StoreHealth } from './store-health';
import type { VerificationStore } from './verifications';

export interface Stores {
  cases: CaseStore;
  caseLists: CaseLists;
  counters: CounterStore;
  reports: ReportStore;
  reminders: ReminderStore;
  fieldWork: FieldWorkStore;
  guards: RequestGuards;
  smsIntents: SmsIntentStore;
  verifications: VerificationStore;
  seenCases: SeenCaseStore;
  reference: ReferenceStore;
  health: StoreHealth;
}
