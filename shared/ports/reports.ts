/** Published reports (日汇总, 周研判, 月通报, 季分析): one per kind, scope and period. */
import type { ReportKind } from '../domain/periods';
import type { Report } from '../domain/reports';

export interface ReportStore {
  save(report: Report): Promise<void>;
  get(kind: ReportKind, scopeCode: string, period: string): Promise<Report | undefined>;
}
