/**
 * The board: open cases most urgent first, with filters (unit — a unit covers everything below it —, tier, class or
 * item, overdue, source) and counts per tier and per street; in flood mode, likely duplicates grouped above.
 */
import { useMemo, useState } from 'react';
import { CaseTable } from './CaseTable';
import { shareLeft } from './Countdown';
import { FloodGroups } from './FloodGroups';
import { both, SOURCE_LABELS, SOURCES, TIER_LABELS, TIERS } from './labels';
import type { OpenCases } from './open-cases';
import type { Reference } from './reference';
import type { Session } from './session';
import type { CaseView } from './types';
import { useNow } from './clock';
import type { Source, Tier } from '../../shared/domain/types';

interface Filters {
  /** 汛期模式: likely duplicates grouped above the list. */
  flood: boolean;
  unit: string;
  tier: Tier | '';
  /** A class (`01`) or an item (`01-01`) of the catalog. */
  matter: string;
  source: Source | '';
  overdueOnly: boolean;
}

export function isOverdue(theCase: CaseView, now: number): boolean {
  const share = shareLeft(theCase, now);
  return theCase.overdue || (share !== undefined && share <= 0);
}

export function Board({ open, reference, session }: { open: OpenCases; reference: Reference; session: Session }) {
  const [filters, setFilters] = useState<Filters>({ flood: false, unit: '', tier: '', matter: '', source: '', overdueOnly: false });
  const now = useNow(5000);
  const set = (change: Partial<Filters>) => setFilters((before) => ({ ...before, ...change }));

  // The units the filter offers: the caller's and those below them, down to communities (grids are many).
  const units = useMemo(
    () =>
      reference.units.filter(
        (unit) => unit.level !== 'grid' && session.units.some((scope) => unit.code.startsWith(scope) || scope.startsWith(unit.code)),
      ),
    [reference.units, session.units],
  );
  const streets = units.filter((unit) => unit.level === 'town');
  const inUnitAndSource = open.cases.filter(
    (theCase) =>
      (!filters.unit || theCase.gridCode.startsWith(filters.unit)) &&
      (!filters.matter || theCase.itemCode === filters.matter || theCase.classCode === filters.matter) &&
      (!filters.source || theCase.source === filters.source) &&
      (!filters.overdueOnly || isOverdue(theCase, now)),
  );
  const perTier = new Map<Tier, number>();
  for (const theCase of inUnitAndSource) perTier.set(theCase.tier, (perTier.get(theCase.tier) ?? 0) + 1);
  const perStreet = new Map<string, number>();
  for (const theCase of inUnitAndSource) {
    const street = streets.find((unit) => theCase.gridCode.startsWith(unit.code));
    if (street) perStreet.set(street.code, (perStreet.get(street.code) ?? 0) + 1);
  }
  const shown = inUnitAndSource.filter((theCase) => !filters.tier || theCase.tier === filters.tier);

  return (
    <main className="board">
      <section className="filters" aria-label="filters">
        <label>
          单位 Unit
          <select name="unit" value={filters.unit} onChange={(event) => set({ unit: event.target.value })}>
            <option value="">全部 All</option>
            {units.map((unit) => (
              <option key={unit.code} value={unit.code}>
                {unit.name} {unit.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          层级 Tier
          <select name="tier" value={filters.tier} onChange={(event) => set({ tier: event.target.value as Tier | '' })}>
            <option value="">全部 All</option>
            {TIERS.map((tier) => (
              <option key={tier} value={tier}>
                {both(TIER_LABELS[tier])}
              </option>
            ))}
          </select>
        </label>
        <label>
          事项 Matter
          <select name="matter" value={filters.matter} onChange={(event) => set({ matter: event.target.value })}>
            <option value="">全部 All</option>
            {reference.classes.map((entry) => (
              <optgroup key={entry.code} label={`${entry.name} ${entry.nameEn}`}>
                <option value={entry.code}>{entry.name}（全部 all）</option>
                {entry.items.map((item) => (
                  <option key={item.code} value={item.code}>
                    {item.name}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </label>
        <label>
          来源 Source
          <select name="source" value={filters.source} onChange={(event) => set({ source: event.target.value as Source | '' })}>
            <option value="">全部 All</option>
            {SOURCES.map((source) => (
              <option key={source} value={source}>
                {both(SOURCE_LABELS[source])}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            name="overdue"
            checked={filters.overdueOnly}
            onChange={(event) => set({ overdueOnly: event.target.checked })}
          />
          仅超时 Overdue only
        </label>
        <label className="check">
          <input type="checkbox" name="flood" checked={filters.flood} onChange={(event) => set({ flood: event.target.checked })} />
          汛期模式 Flood mode
        </label>
        <span className="updated" data-testid="updated">
          {open.error
            ? `更新失败 Update failed: ${open.error}`
            : open.readAt
              ? `${shown.length} 件 cases${open.loading ? ' · 加载中 loading…' : ''}`
              : '加载中 Loading…'}
        </span>
      </section>
      <section className="tiers" aria-label="counts per tier">
        {TIERS.map((tier) => (
          <button
            type="button"
            key={tier}
            className={filters.tier === tier ? 'selected' : ''}
            data-tier={tier}
            onClick={() => set({ tier: filters.tier === tier ? '' : tier })}
          >
            <span className="count">{perTier.get(tier) ?? 0}</span>
            {both(TIER_LABELS[tier])}
          </button>
        ))}
      </section>
      {streets.length > 1 && (
        <section className="streets" aria-label="counts per street">
          {streets.map((street) => (
            <button
              type="button"
              key={street.code}
              data-street={street.code}
              className={filters.unit === street.code ? 'selected' : ''}
              onClick={() => set({ unit: filters.unit === street.code ? '' : street.code })}
            >
              <span className="count">{perStreet.get(street.code) ?? 0}</span>
              {street.name}
            </button>
          ))}
        </section>
      )}
      {filters.flood && <FloodGroups cases={inUnitAndSource} reference={reference} onLinked={open.refresh} />}
      <CaseTable cases={shown} reference={reference} label="open cases" />
      {open.readAt && shown.length === 0 && <p className="empty">没有待办案件 No open cases</p>}
    </main>
  );
}
