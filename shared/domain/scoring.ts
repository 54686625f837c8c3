/**
 * How the monthly bulletin judges a department or a unit (月通报): the on-time closure rate, a score
 * from 0 to 100, a grade A–E, and the accountability flags. scoringRule() words the rule from the
 * same figures the functions use: the report page prints it and `npm run docs` writes it into the README.
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

/** The score's weights (shares of 100): with ratings, and without (satisfaction's share goes to the other two). */
export const SCORE_WEIGHTS = {
  withRatings: { onTime: 0.6, satisfaction: 0.2, conduct: 0.2 },
  withoutRatings: { onTime: 0.75, conduct: 0.25 },
} as const;

/** The lowest score of each grade, best first; below the last, the lowest grade. */
export const GRADE_FLOORS: readonly (readonly [Grade, number])[] = [
  ['A', 90],
  ['B', 75],
  ['C', 60],
  ['D', 40],
];
const LOWEST_GRADE: Grade = 'E';

/** Returns in the period that flag a team 推诿扯皮. */
const REPEATED_RETURNS = 2;

/** The score, 0–100, as scoringRule() words it. Nothing due: no score. */
export function score(performance: Performance): number | undefined {
  const rate = onTimeRate(performance);
  if (rate === undefined) return undefined;
  const conduct = Math.max(0, 1 - (performance.returned + performance.reworked + performance.notAcknowledged) / performance.due);
  const rating = satisfaction(performance);
  const { withRatings, withoutRatings } = SCORE_WEIGHTS;
  const value =
    rating === undefined
      ? withoutRatings.onTime * rate + withoutRatings.conduct * 100 * conduct
      : withRatings.onTime * rate + withRatings.satisfaction * 100 * (rating / 5) + withRatings.conduct * 100 * conduct;
  return Math.round(value * 10) / 10;
}

export function grade(value: number | undefined): Grade | undefined {
  if (value === undefined) return undefined;
  return GRADE_FLOORS.find(([, floor]) => value >= floor)?.[0] ?? LOWEST_GRADE;
}

/** 不作为: a case not signed for in time; 慢作为: a deadline missed; 推诿扯皮: two returns or more. */
export function accountabilityFlags(performance: Performance): AccountabilityFlag[] {
  const flags: AccountabilityFlag[] = [];
  if (performance.notAcknowledged > 0) flags.push(ACCOUNTABILITY_FLAGS[0]);
  if (performance.overdue > 0) flags.push(ACCOUNTABILITY_FLAGS[1]);
  if (performance.returned >= REPEATED_RETURNS) flags.push(ACCOUNTABILITY_FLAGS[2]);
  return flags;
}

const percentOf = (weight: number) => `${Math.round(weight * 100)}%`;

/** The rule in words (English, with the Chinese terms), one line per part, from the weights, floors and flags above. */
export function scoringRule(): string[] {
  const { withRatings, withoutRatings } = SCORE_WEIGHTS;
  return [
    'On-time closure rate 按期办结率 = handled on time 按期办结 ÷ (due 应办结 − approved extensions 批准延期); an assignment is due once it was handled on time or went overdue.',
    `Score 0–100: ${percentOf(withRatings.onTime)} the on-time closure rate, ${percentOf(withRatings.satisfaction)} satisfaction (average rating ÷ 5), ` +
      `${percentOf(withRatings.conduct)} conduct (1 − (returns + rework + late acknowledgements 迟签收) ÷ due); ` +
      `without ratings ${percentOf(withoutRatings.onTime)} the on-time rate and ${percentOf(withoutRatings.conduct)} conduct. Nothing due: no score.`,
    `Grade 等级: ${GRADE_FLOORS.map(([name, floor]) => `${name} ≥ ${floor}`).join(', ')}, ${LOWEST_GRADE} below.`,
    `Flags 问责: ${ACCOUNTABILITY_FLAGS.join('; ')}.`,
  ];
}
