/** Cases as rows: number, item, grid, tier, handler, signed for, and the clock counting down. */
import { Countdown } from './Countdown';
import { both, TIER_LABELS } from './labels';
import type { Reference } from './reference';
import type { CaseView } from './types';

export function CaseTable({ cases, reference, label }: { cases: CaseView[]; reference: Reference; label: string }) {
  return (
    <table className="cases" aria-label={label}>
      <thead>
        <tr>
          <th>案件号 Case</th>
          <th>事项 Item</th>
          <th>网格 Grid</th>
          <th>层级 Tier</th>
          <th>承办 Handler</th>
          <th>签收 Signed for</th>
          <th>时限 Time left</th>
        </tr>
      </thead>
      <tbody>
        {cases.map((event) => (
          <tr key={event.id} data-case={event.id} className={event.severity === 1 ? 'level-one' : ''}>
            <td>
              <a href={`#/case/${event.id}`}>{event.id}</a>
              {event.severity === 1 && <span className="severity">一级</span>}
            </td>
            <td>{reference.itemName(event.itemCode)}</td>
            <td>{reference.unitName(event.gridCode)}</td>
            <td>{both(TIER_LABELS[event.tier])}</td>
            <td>{event.assignee?.name ?? '—'}</td>
            <td>{event.acknowledgedAt ? '已签收 ✓' : '未签收'}</td>
            <td>
              <Countdown event={event} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
