/** Published reports on the table: one item per kind, scope and period. */
import type { Report } from '../../domain/reports';
import type { ReportKind } from '../../domain/periods';
import type { ReportStore } from '../../ports/reports';
import { recordOf } from './records';
import type { SingleTable } from './single-table';
import { keys } from './table-design';

export class DynamoDbReportStore implements ReportStore {
  constructor(private readonly table: SingleTable) {}

  async save(report: Report): Promise<void> {
    await this.table.put({ Item: { ...keys.report(report.kind, report.scope.code, report.period.label), itemType: 'report', report } });
  }

  async get(kind: ReportKind, scopeCode: string, period: string): Promise<Report | undefined> {
    const item = await this.table.get(keys.report(kind, scopeCode, period));
    if (!item) return undefined;
    const { report } = recordOf<{ report: Report }>(item, 'report', { report: 'object' });
    recordOf(report as unknown as Record<string, unknown>, `report ${kind} ${scopeCode} ${period}`, {
      kind: 'string',
      scope: 'object',
      period: 'object',
    });
    return report;
  }
}
