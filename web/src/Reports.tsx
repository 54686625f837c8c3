/**
 * Reports inside the app: the daily, weekly, monthly and quarterly reports of the caller's units (or department team),
 * as the API renders them — the HTML shown in a frame that may run nothing, the CSV to download — with a period picker.
 */
import { type FormEvent, useMemo, useState } from 'react';
import { ApiError, apiText } from './api';
import type { Reference } from './reference';
import type { Session } from './session';

const KINDS = [
  { kind: 'daily', label: '日汇总 Daily summary', placeholder: '2026-11-26' },
  { kind: 'weekly', label: '周研判 Weekly analysis', placeholder: '2026-W48' },
  { kind: 'monthly', label: '月通报 Monthly bulletin', placeholder: '2026-11' },
  { kind: 'quarterly', label: '季分析 Quarterly analysis', placeholder: '2026-Q4' },
] as const;
type Kind = (typeof KINDS)[number]['kind'];

export function Reports({ reference, session }: { reference: Reference; session: Session }) {
  const [kind, setKind] = useState<Kind>('daily');
  const [period, setPeriod] = useState('');
  const [unit, setUnit] = useState(session.units[0] ?? '');
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const units = useMemo(
    () => reference.units.filter((each) => each.level !== 'grid' && session.units.some((scope) => each.code.startsWith(scope))),
    [reference.units, session.units],
  );

  const query = (format: 'html' | 'csv') => {
    const params = new URLSearchParams({ unit, format, ...(period.trim() && { period: period.trim() }) });
    // Department staff read their own team's figures.
    if (session.role === 'department' && session.department) params.set('department', session.department);
    return `/reports/${kind}?${params}`;
  };

  const show = async (submitted: FormEvent) => {
    submitted.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      setHtml(await apiText(query('html'), 'text/html'));
    } catch (failure) {
      setHtml(undefined);
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  };

  const download = async () => {
    setError(undefined);
    try {
      const csv = await apiText(query('csv'), 'text/csv');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      link.download = `${kind}-${unit}${period.trim() ? `-${period.trim()}` : ''}.csv`;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
    } catch (failure) {
      setError(failure instanceof ApiError ? failure.message : String(failure));
    }
  };

  const placeholder = KINDS.find((each) => each.kind === kind)?.placeholder ?? '';
  return (
    <main className="reports">
      <form className="filters" onSubmit={show}>
        <label>
          报表 Report
          <select name="kind" value={kind} onChange={(change) => setKind(change.target.value as Kind)}>
            {KINDS.map((each) => (
              <option key={each.kind} value={each.kind}>
                {each.label}
              </option>
            ))}
          </select>
        </label>
        <label>
          单位 Unit
          <select name="unit" value={unit} onChange={(change) => setUnit(change.target.value)}>
            {units.map((each) => (
              <option key={each.code} value={each.code}>
                {each.name} {each.nameEn}
              </option>
            ))}
          </select>
        </label>
        <label>
          期间 Period
          <input
            name="period"
            value={period}
            placeholder={`${placeholder}（默认上一期 default: the last complete）`}
            onChange={(change) => setPeriod(change.target.value)}
          />
        </label>
        <button type="submit" disabled={busy || !unit}>
          查看 Show
        </button>
        <button type="button" disabled={!unit} onClick={download}>
          下载 CSV Download CSV
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {/* The report's own page, in a frame with no scripts, no forms and no access to this one. */}
      {html && <iframe className="report" title="report" sandbox="" srcDoc={html} />}
    </main>
  );
}
