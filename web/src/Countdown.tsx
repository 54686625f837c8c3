/** A case's clock counting down to its deadline, coloured by the share of its time left; overdue in red. */
import { span, useNow } from './clock';
import type { CaseView } from './types';

export type Urgency = 'ample' | 'half' | 'short' | 'overdue' | 'none';

export function urgencyOf(share: number | undefined): Urgency {
  if (share === undefined) return 'none';
  if (share <= 0) return 'overdue';
  if (share <= 0.25) return 'short';
  if (share <= 0.5) return 'half';
  return 'ample';
}

/** The share (1 → 0, below 0 when overdue) of the running clock's time left at `now`. */
export function shareLeft(theCase: Pick<CaseView, 'clock' | 'deadlineAt'>, now: number): number | undefined {
  const deadline = Date.parse(theCase.clock?.deadlineAt ?? theCase.deadlineAt ?? '');
  if (Number.isNaN(deadline)) return undefined;
  const started = Date.parse(theCase.clock?.startedAt ?? '');
  const whole = Number.isNaN(started) ? 0 : deadline - started;
  if (whole <= 0) return deadline > now ? 1 : -1;
  return (deadline - now) / whole;
}

export function Countdown({ case: theCase }: { case: Pick<CaseView, 'clock' | 'deadlineAt'> }) {
  const now = useNow();
  const deadline = Date.parse(theCase.clock?.deadlineAt ?? theCase.deadlineAt ?? '');
  const urgency = urgencyOf(shareLeft(theCase, now));
  if (Number.isNaN(deadline)) return <span className="countdown none">—</span>;
  const left = deadline - now;
  return (
    <span className={`countdown ${urgency}`} data-urgency={urgency} title={new Date(deadline).toISOString()}>
      {left >= 0 ? `剩 ${span(left)}` : `超时 ${span(left)}`}
    </span>
  );
}
