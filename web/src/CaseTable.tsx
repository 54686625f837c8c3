/**
 * Cases as rows: number, item, grid, tier, handler, signed for, and the clock counting down. Virtualised on the page's
 * scroll: only the rows on screen and some before and after are in the document (a district's board may hold ten
 * thousand open cases), the rest stand in as the height of one spacer row above and one below.
 */
import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useLayoutEffect, useRef, useState } from 'react';
import { Countdown } from './Countdown';
import { both, TIER_LABELS } from './labels';
import type { Reference } from './reference';
import type { CaseView } from './types';

/** A row's height before it is measured (one line of text and the padding of styles.css). */
const ROW_ESTIMATE_PX = 37;
/**
 * Rows kept beyond each edge of the screen: scrolling a little shows rows already there, and a list of fewer than
 * about a hundred is whole. The rows in the document stay under 200 up to a screen about 50 rows high.
 */
const OVERSCAN_ROWS = 60;
const COLUMNS = 7;

export function CaseTable({ cases, reference, label }: { cases: CaseView[]; reference: Reference; label: string }) {
  const body = useRef<HTMLTableSectionElement>(null);
  // Where the rows begin on the page: the content above (filters, a banner, flood groups) moves them.
  const [offset, setOffset] = useState(0);
  useLayoutEffect(() => {
    const top = (body.current?.getBoundingClientRect().top ?? 0) + window.scrollY;
    if (Math.abs(top - offset) >= 1) setOffset(top);
  });
  const rows = useWindowVirtualizer({
    count: cases.length,
    estimateSize: () => ROW_ESTIMATE_PX,
    overscan: OVERSCAN_ROWS,
    scrollMargin: offset,
    getItemKey: (index) => cases[index]?.id ?? index,
  });
  const shown = rows.getVirtualItems();
  const before = shown.length > 0 ? shown[0].start - offset : 0;
  const after = shown.length > 0 ? rows.getTotalSize() - (shown[shown.length - 1].end - offset) : 0;

  return (
    <table className="cases" aria-label={label} aria-rowcount={cases.length + 1}>
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
      <tbody ref={body}>
        {before > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS} style={{ height: before }} />
          </tr>
        )}
        {shown.map((row) => {
          const theCase = cases[row.index];
          return (
            <tr
              key={theCase.id}
              ref={rows.measureElement}
              data-index={row.index}
              data-case={theCase.id}
              aria-rowindex={row.index + 2}
              className={theCase.severity === 1 ? 'level-one' : ''}
            >
              <td>
                <a href={`#/case/${theCase.id}`}>{theCase.id}</a>
                {theCase.severity === 1 && <span className="severity">一级</span>}
              </td>
              <td>{reference.itemName(theCase.itemCode)}</td>
              <td>{reference.unitName(theCase.gridCode)}</td>
              <td>{both(TIER_LABELS[theCase.tier])}</td>
              <td>{theCase.assignee?.name ?? '—'}</td>
              <td>{theCase.acknowledgedAt ? '已签收 ✓' : '未签收'}</td>
              <td>
                <Countdown case={theCase} />
              </td>
            </tr>
          );
        })}
        {after > 0 && (
          <tr className="spacer">
            <td colSpan={COLUMNS} style={{ height: after }} />
          </tr>
        )}
      </tbody>
    </table>
  );
}
