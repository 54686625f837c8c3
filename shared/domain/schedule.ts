/**
 * The scheduled jobs, declared once: CDK turns each into an EventBridge Scheduler rule (Asia/Shanghai),
 * and local mode runs the same jobs at the same times of policy time (sped up by the time scale).
 */
export interface JobTime {
  hour: number;
  minute: number;
  /** ISO weekdays (1 = Monday … 7 = Sunday); absent: every day. */
  weekdays?: number[];
  /** Day of the month; absent: every day. */
  dayOfMonth?: number;
  /** Months (1–12); absent: every month. */
  months?: number[];
}

export interface ScheduledJob {
  name: JobName;
  times: JobTime[];
  summary: string;
}

export const JOB_NAMES = [
  'daily-reports',
  'weekly-reports',
  'monthly-reports',
  'quarterly-reports',
  'patrol-check',
  'campaign-reminders',
  'fold-counters',
] as const;
export type JobName = (typeof JOB_NAMES)[number];

export const SCHEDULED_JOBS: readonly ScheduledJob[] = [
  { name: 'daily-reports', times: [{ hour: 7, minute: 0 }], summary: "日汇总 yesterday's summary for every street and community, 07:00" },
  { name: 'weekly-reports', times: [{ hour: 7, minute: 0, weekdays: [1] }], summary: "周研判 last week's analysis, Monday 07:00" },
  {
    name: 'monthly-reports',
    times: [{ hour: 7, minute: 0, dayOfMonth: 1 }],
    summary: "月通报 last month's bulletin for the district, the 1st at 07:00",
  },
  {
    name: 'quarterly-reports',
    times: [{ hour: 7, minute: 0, dayOfMonth: 1, months: [1, 4, 7, 10] }],
    summary: "季分析 last quarter's analysis, the 1st of a quarter at 07:00",
  },
  {
    name: 'patrol-check',
    times: [{ hour: 17, minute: 45, weekdays: [1, 2, 3, 4, 5, 6, 7] }],
    summary: '三查 after the working day: remind the worker of every grid with no patrol today, 17:45',
  },
  {
    name: 'campaign-reminders',
    times: [
      { hour: 9, minute: 0 },
      { hour: 15, minute: 0 },
    ],
    summary: 'remind grid workers who have not answered a campaign due within a day, 09:00 and 15:00',
  },
  {
    name: 'fold-counters',
    times: [{ hour: 0, minute: 30 }],
    summary: "fold the finished days' counter shards into one item per day and scope (the last 8 days), 00:30",
  },
];

const SHANGHAI_OFFSET_MS = 8 * 3600_000;

/** The next moment after `after` when a job time comes round (Asia/Shanghai, a fixed +08:00). */
export function nextRun(time: JobTime, after: Date): Date {
  const local = new Date(after.getTime() + SHANGHAI_OFFSET_MS);
  let candidate = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), time.hour, time.minute) - SHANGHAI_OFFSET_MS;
  for (let day = 0; day < 400; day++, candidate += 86_400_000) {
    if (candidate <= after.getTime()) continue;
    const at = new Date(candidate + SHANGHAI_OFFSET_MS);
    const weekday = ((at.getUTCDay() + 6) % 7) + 1;
    if (time.weekdays && !time.weekdays.includes(weekday)) continue;
    if (time.dayOfMonth && at.getUTCDate() !== time.dayOfMonth) continue;
    if (time.months && !time.months.includes(at.getUTCMonth() + 1)) continue;
    return new Date(candidate);
  }
  throw new Error(`No run of ${JSON.stringify(time)} within 400 days`);
}

/** The EventBridge Scheduler cron expression of a job time (with the Asia/Shanghai time zone set on the rule). */
export function cronExpression(time: JobTime): string {
  const dayOfMonth = time.dayOfMonth ? String(time.dayOfMonth) : time.weekdays ? '?' : '*';
  const month = time.months ? time.months.join(',') : '*';
  // EventBridge counts weekdays 1 = Sunday … 7 = Saturday.
  const weekday = time.weekdays ? time.weekdays.map((day) => (day % 7) + 1).join(',') : '?';
  return `cron(${time.minute} ${time.hour} ${dayOfMonth} ${month} ${weekday} *)`;
}
