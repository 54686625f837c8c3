/** Published reports in memory. */
import type { Report } from '../../domain/reports';
import type { ReportKind } from '../../domain/periods';
import type { ReportStore } from '../../ports/reports';
import { copy } from './memory-table';

export class MemoryReportStore implements ReportStore {
  private readonly reports = new Map<string, Report>();

  async save(report: Report): Promise<void> {
    this.reports.set(`${report.kind}#${report.scope.code}#${report.period.label}`, copy(report));
  }

  async get(kind: ReportKind, scopeCode: string, period: string): Promise<Report | undefined> {
    return copy(this.reports.get(`${kind}#${scopeCode}#${period}`));
  }
}
