/**
 * 三查 patrols: a grid worker logs the daily patrol of a grid (每日一巡查), a community station the weekly
 * check of its community (每周一排查), a town center the monthly inspection of its town (每月一检查). A finding
 * can become a case in the same call (source `patrol`). Each patrol counts `patrols` for its unit, every
 * unit above it and the person; a grid's first daily patrol of the day also counts `patrolledGrids` (the
 * daily summary's coverage). After the working day the patrol check reminds the worker of every grid
 * with no patrol logged that day.
 *
 * Patrols are daily, weekends and public holidays included (grid workers keep a duty rota): the check runs
 * every day, not only on working days.
 */
import { actorOf, canSeeUnit, type Caller } from '../domain/caller';
import { localDate, toLocalIso } from '../domain/calendar';
import { badRequest, BrokenInvariant, forbidden, unprocessable, type FieldProblem } from '../domain/errors';
import { mayDo } from '../domain/operations';
import { PATROL_RULES, smsDay, type Patrol, type PatrolFinding } from '../domain/patrols';
import type { Severity } from '../domain/types';
import type { CounterIncrement } from '../domain/counters';
import { districtOf } from '../domain/unit-codes';
import type { IdempotencyClaim } from '../ports/guards';
import type { ListPatrolsInput, PatrolInput } from '../domain/field-work-inputs';
import { unitCounters } from './changes';
import type { CoreDependencies } from './dependencies';
import { newEventId } from './ids';
import { queueMessages, type MessagingDeps } from './notify';
import { reportCase, type ReportingDeps } from './report-case';

/** A patrol is stored with its counters (field work) and may report findings as cases. */
type PatrolDeps = ReportingDeps & Pick<CoreDependencies, 'fieldWork'>;
import { onceForKey } from './request-guards';

/** A patrol may be logged after the fact, up to a week late; not ahead of time (a few minutes of clock skew allowed). */
export const PATROL_MAX_LATE_DAYS = 7;
const MAX_LATE_MS = PATROL_MAX_LATE_DAYS * 86_400_000;
const MAX_EARLY_MS = 5 * 60_000;

export async function logPatrol(
  deps: PatrolDeps,
  caller: Caller,
  body: PatrolInput,
  idempotencyKey?: string,
): Promise<{ patrol: Patrol; created: boolean }> {
  const rule = PATROL_RULES[body.kind];
  if (!mayDo(caller.role, rule.operation)) throw forbidden(`A ${caller.role} may not log a ${body.kind} patrol: ${rule.name}`);
  const field = body.gridCode !== undefined ? 'gridCode' : 'unitCode';
  const unitCode = body.gridCode ?? body.unitCode;
  // PatrolBody asks for one of them, as this does of a caller that skipped it.
  if (unitCode === undefined)
    throw badRequest('give gridCode (a daily patrol) or unitCode (the community or town checked)', [{ field, message: 'required' }]);
  const unit = deps.directory.unit(unitCode);
  if (!unit) throw unprocessable(`${field} ${unitCode} is not a unit of this district`, [{ field, message: 'unknown unit code' }]);
  if (unit.level !== rule.level) {
    throw unprocessable(`A ${body.kind} patrol is of a ${rule.level}; ${unitCode} is a ${unit.level}`, [
      { field, message: `must be a ${rule.level}` },
    ]);
  }
  if (!canSeeUnit(caller, unitCode)) throw forbidden(`${unit.name} (${unitCode}) is outside your units`);

  const now = deps.clock.now();
  const at = body.at ? new Date(body.at) : now;
  if (at.getTime() > now.getTime() + MAX_EARLY_MS)
    throw unprocessable('at must not be in the future', [{ field: 'at', message: 'in the future' }]);
  if (at.getTime() < now.getTime() - MAX_LATE_MS)
    throw unprocessable(`at may be at most ${PATROL_MAX_LATE_DAYS} days ago`, [
      { field: 'at', message: `more than ${PATROL_MAX_LATE_DAYS} days ago` },
    ]);

  // Every finding is checked before anything is stored: a bad one refuses the whole patrol.
  const findings: PatrolFinding[] = body.findings.map((finding, index) =>
    checkFinding(deps, body.kind === 'daily' ? unitCode : undefined, unitCode, finding, index),
  );

  // A retry with the same key gets the patrol the first request stored; its findings' reports replay too.
  const { result: patrol, created } = await onceForKey(
    deps,
    { operation: 'patrol', caller: caller.person, key: idempotencyKey, body },
    async (record) => record.patrol,
    (claim) => storePatrol(deps, caller, body, { unitCode, unitName: unit.name, at, now, findings }, idempotencyKey, claim),
  );
  return { patrol, created };
}

/** The findings to report become cases, then the patrol is stored with its counters (and `claim`) in one write. */
async function storePatrol(
  deps: PatrolDeps,
  caller: Caller,
  body: PatrolInput,
  checked: { unitCode: string; unitName: string; at: Date; now: Date; findings: PatrolFinding[] },
  idempotencyKey: string | undefined,
  claim: IdempotencyClaim | undefined,
): Promise<Patrol> {
  const { unitCode, at, now, findings } = checked;
  // Findings to report become cases first (each is registered and its lifecycle started like any report).
  const reportedEvents: string[] = [];
  for (const [index, finding] of findings.entries()) {
    if (!finding.report) continue;
    // checkFinding refuses a finding to report without a grid (its own, or the daily patrol's).
    if (!finding.gridCode) throw new BrokenInvariant(`Finding ${index}'s gridCode`, 'checkFinding requires one to report it');
    const { case: theCase } = await reportCase(deps, {
      body: {
        itemCode: finding.itemCode,
        gridCode: finding.gridCode,
        description: finding.description,
        ...(finding.severity ? { severity: finding.severity } : {}),
        ...(finding.location ? { location: finding.location } : {}),
        photos: finding.photos,
        source: 'patrol',
      },
      caller,
      clientId: `patrol:${caller.person}`,
      ...(idempotencyKey ? { idempotencyKey: `${idempotencyKey}#finding-${index}` } : {}),
    });
    finding.eventId = theCase.id;
    reportedEvents.push(theCase.id);
  }

  const day = localDate(at);
  const patrol: Patrol = {
    id: newEventId(at).replace(/^E/, 'P'),
    kind: body.kind,
    unitCode,
    unitName: checked.unitName,
    at: toLocalIso(at),
    day,
    by: actorOf(caller),
    points: body.points,
    ...(body.note ? { note: body.note } : {}),
    findings,
    reportedEvents,
    createdAt: toLocalIso(now),
  };
  const counts = { patrols: 1, [`patrols@${body.kind}`]: 1 };
  const counters: CounterIncrement[] = [
    ...unitCounters(unitCode, day, counts),
    { scope: { kind: 'person', code: caller.person }, day, counts },
  ];
  const firstOfDay =
    body.kind === 'daily'
      ? {
          grid: unitCode,
          day,
          counters: unitCounters(unitCode, day, { patrolledGrids: 1 }),
        }
      : undefined;
  const stored = await deps.fieldWork.savePatrol(patrol, counters, firstOfDay, claim);
  return { ...patrol, ...(firstOfDay ? { firstOfDay: stored.firstOfDay } : {}) };
}

function checkFinding(
  deps: PatrolDeps,
  patrolGrid: string | undefined,
  unitCode: string,
  finding: PatrolInput['findings'][number],
  index: number,
): PatrolFinding {
  const problems: FieldProblem[] = [];
  if (!deps.catalog.item(finding.itemCode)) problems.push({ field: `findings.${index}.itemCode`, message: 'unknown item code' });
  const gridCode = finding.gridCode ?? patrolGrid;
  if (finding.gridCode !== undefined && (!deps.directory.isGrid(finding.gridCode) || !finding.gridCode.startsWith(unitCode))) {
    problems.push({ field: `findings.${index}.gridCode`, message: `not a grid of ${unitCode}` });
  }
  if (finding.report && gridCode === undefined)
    problems.push({ field: `findings.${index}.gridCode`, message: 'required to report a finding of a weekly or monthly check' });
  if (problems.length)
    throw unprocessable(`Finding ${index}: ${problems.map((problem) => `${problem.field}: ${problem.message}`).join('; ')}`, problems);
  return {
    itemCode: finding.itemCode,
    description: finding.description,
    ...(finding.severity ? { severity: finding.severity as Severity } : {}),
    ...(finding.location ? { location: finding.location } : {}),
    photos: finding.photos,
    ...(gridCode ? { gridCode } : {}),
    report: finding.report,
  };
}

export interface PatrolDay {
  unit: string;
  day: string;
  /** By unit, then time; `nextCursor` when there are more. */
  patrols: Patrol[];
  nextCursor?: string;
  /** Daily patrols of the unit's grids that day: how many grids, how many patrolled, and which were not. */
  coverage: { grids: number; patrolled: number; missing: { code: string; name: string }[] };
}

/** GET /patrols: a unit's patrols (and those of every unit below it) on a day, with its grids' coverage. */
export async function listPatrols(
  deps: Pick<CoreDependencies, 'fieldWork' | 'directory' | 'clock'>,
  caller: Caller,
  query: ListPatrolsInput,
): Promise<PatrolDay> {
  if (!mayDo(caller.role, 'see_patrols')) throw forbidden('Department staff do not see patrols');
  const unit = query.unit ?? onlyUnit(caller);
  if (!canSeeUnit(caller, unit)) throw forbidden(`Unit ${unit} is outside your units`);
  if (!deps.directory.unit(unit))
    throw unprocessable(`unit ${unit} is not a unit of this district`, [{ field: 'unit', message: 'unknown unit code' }]);
  const day = query.day ?? localDate(deps.clock.now());
  const [page, patrolled] = await Promise.all([
    deps.fieldWork.patrolsOn(unit, day, query.limit, query.cursor),
    deps.fieldWork.patrolledGrids(districtOf(unit), day),
  ]);
  const done = new Set(patrolled);
  const grids = gridsUnder(deps, unit);
  return {
    unit,
    day,
    patrols: page.items,
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
    coverage: {
      grids: grids.length,
      patrolled: grids.filter((grid) => done.has(grid.code)).length,
      missing: grids.filter((grid) => !done.has(grid.code)).map((grid) => ({ code: grid.code, name: grid.name })),
    },
  };
}

/**
 * The patrol check (job `patrol-check`, 17:45 every day): SMS the worker(s) of every grid with no daily
 * patrol logged on the day of `at`. Each worker is reminded at most once per grid per day, however often
 * the job runs. Returns the number of reminders sent.
 */
export async function remindMissingPatrols(
  deps: Pick<CoreDependencies, 'fieldWork' | 'guards' | 'directory' | 'logger'> & MessagingDeps,
  at: Date,
): Promise<number> {
  const day = localDate(at);
  const expiresAt = new Date(at.getTime() + 3 * 86_400_000);
  let reminders = 0;
  for (const district of deps.directory.districts()) {
    const patrolled = new Set(await deps.fieldWork.patrolledGrids(district, day));
    for (const grid of gridsUnder(deps, district).filter((candidate) => !patrolled.has(candidate.code))) {
      const workers = deps.directory.gridWorkers(grid.code);
      if (workers.length === 0) deps.logger.warn('Grid without a grid worker: nobody to remind of its patrol', { grid: grid.code, day });
      for (const worker of workers) {
        if (!(await deps.guards.claimOnce(`patrol-missing#${day}#${grid.code}#${worker.id}`, expiresAt))) continue;
        await queueMessages(deps, {}, [
          { to: worker, recipientRole: 'grid_worker', template: 'patrol_missing', params: { grid: grid.name, day: smsDay(day) } },
        ]);
        reminders++;
      }
    }
  }
  return reminders;
}

function gridsUnder(deps: Pick<CoreDependencies, 'directory'>, unit: string) {
  return deps.directory
    .allUnits()
    .filter((candidate) => candidate.level === 'grid' && candidate.code.startsWith(unit))
    .sort((a, b) => a.code.localeCompare(b.code));
}

function onlyUnit(caller: Caller): string {
  if (caller.units.length === 1) return caller.units[0];
  throw badRequest('unit is required when your token covers several units', [{ field: 'unit', message: 'required' }]);
}
