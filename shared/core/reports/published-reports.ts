/**
 * Published reports: the scheduled jobs build each report once its period is over, store it and tell
 * the heads of the units it covers; GET /reports returns the stored report when there is one.
 */
import { periodOf, previousPeriod, type Period, type ReportKind } from '../../domain/periods';
import { localDate } from '../../domain/calendar';
import type { UnitLevel } from '../../domain/types';
import type { CoreDependencies } from '../dependencies';
import { type MessagingDeps, queueMessages } from '../notify';
import { reportPageLink, type Report, type ReportScope } from '../../domain/reports';
import { buildReport, type ReportDeps } from './build-report';

/** Which units get which report (日汇总/周研判 for streets and communities, 月通报/季分析 for the district and its streets). */
export const PUBLISHED_FOR: Record<ReportKind, UnitLevel[]> = {
  daily: ['town', 'community'],
  weekly: ['town', 'community'],
  monthly: ['district', 'town'],
  quarterly: ['district', 'town'],
};

/** Reading a report: the stored one, or one built from the counters and cases. */
export type ReportReadingDeps = ReportDeps & Pick<CoreDependencies, 'reports'>;
/** Publishing: build and store each unit's report, claim each head's SMS once and queue it. */
export type PublishingDeps = ReportDeps & MessagingDeps & Pick<CoreDependencies, 'reports' | 'guards' | 'siteUrl'>;

/** The report for the period, as published, or built now if the period is not published (yet). */
export async function reportFor(deps: ReportReadingDeps, kind: ReportKind, scope: ReportScope, period: Period): Promise<Report> {
  return (await deps.reports.get(kind, scope.code, period.label)) ?? buildReport(deps, kind, scope, period);
}

/** The period a job run on `at` publishes: yesterday, last week, last month, last quarter. */
export function lastCompletePeriod(kind: ReportKind, at: Date): Period {
  return previousPeriod(periodOf(kind, localDate(at)));
}

/** How long a "report ready" SMS stays claimed: far beyond any retry of its run (Scheduler gives up after an hour). */
const REPORT_READY_CLAIM_DAYS = 3;

/**
 * Builds, stores and announces the reports of a kind for every unit that gets them. Returns how many.
 * A run again for the same period (a retry, a second delivery) stores the same report again and texts
 * nobody twice: each head's SMS is claimed once (ONCE item) before it is sent.
 */
export async function publishReports(deps: PublishingDeps, kind: ReportKind, at: Date): Promise<number> {
  const period = lastCompletePeriod(kind, at);
  const units = deps.directory.allUnits().filter((unit) => PUBLISHED_FOR[kind].includes(unit.level));
  const claimExpiry = new Date(at.getTime() + REPORT_READY_CLAIM_DAYS * 86_400_000);
  for (const unit of units) {
    const report = await buildReport(deps, kind, { kind: 'unit', code: unit.code, name: unit.name, level: unit.level }, period);
    await deps.reports.save(report);
    const heads = [
      deps.directory.unitHead(unit.code),
      ...(unit.level === 'district' ? deps.directory.peopleWithRole('leader', unit.code) : []),
    ].filter((person) => person !== undefined);
    // The scheduler delivers at least once and retries a failed run: each head hears of a report once.
    const unclaimed = [];
    for (const head of heads) {
      if (await deps.guards.claimOnce(`report-ready#${kind}#${period.label}#${unit.code}#${head.id}`, claimExpiry)) unclaimed.push(head);
    }
    await queueMessages(
      deps,
      {},
      unclaimed.map((head) => ({
        to: head,
        recipientRole: 'head',
        template: 'report_ready' as const,
        params: {
          unit: unit.name,
          report: REPORT_NAMES[kind],
          period: period.label,
          reported: String(report.totals.reported),
          overdue: String(report.totals.overdue),
          link: reportPageLink(deps.siteUrl, { kind, unit: unit.code, period: period.label }),
        },
      })),
    );
  }
  return units.length;
}

const REPORT_NAMES: Record<ReportKind, string> = { daily: '日汇总', weekly: '周研判', monthly: '月通报', quarterly: '季分析' };
