/**
 * Patrols (三查): a unit's patrols on a day and its grids' coverage — how many grids were patrolled, which were not
 * (GET /patrols). The day is the platform's (policy time, Beijing) unless picked. Below: the unit's campaigns.
 */
import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { Campaigns } from './Campaigns';
import { beijing, useNow } from './clock';
import type { Reference } from './reference';
import type { Session } from './session';
import { UnitPicker, useUnitsInScope } from './UnitPicker';

interface Patrol {
  id: string;
  kind: 'daily' | 'weekly' | 'monthly';
  unitCode: string;
  unitName: string;
  at: string;
  by: { name: string };
  note?: string;
  findings: unknown[];
  reportedEvents: string[];
}

interface PatrolDay {
  unit: string;
  day: string;
  patrols: Patrol[];
  coverage: { grids: number; patrolled: number; missing: { code: string; name: string }[] };
}

const KIND_LABELS = { daily: '每日巡查 Daily', weekly: '每周排查 Weekly', monthly: '每月检查 Monthly' } as const;

/** The policy day in Beijing, YYYY-MM-DD. */
const beijingDay = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);

export function Patrols({ reference, session }: { reference: Reference; session: Session }) {
  const now = useNow(60_000);
  const [day, setDay] = useState(() => beijingDay(now));
  const [unit, setUnit] = useState(session.units[0] ?? '');
  const [found, setFound] = useState<PatrolDay>();
  const [error, setError] = useState<string>();
  const units = useUnitsInScope(reference, session);

  const read = useCallback(() => {
    setError(undefined);
    api<PatrolDay>(`/patrols?${new URLSearchParams({ unit, day, limit: '200' })}`)
      .then(setFound)
      .catch((failure: Error) => {
        setFound(undefined);
        setError(failure instanceof ApiError ? failure.message : String(failure));
      });
  }, [unit, day]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: read once on opening; then on Show
  useEffect(() => {
    if (unit) read();
  }, []);

  const submit = (submitted: FormEvent) => {
    submitted.preventDefault();
    read();
  };

  return (
    <main className="patrols">
      <form className="filters" onSubmit={submit}>
        <UnitPicker units={units} unit={unit} onChange={setUnit} />
        <label>
          日期 Day
          <input type="date" name="day" value={day} onChange={(change) => setDay(change.target.value)} />
        </label>
        <button type="submit">查看 Show</button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {found && (
        <>
          <section className="coverage" data-testid="coverage">
            <h2>
              巡查覆盖 Coverage {found.coverage.patrolled} / {found.coverage.grids} <span>网格 grids patrolled on {found.day}</span>
            </h2>
            {found.coverage.missing.length > 0 && (
              <p className="missing">未巡查 Not patrolled: {found.coverage.missing.map((grid) => grid.name).join('、')}</p>
            )}
          </section>
          <table className="cases" aria-label="patrols">
            <thead>
              <tr>
                <th>类型 Kind</th>
                <th>单位 Unit</th>
                <th>巡查人 By</th>
                <th>时间 At</th>
                <th>发现 Findings</th>
                <th>立案 Cases</th>
              </tr>
            </thead>
            <tbody>
              {found.patrols.map((patrol) => (
                <tr key={patrol.id} data-patrol={patrol.id}>
                  <td>{KIND_LABELS[patrol.kind]}</td>
                  <td>{patrol.unitName}</td>
                  <td>{patrol.by.name}</td>
                  <td>{beijing(patrol.at)}</td>
                  <td>{patrol.findings.length}</td>
                  <td>
                    {patrol.reportedEvents.map((id) => (
                      <a key={id} href={`#/case/${id}`}>
                        {id}{' '}
                      </a>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {found.patrols.length === 0 && <p className="empty">这一天没有巡查 No patrols that day</p>}
        </>
      )}
      <Campaigns unit={found?.unit ?? unit} />
    </main>
  );
}
