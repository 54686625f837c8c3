/** Every store in memory, sharing their counters and claims: for use-case unit tests and the contract suite. */
import type { Stores } from '../../ports/stores';
import { MemoryCaseLists } from './memory-case-lists';
import { MemoryCaseStore } from './memory-case-store';
import { MemoryCounterStore } from './memory-counters';
import { MemoryFieldWorkStore } from './memory-field-work';
import { MemoryRequestGuards } from './memory-guards';
import { MemoryReferenceStore } from './memory-reference';
import { MemoryReminderStore } from './memory-reminders';
import { MemoryReportStore } from './memory-reports';
import { MemoryTable } from './memory-table';
import { MemoryVerificationStore } from './memory-verifications';
import { MemorySeenCaseStore } from './memory-seen-cases';

export function createMemoryStores(): Stores {
  const table = new MemoryTable();
  const cases = new MemoryCaseStore(table);
  return {
    cases,
    caseLists: new MemoryCaseLists(cases),
    counters: new MemoryCounterStore(table),
    reports: new MemoryReportStore(),
    reminders: new MemoryReminderStore(),
    fieldWork: new MemoryFieldWorkStore(table),
    guards: new MemoryRequestGuards(table),
    smsIntents: table.smsIntents,
    seenCases: new MemorySeenCaseStore(),
    verifications: new MemoryVerificationStore(),
    reference: new MemoryReferenceStore(),
    // Memory is always there.
    health: { check: async () => {} },
  };
}
