/**
 * A case's record beyond its facts: the deadline's history (the timeline's entries the API marks `aboutDeadline`),
 * every SMS the case caused (GET /events/{id}/messages) and the states its lifecycle visited (GET
 * /events/{id}/lifecycle, with the console's link in the cloud). Each part reads again when the case does (`version`:
 * the page's reading of the case).
 */
import { useCallback, useEffect, useState } from 'react';
import { api } from './api';
import { beijing } from './clock';
import { both, type Label, ROLE_LABELS, TIMELINE_LABELS } from './labels';
import { POLL_MS } from './open-cases';
import type { CaseView, Role } from './types';

/** An SMS as GET /events/{id}/messages lists it (the number masked by the API). */
interface CaseMessage {
  intentId: string;
  template: string;
  recipientRole: string;
  recipient: string;
  createdAt: string;
  status: 'pending' | 'sent' | 'failed' | 'held' | 'expired';
  settledAt?: string;
  error?: string;
  /** How many other cases a digest covered (never which: the reader may not see them). */
  alsoForCount?: number;
}

interface ExecutionCourse {
  name: string;
  arn: string;
  status: 'running' | 'succeeded' | 'failed' | 'timed_out' | 'aborted';
  startedAt: string;
  stoppedAt?: string;
  states: { name: string; type: string; enteredAt: string; exitedAt?: string }[];
  truncated?: true;
  consoleUrl?: string;
}

const SMS_STATUS: Record<CaseMessage['status'], string> = {
  pending: '待发 pending',
  sent: '已发 sent',
  failed: '失败 failed',
  held: '暂缓 held',
  expired: '记录已过期 outcome no longer kept',
};

/** Whom an SMS went to, as the SMS rules name them (shared/domain/sms-rules.ts), or a role. */
const RECIPIENT_LABELS: Record<string, Label> = {
  handler: ['承办', 'handler'],
  head: ['负责人', 'head'],
  approver: ['审批', 'approver'],
  community_head: ['社区负责人', 'community head'],
  department_heads: ['部门负责人', 'department heads'],
  grid_workers: ['网格员', 'grid workers'],
  leadership: ['区领导', 'leadership'],
  reporters: ['反映人', 'reporter'],
  reporter: ['反映人', 'reporter'],
  resident: ['居民', 'resident'],
};

const RUN_STATUS: Record<ExecutionCourse['status'], string> = {
  running: '运行中 running',
  succeeded: '已完成 succeeded',
  failed: '失败 failed',
  timed_out: '超时 timed out',
  aborted: '已中止 aborted',
};

/** An entry's data, briefly: `key: value` pairs — a handler by name, a moment in Beijing time, other objects as JSON. */
export function dataText(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  const shown = (value: unknown): string => {
    if (value && typeof value === 'object' && 'name' in value) return String((value as { name: unknown }).name);
    if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(value)) return beijing(value, true);
    return typeof value === 'object' ? JSON.stringify(value) : String(value);
  };
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${shown(value)}`)
    .join(' · ');
}

/** Reads `path` again whenever `version` changes or `reload` is called; the last good reply stays while a reading fails. */
function useReading<T>(path: string, version: unknown): { reply?: T; error?: string; reload: () => void } {
  const [state, setState] = useState<{ reply?: T; error?: string }>({});
  const [readings, setReadings] = useState(0);
  const reload = useCallback(() => setReadings((count) => count + 1), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: version and readings are what ask for a new reading
  useEffect(() => {
    let current = true;
    api<T>(path)
      .then((reply) => current && setState({ reply }))
      .catch((failure: Error) => current && setState((before) => ({ ...before, error: failure.message })));
    return () => {
      current = false;
    };
  }, [path, version, readings]);
  return { ...state, reload };
}

export function DeadlineHistory({ theCase }: { theCase: CaseView }) {
  // Which entries belong to the history is the API's to say (aboutDeadline), from the domain's one rule.
  const entries = (theCase.timeline ?? []).filter((entry) => entry.aboutDeadline);
  if (entries.length === 0) return null;
  return (
    <section className="deadline-history" aria-label="deadline history">
      <h2>时限变化 Deadline history</h2>
      <ol>
        {entries.map((entry) => (
          <li key={`${entry.seq}-${entry.type}`} data-type={entry.type}>
            <time>{beijing(entry.at, true)}</time> <strong>{both(TIMELINE_LABELS[entry.type], entry.type)}</strong>{' '}
            <span className="actor">{entry.actor.name}</span>
            {entry.note && <span className="note"> · {entry.note}</span>}
            {entry.data && <span className="data"> · {dataText(entry.data)}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}

export function CaseMessages({ id, version }: { id: string; version: unknown }) {
  const { reply, error, reload } = useReading<{ items: CaseMessage[] }>(`/events/${encodeURIComponent(id)}/messages`, version);
  // An SMS is sent moments after the change that stored it: read again while one waits (a cheap read of the table).
  const waiting = reply?.items.some((message) => message.status === 'pending') ?? false;
  useEffect(() => {
    if (!waiting) return;
    const timer = setTimeout(reload, POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, reload]);
  return (
    <section className="messages" aria-label="sms">
      <h2>短信 SMS</h2>
      {error && !reply && <p className="error">{error}</p>}
      {reply && reply.items.length === 0 && <p>无短信 No SMS</p>}
      {reply && reply.items.length > 0 && (
        <table>
          <thead>
            <tr>
              <th className="cell">时间 When</th>
              <th className="cell">模板 Template</th>
              <th className="cell">收信人 To</th>
              <th className="cell">状态 Status</th>
            </tr>
          </thead>
          <tbody>
            {reply.items.map((message) => (
              <tr key={message.intentId} data-template={message.template} data-status={message.status}>
                <td className="cell">{beijing(message.createdAt, true)}</td>
                <td className="cell">
                  <code>{message.template}</code>
                  {message.alsoForCount ? (
                    <span className="also-for">
                      {' '}
                      · 另{message.alsoForCount}件 and {message.alsoForCount} other case{message.alsoForCount > 1 ? 's' : ''}
                    </span>
                  ) : null}
                </td>
                <td className="cell">
                  {both(RECIPIENT_LABELS[message.recipientRole] ?? ROLE_LABELS[message.recipientRole as Role], message.recipientRole)}{' '}
                  {message.recipient}
                </td>
                <td className={`cell sms-${message.status}`}>
                  {SMS_STATUS[message.status]}
                  {message.settledAt && ` ${beijing(message.settledAt)}`}
                  {message.error && <span className="note"> · {message.error}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function CaseLifecycle({ id, version }: { id: string; version: unknown }) {
  // Read when the case changes, or when asked: Step Functions' history is a throttled API, not one to poll.
  const { reply, error, reload } = useReading<{ executions: ExecutionCourse[] }>(`/events/${encodeURIComponent(id)}/lifecycle`, version);
  return (
    <section className="lifecycle" aria-label="lifecycle">
      <h2>
        流程 Lifecycle{' '}
        <button type="button" className="refresh" onClick={reload}>
          刷新 Refresh
        </button>
      </h2>
      {error && !reply && <p className="error">{error}</p>}
      {reply && reply.executions.length === 0 && <p>流程尚未开始 Not started yet</p>}
      {reply?.executions.map((execution) => (
        <div key={execution.name} className="execution" data-execution={execution.name}>
          <p>
            <code>{execution.name}</code> · {RUN_STATUS[execution.status]} · {beijing(execution.startedAt, true)}
            {execution.stoppedAt && ` → ${beijing(execution.stoppedAt, true)}`}
            {execution.consoleUrl && (
              <>
                {' · '}
                <a href={execution.consoleUrl} target="_blank" rel="noreferrer noopener">
                  控制台 Console
                </a>
              </>
            )}
          </p>
          <ol>
            {execution.states.map((state) => (
              <li key={`${state.name}-${state.enteredAt}`} data-state={state.name} className={state.exitedAt ? '' : 'current'}>
                <strong>{state.name}</strong> <span className="type">{state.type}</span> <time>{beijing(state.enteredAt)}</time>
                {state.exitedAt ? ` → ${beijing(state.exitedAt)}` : ' · 当前 now'}
              </li>
            ))}
          </ol>
          {execution.truncated && <p>只列出前面的状态 Only the first states are listed</p>}
        </div>
      ))}
    </section>
  );
}
