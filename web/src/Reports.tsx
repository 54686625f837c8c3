/**
 * Reports inside the app: the daily, weekly, monthly and quarterly reports of the caller's units (or department team),
 * as the API renders them — the HTML shown in a frame that may run nothing, the CSV to download — with a period picker.
 * A report's link (`#/reports/<kind>/<unit>/<period>`, what the "report ready" SMS carries) opens that report.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { ApiError, apiText } from './api';
import type { Reference } from './reference';
import type { Session } from './session';
import { UnitPicker, useUnitsInScope } from './UnitPicker';

const KINDS = [
  { kind: 'daily', label: '日汇总 Daily summary', placeholder: '2026-11-26' },
  { kind: 'weekly', label: '周研判 Weekly analysis', placeholder: '2026-W48' },
  { kind: 'monthly', label: '月通报 Monthly bulletin', placeholder: '2026-11' },
  { kind: 'quarterly', label: '季分析 Quarterly analysis', placeholder: '2026-Q4' },
] as const;
type Kind = (typeof KINDS)[number]['kind'];

/** The report the address names, if it names one whole. */
function linkedReport(hash: string): { kind: Kind; unit: string; period: string } | undefined {
  const [, named, unit, period] = /^#\/reports\/([a-z]+)\/(\d+)(?:\/([\w-]+))?$/.exec(hash) ?? [];
  const kind = KINDS.find((each) => each.kind === named)?.kind;
  return kind && unit ? { kind, unit, period: period ?? '' } : undefined;
}

export function Reports({ reference, session }: { reference: Reference; session: Session }) {
  const [linked, setLinked] = useState(() => linkedReport(window.location.hash));
  const [kind, setKind] = useState<Kind>(linked?.kind ?? 'daily');
  const [period, setPeriod] = useState(linked?.period ?? '');
  const [unit, setUnit] = useState(linked?.unit ?? session.units[0] ?? '');
  const [html, setHtml] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const units = useUnitsInScope(reference, session);

  const query = useCallback(
    (format: 'html' | 'csv', chosen = { kind, unit, period }) => {
      const params = new URLSearchParams({ unit: chosen.unit, format, ...(chosen.period.trim() && { period: chosen.period.trim() }) });
      // Department staff read their own team's figures.
      if (session.role === 'department' && session.department) params.set('department', session.department);
      return `/reports/${chosen.kind}?${params}`;
    },
    [kind, unit, period, session.role, session.department],
  );

  const fetchReport = useCallback(async (path: string) => {
    setBusy(true);
    setError(undefined);
    try {
      setHtml(await apiText(path, 'text/html'));
    } catch (failure) {
      setHtml(undefined);
      setError(failure instanceof ApiError ? failure.message : String(failure));
    } finally {
      setBusy(false);
    }
  }, []);

  const show = (submitted: FormEvent) => {
    submitted.preventDefault();
    fetchReport(query('html'));
  };

  // A report's link opens it at once (after sign-in, which comes first when needed); another link, followed here, too.
  useEffect(() => {
    const followed = () => {
      const next = linkedReport(window.location.hash);
      if (!next) return;
      setLinked(next);
      setKind(next.kind);
      setUnit(next.unit);
      setPeriod(next.period);
    };
    window.addEventListener('hashchange', followed);
    return () => window.removeEventListener('hashchange', followed);
  }, []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new link opens a report by itself, not each edit of the form
  useEffect(() => {
    if (linked) fetchReport(query('html', linked));
  }, [linked]);

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
        <UnitPicker units={units} unit={unit} onChange={setUnit} />
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
