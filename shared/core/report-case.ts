/** 上报: a grid worker, a station or a resident reports a matter; it is registered (登记) and its lifecycle starts. */
import { actorOf, canSeeUnit, type Caller } from '../domain/caller';
import { toLocalIso } from '../domain/calendar';
import type { CatalogItem } from '../domain/catalog';
import { EventIdTaken, forbidden, unprocessable } from '../domain/errors';
import { mayDo } from '../domain/operations';
import type { Actor, Case, Severity, Source } from '../domain/types';
import type { ReportCaseInput } from '../domain/case-inputs';
import { startingTier } from '../domain/policy';
import type { CaseChange } from '../ports/cases';
import type { ClaimRecord, IdempotencyClaim } from '../ports/guards';
import { buildChange } from './changes';
import { changeOf, firstRoute } from './case-moves';
import { withMoveMessages } from './send-move';
import type { CoreDependencies, ReferenceData } from './dependencies';
import type { NotifyDeps } from './lifecycle-messages';
import { newEventId } from './ids';
import { likelyDuplicates } from './likely-duplicates';
import { enforceHourlyLimit, onceForKey } from './request-guards';
import { reporterViewOf, type CaseView } from './read-cases';
import { reporterOf } from './verify-phone';

/** A report is guarded (idempotency, rate limits), checked for duplicates, stored, routed, texted and started. */
export type ReportingDeps = ReferenceData &
  NotifyDeps &
  Pick<CoreDependencies, 'guards' | 'caseLists' | 'workflow' | 'reporterCredentials'>;

export interface ReportRequest {
  body: ReportCaseInput;
  /** Absent for a resident reporting without a token. */
  caller?: Caller;
  /** Who the client is when there is no token (its source IP), for the rate limit. */
  clientId: string;
  idempotencyKey?: string;
  /** A resident's reporter token (X-Reporter-Token): proves the phone to text back (verify-phone.ts). */
  reporterToken?: string;
}

export interface ReportResult {
  case: Case;
  /** False when an idempotent retry returned the case made by the first request. */
  created: boolean;
  /** Said to a resident whose phone was not verified: it is not texted, nor kept. */
  notice?: string;
}

const MAX_ID_DRAWS = 5;

/** Whose a resident's (token-less) report is, for its hourly limit: the client's address. */
const residentScope = (clientId: string) => `citizen#${clientId}`;
/**
 * Whose a resident's Idempotency-Key is: the verified phone's when the report carries a reporter token (the same
 * resident retrying from another network gets their report), else the client's address — never bare.
 */
const residentKeyScope = (clientId: string, verifiedPhone: string | undefined) =>
  verifiedPhone ? `resident#${verifiedPhone}` : residentScope(clientId);
const CITIZEN: Actor = { id: 'citizen', name: '居民 resident', role: 'citizen' };

/** POST /events: reports the matter and gives the case as its reporter sees it (their phone unmasked). */
export async function reportCaseForReporter(deps: ReportingDeps, request: ReportRequest): Promise<{ view: CaseView; created: boolean }> {
  const { case: theCase, created, notice } = await reportCase(deps, request);
  return { view: { ...reporterViewOf(theCase, request.caller), ...(notice ? { notice } : {}) }, created };
}

export async function reportCase(deps: ReportingDeps, request: ReportRequest): Promise<ReportResult> {
  const { caller } = request;
  // Without an account, a phone is kept (and texted) only when the reporter token proves it.
  const resident = caller ? undefined : reporterOf(deps, request.body.reporter, request.reporterToken);
  const body = resident ? { ...request.body, reporter: resident.reporter } : request.body;
  const item = deps.catalog.item(body.itemCode);
  if (!item) throw unprocessable(`itemCode ${body.itemCode} is not in the catalog`, [{ field: 'itemCode', message: 'unknown item code' }]);
  if (!deps.directory.isGrid(body.gridCode)) {
    throw unprocessable(`gridCode ${body.gridCode} is not a grid of this district`, [{ field: 'gridCode', message: 'unknown grid code' }]);
  }
  const source = sourceOf(body.source, caller);
  if (caller) {
    if (!mayDo(caller.role, 'report')) throw forbidden(`A ${caller.role} may not report matters`);
    if (!canSeeUnit(caller, body.gridCode)) throw forbidden(`Grid ${body.gridCode} is outside your units`);
  }

  const replay = async (record: ClaimRecord) => (record.eventId ? (await deps.cases.get(record.eventId))?.case : undefined);
  const { result, created } = await onceForKey(
    deps,
    // A resident's key is theirs alone — scoped to their verified phone or the client's address, never bare: a bare
    // key would give another client the resident's case (and phone) for the same key and body, and let anyone squat
    // a key first. The body hashed is the one sent.
    {
      operation: 'event',
      caller: caller?.person ?? residentKeyScope(request.clientId, resident?.verifiedPhone),
      key: request.idempotencyKey,
      body: request.body,
    },
    replay,
    (claim) => register(deps, { ...request, body }, item, source, claim),
  );
  return { case: result, created, ...(resident?.notice ? { notice: resident.notice } : {}) };
}

/** Registers the report (routed at once unless it needs acceptance) and starts its lifecycle; `claim` commits with it. */
async function register(
  deps: ReportingDeps,
  request: ReportRequest,
  item: CatalogItem,
  source: Source,
  claim: IdempotencyClaim | undefined,
): Promise<Case> {
  const { body, caller } = request;
  if (!caller) {
    await enforceHourlyLimit(
      deps,
      'citizenReportsPerHour',
      residentScope(request.clientId),
      (perHour) => `At most ${perHour} reports an hour without signing in; please try later or call the hotline`,
    );
  }

  const now = deps.clock.now();
  const duplicates = await likelyDuplicates(deps, body, now);
  const theCase: Omit<Case, 'version' | 'updatedAt'> = {
    id: newEventId(now),
    itemCode: item.code,
    classCode: item.classCode,
    gridCode: body.gridCode,
    description: body.description,
    severity: (body.severity ?? item.severity) as Severity,
    ...(body.location ? { location: body.location } : {}),
    photos: body.photos,
    ...(body.reporter ? { reporter: body.reporter } : {}),
    source,
    reportedBy: caller ? actorOf(caller) : CITIZEN,
    status: 'open',
    stage: 'registered',
    tier: 'grid',
    involvedDepartments: [],
    overdue: false,
    overdueNudges: 0,
    needsAcceptance: source === 'citizen',
    awaitingLifecycle: true,
    ...(duplicates.length ? { possibleDuplicates: duplicates.map((duplicate) => duplicate.id) } : {}),
    createdAt: toLocalIso(now),
  };
  for (let attempt = 1; ; attempt++) {
    const registered = buildChange(undefined, theCase, {
      type: 'registered',
      actor: theCase.reportedBy,
      at: now,
      count: ['reported'],
      ...(duplicates.length ? { data: { likelyDuplicates: duplicates } } : {}),
    });
    // 分流 at once: a report that needs no acceptance is stored registered and routed in one write, so
    // the reporter sees its handler and deadline in the reply. A resident's report waits for acceptance.
    const routing = theCase.needsAcceptance ? undefined : routeAtOnce(deps, registered, now);
    const change = routing?.change ?? registered;
    try {
      await deps.cases.create(change, claim);
    } catch (error) {
      // Six random characters a day: at 10,000 reports a day two draw the same id about one day in twenty.
      if (error instanceof EventIdTaken && attempt < MAX_ID_DRAWS) {
        theCase.id = newEventId(now);
        continue;
      }
      throw error;
    }
    await startLifecycle(deps, change.case.id);
    return change.case;
  }
}

/**
 * The registration and the routing as one change: both timeline entries, both sets of counters, the routed
 * case, and the SMS the routing causes (the handler, or the through train's leaders, hear of it).
 */
function routeAtOnce(deps: ReportingDeps, registered: CaseChange, now: Date): { change: CaseChange } {
  const move = firstRoute(deps, registered.case, startingTier(deps.policy, registered.case.severity), now);
  const routed = changeOf(registered.case, move, now);
  const change = {
    ...routed,
    expectedVersion: undefined,
    timeline: [...registered.timeline, ...routed.timeline],
    counters: [...registered.counters, ...routed.counters],
  };
  return { change: withMoveMessages(deps, change, move, registered.case) };
}

/** A 2xx means the case is stored; if the workflow cannot start now, the sweeper starts it later. */
async function startLifecycle(deps: ReportingDeps, eventId: string) {
  try {
    await deps.workflow.start(eventId);
  } catch (error) {
    deps.logger.error('Workflow did not start; the sweeper will start it', { eventId, error: String(error) });
  }
}

function sourceOf(requested: Source | undefined, caller: Caller | undefined): Source {
  if (!caller) {
    if (requested && requested !== 'citizen') {
      throw unprocessable(`source ${requested} needs a signed-in user; without a token a report comes from a citizen`, [
        { field: 'source', message: 'only citizen without a token' },
      ]);
    }
    return 'citizen';
  }
  return requested ?? (caller.role === 'grid_worker' ? 'grid_worker' : 'assigned');
}
