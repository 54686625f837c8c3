/**
 * A district's own policy: the optional `policy` reference document sets some of the time-limit policy's values
 * (policy.ts) — limits by tier and severity, reminder fractions, nudges, caps — over the platform's defaults. Fields it
 * does not name keep the default; a limit set for one tier and severity leaves the others as they were. The API
 * checks which fields a district may set (schemas/admin-reference.ts); here a document that does not fit the policy's
 * shape is refused, whoever wrote it.
 */
import type { TimeLimit } from './calendar';
import type { Policy } from './policy';
import type { Severity, Tier } from './types';

type BySeverity<T> = Partial<Record<Severity, T>>;

/** The fields a district sets (README, "Policy"): what it leaves out is the platform's. */
export interface PolicyOverrides {
  acceptanceLimit?: BySeverity<TimeLimit>;
  dispatchLimit?: BySeverity<TimeLimit>;
  acknowledgeLimit?: BySeverity<TimeLimit>;
  handlingLimit?: Partial<Record<Tier, BySeverity<TimeLimit>>>;
  conveneLimit?: BySeverity<TimeLimit>;
  meetingDecisionLimit?: TimeLimit;
  verificationLimit?: BySeverity<TimeLimit>;
  ratingLimit?: BySeverity<TimeLimit>;
  reminderFractions?: number[];
  reminderWindowMinutes?: number;
  maxOverdueNudges?: number;
  returnsToMeeting?: number;
  verifyFailuresToMeeting?: number;
  maxReassignments?: number;
  duplicateRadiusMeters?: number;
  duplicateWindowHours?: number;
  smsPerPhonePerDay?: number;
  ratingCodesPerCasePerDay?: number;
  commentsPerHour?: number;
  citizenReportsPerHour?: number;
  verificationCodesPerDay?: number;
}

const LIMIT_UNITS = ['workingDays', 'workingHours', 'calendarHours', 'calendarMinutes'];

/** A time limit (`{ "workingHours": 4 }`) is one value, replaced whole. */
function isLimit(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && LIMIT_UNITS.includes(keys[0] as string);
}

function isBranch(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !isLimit(value);
}

/** `base` with the document's values over it; throws, naming the field, what the policy has no place for. */
export function policyWith(base: Policy, overrides: PolicyOverrides | undefined): Policy {
  if (overrides === undefined) return base;
  const merge = (into: Record<string, unknown>, over: unknown, path: string): Record<string, unknown> => {
    if (!isBranch(over)) throw new Error(`${path} must be an object of policy fields`);
    const merged = { ...into };
    for (const [key, value] of Object.entries(over)) {
      const field = `${path}.${key}`;
      const current = into[key];
      if (current === undefined) throw new Error(`${field} is not a policy field a district sets`);
      if (isBranch(current)) merged[key] = merge(current, value, field);
      else if (isLimit(current) ? !isLimit(value) : Array.isArray(current) ? !Array.isArray(value) : typeof value !== typeof current)
        throw new Error(
          `${field} must be ${isLimit(current) ? 'a time limit' : Array.isArray(current) ? 'a list' : `a ${typeof current}`}`,
        );
      else merged[key] = value;
    }
    return merged;
  };
  return merge(base as unknown as Record<string, unknown>, overrides, 'policy') as unknown as Policy;
}

/** The policy's fields that differ between two documents, by path (`handlingLimit.community.3`); a limit is one field. */
export function policyChanges(before: PolicyOverrides | undefined, after: PolicyOverrides | undefined): string[] {
  const leaves = (value: unknown, path: string, into: Map<string, string>) => {
    if (isBranch(value)) for (const [key, child] of Object.entries(value)) leaves(child, path ? `${path}.${key}` : key, into);
    else if (value !== undefined) into.set(path, JSON.stringify(value));
    return into;
  };
  const old = leaves(before ?? {}, '', new Map());
  const now = leaves(after ?? {}, '', new Map());
  return [...new Set([...old.keys(), ...now.keys()])].filter((path) => old.get(path) !== now.get(path)).sort();
}
