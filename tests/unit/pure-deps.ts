/**
 * CoreDependencies for the pure core functions (decide, case moves, SMS recipients): a fixed clock, the
 * default calendar, catalog, sample district and policy — and stores, workflow and notifier that throw
 * if anything calls them, since these functions must not.
 */
import type { CoreDependencies } from '../../shared/core/dependencies';
import { DEFAULT_POLICY, type Policy } from '../../shared/domain/policy';
import type { CaseClock, ClockKind, Case } from '../../shared/domain/types';
import { createMemoryStores } from '../../shared/adapters/memory/memory-stores';
import type { CaseChange } from '../../shared/ports/cases';
import type { MemorySmsIntentStore } from '../../shared/adapters/memory/memory-sms-intents';
import type { Notifier, OutgoingMessage } from '../../shared/ports/notifier';
import type { Stores } from '../../shared/ports/stores';
import type { UnitDirectory } from '../../shared/domain/units';
import { HmacReporterCredentials } from '../../shared/adapters/hmac-reporter-credentials';
import { sampleCalendar, sampleCatalog, sampleDirectory } from '../../dev-server/seed-reference';
import type { Caller } from '../../shared/domain/caller';

/** An object every method of which throws: a port a pure function must not touch. */
function untouchable<T>(port: string): T {
  return new Proxy(
    {},
    {
      get(_target, property) {
        // Let `await`, jest's printing and the like look without calling.
        if (
          typeof property === 'symbol' ||
          property === 'then' ||
          property === 'toJSON' ||
          property === 'asymmetricMatch' ||
          property === '$$typeof'
        )
          return undefined;
        return () => {
          throw new Error(`A pure function called ${port}.${String(property)}`);
        };
      },
    },
  ) as T;
}

export interface PureDepsOptions {
  scale?: number;
  policy?: Partial<Policy>;
  directory?: UnitDirectory;
  /** Ports a test provides (for a core operation that uses them); the others still throw. */
  ports?: Partial<Pick<CoreDependencies, keyof Stores | 'workflow' | 'notifier'>>;
}

export function pureDeps(now: string | Date, options: PureDepsOptions = {}): CoreDependencies {
  const instant = typeof now === 'string' ? new Date(now) : now;
  return {
    cases: options.ports?.cases ?? untouchable('cases'),
    caseLists: options.ports?.caseLists ?? untouchable('caseLists'),
    counters: options.ports?.counters ?? untouchable('counters'),
    reports: options.ports?.reports ?? untouchable('reports'),
    reminders: options.ports?.reminders ?? untouchable('reminders'),
    fieldWork: options.ports?.fieldWork ?? untouchable('fieldWork'),
    guards: options.ports?.guards ?? untouchable('guards'),
    smsIntents: options.ports?.smsIntents ?? untouchable('smsIntents'),
    verifications: options.ports?.verifications ?? untouchable('verifications'),
    seenCases: options.ports?.seenCases ?? untouchable('seenCases'),
    reference: options.ports?.reference ?? untouchable('reference'),
    health: options.ports?.health ?? untouchable('health'),
    workflow: options.ports?.workflow ?? untouchable('workflow'),
    notifier: options.ports?.notifier ?? untouchable('notifier'),
    reporterCredentials: new HmacReporterCredentials('a test installation key of 32+ characters'),
    clock: { now: () => new Date(instant.getTime()), scale: options.scale ?? 1 },
    calendar: sampleCalendar(),
    catalog: sampleCatalog(),
    directory: options.directory ?? sampleDirectory(),
    policy: { ...DEFAULT_POLICY, ...options.policy },
    siteUrl: 'https://gridflow.example',
    logger: untouchable('logger'),
  };
}

/** A level-4 blocked drain (01-01) on Jinyuan's grid 1, reported by its worker, before routing; override as needed. */
export function sampleEvent(overrides: Partial<Case> = {}): Case {
  return {
    id: 'E20261123-7K3M9Q',
    itemCode: '01-01',
    classCode: '01',
    gridCode: '441302010001001',
    description: '金英街排水口堵塞',
    severity: 4,
    location: { lat: 23.1315, lng: 114.4152, address: '金英街' },
    photos: [],
    reporter: { name: '居民', phone: '13000009999' },
    source: 'grid_worker',
    reportedBy: { id: 'gw-ouyang-lingqiao', name: '欧阳玲巧', role: 'grid_worker' },
    status: 'open',
    stage: 'registered',
    tier: 'grid',
    involvedDepartments: [],
    overdue: false,
    needsAcceptance: false,
    createdAt: '2026-11-23T09:00:00+08:00',
    updatedAt: '2026-11-23T09:00:00+08:00',
    version: 1,
    ...overrides,
  };
}

export function sampleClock(kind: ClockKind, startedAt: string, deadlineAt: string, overrides: Partial<CaseClock> = {}): CaseClock {
  return { kind, startedAt, deadlineAt, reminders: 0, nudges: 0, ...overrides };
}

/**
 * The in-memory stores holding one case (what a step or an action on one case reads and changes), with
 * the changes applied recorded, and the SMS they store (`sent`: the sender would send each).
 */
export function memoryPorts(event: Case) {
  const stores = createMemoryStores();
  // The in-memory create stores at once (nothing in it waits): the case is there when this returns.
  void stores.cases.create({ case: event, timeline: [], counters: [] });
  const applied: CaseChange[] = [];
  const sent: OutgoingMessage[] = [];
  const apply = stores.cases.apply.bind(stores.cases);
  stores.cases.apply = async (change, ...others) => {
    await apply(change, ...others);
    applied.push(change, ...others);
  };
  (stores.smsIntents as MemorySmsIntentStore).onStored = (intents) => sent.push(...intents.map((intent) => intent.message));
  const notifier: Notifier = {
    async send() {
      throw new Error('The core stores SMS; only the SMS sender sends them (deliver-sms.ts)');
    },
  };
  let current = event;
  return {
    stores,
    notifier,
    applied,
    sent,
    current: () => {
      // The latest case applied (the store's own copy is read asynchronously).
      for (const change of applied) if (change.case.id === event.id) current = change.case;
      return current;
    },
  };
}

/** The caller a sample roster person's token gives: its sub unlike the person id, as Cognito's is. */
export function rosterCaller(person: string): Caller {
  const known = sampleDirectory().person(person);
  if (!known) throw new Error(`No person ${person} in the sample roster`);
  return {
    person,
    sub: `sub-${person}`,
    name: known.name,
    role: known.role,
    units: [known.unit],
    ...(known.department && { department: known.department }),
  };
}
