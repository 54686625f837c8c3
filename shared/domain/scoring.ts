/**
 * How the monthly bulletin judges a department or a unit (月通报): the on-time closure rate, a score
 * from 0 to 100, a grade A–E, and the accountability flags. Documented in the README.
 */

export interface Performance {
  /** Assignments that came due: handled on time, or overdue. */
  due: number;
  onTime: number;
  /** Approved extensions (延期): not held against the on-time rate. */
  extended: number;
  overdue: number;
  returned: number;
  reworked: number;
  notAcknowledged: number;
  rated: number;
  ratingTotal: number;
}

export type Grade = 'A' | 'B' | 'C' | 'D' | 'E';
export const ACCOUNTABILITY_FLAGS = ['不作为 not acknowledged in time', '慢作为 overdue', '推诿扯皮 returned twice or more'] as const;
export type AccountabilityFlag = (typeof ACCOUNTABILITY_FLAGS)[number];

/** The counters the on-time rate reads (a unit's, a department team's or a person's, summed over a period). */
export interface OnTimeCounts {
  handledOnTime?: number;
  overdue?: number;
  extended?: number;
}

/** Each assignment that came due either was handled on time or went overdue; approved extensions are set apart. */
export function onTimeFigures(counts: OnTimeCounts): Pick<Performance, 'due' | 'onTime' | 'extended'> {
  const onTime = counts.handledOnTime ?? 0;
  return { due: onTime + (counts.overdue ?? 0), onTime, extended: counts.extended ?? 0 };
}

/**
 * The on-time rate, in percent, for the bulletin's rankings and the grid workers' scorecards alike:
 * handled on time / (due − approved extensions). Undefined when nothing came due.
 */
export function onTimeRate(performance: Pick<Performance, 'due' | 'onTime' | 'extended'>): number | undefined {
  const denominator = performance.due - performance.extended;
  if (performance.due === 0) return undefined;
  if (denominator <= 0) return 100;
  return Math.min(100, (100 * performance.onTime) / denominator);
}

/** Average satisfaction 1–5, undefined without ratings. */
export function satisfaction(performance: Performance): number | undefined {
  return performance.rated > 0 ? performance.ratingTotal / performance.rated : undefined;
}

/**
 * The score, 0–100:
 *   60% the on-time closure rate,
 *   20% satisfaction (the average rating as a share of 5),
 *   20% conduct: 1 − (returns + rework + late acknowledgements) / due, at least 0.
 * Without ratings the on-time rate weighs 75% and conduct 25%. Nothing due: no score.
 */
export function score(performance: Performance): number | undefined {
  const rate = onTimeRate(performance);
  if (rate === undefined) return undefined;
  const conduct = Math.max(0, 1 - (performance.returned + performance.reworked + performance.notAcknowledged) / performance.due);
  const rating = satisfaction(performance);
  const value = rating === undefined ? 0.75 * rate + 25 * conduct : 0.6 * rate + 20 * (rating / 5) + 20 * conduct;
  return Math.round(value * 10) / 10;
}

/** A ≥ 90, B ≥ 75, C ≥ 60, D ≥ 40, E below. */
export function grade(value: number | undefined): Grade | undefined {
  if (value === undefined) return undefined;
  if (value >= 90) return 'A';
  if (value >= 75) return 'B';
  if (value >= 60) return 'C';
  if (value >= 40) return 'D';
  return 'E';
}

/** 不作为: a case not signed for in time; 慢作为: a deadline missed; 推诿扯皮: two returns or more. */
export function accountabilityFlags(performance: Performance): AccountabilityFlag[] {
  const flags: AccountabilityFlag[] = [];
  if (performance.notAcknowledged > 0) flags.push(ACCOUNTABILITY_FLAGS[0]);
  if (performance.overdue > 0) flags.push(ACCOUNTABILITY_FLAGS[1]);
  if (performance.returned >= 2) flags.push(ACCOUNTABILITY_FLAGS[2]);
  return flags;
}
