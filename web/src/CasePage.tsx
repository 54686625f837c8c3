/**
 * A case, readable: what was reported, where and by whom; its clock and deadlines, extension and meeting; its
 * duplicates; the timeline with who did what when; and the actions the reader may take now.
 */
import { useCallback, useEffect, useState } from 'react';
import { ActionPanel } from './ActionPanel';
import { CaseLifecycle, CaseMessages, dataText, DeadlineHistory } from './CaseRecords';
import { api, ApiError } from './api';
import { beijing } from './clock';
import { Countdown } from './Countdown';
import { both, CLOCK_LABELS, ROLE_LABELS, SEVERITY_LABELS, SOURCE_LABELS, STAGE_LABELS, TIER_LABELS, TIMELINE_LABELS } from './labels';
import { POLL_MS } from './open-cases';
import type { Reference } from './reference';
import type { CaseView, Role } from './types';

const caseLink = (id: string) => (
  <a key={id} href={`#/case/${id}`}>
    {id}
  </a>
);

export function CasePage({ id, reference, onChanged }: { id: string; reference: Reference; onChanged: () => void }) {
  const [event, setEvent] = useState<CaseView>();
  const [error, setError] = useState<string>();

  const load = useCallback(
    () =>
      api<CaseView>(`/events/${encodeURIComponent(id)}`)
        .then((reply) => {
          setEvent(reply);
          setError(undefined);
        })
        .catch((failure: Error) =>
          setError(failure instanceof ApiError && failure.status === 404 ? '没有此案件 No such case in your units' : failure.message),
        ),
    [id],
  );
  useEffect(() => {
    setEvent(undefined);
    load();
    const timer = setInterval(load, POLL_MS);
    return () => clearInterval(timer);
  }, [load]);

  if (error && !event)
    return (
      <main className="case">
        <p className="error" role="alert">
          {error}
        </p>
        <a href="#/">← 返回看板 Back to the board</a>
      </main>
    );
  if (!event) return <main className="case">加载中 Loading…</main>;
  const actorText = (actor: { name: string; role: string }) => `${actor.name}（${both(ROLE_LABELS[actor.role as Role], actor.role)}）`;

  return (
    <main className="case" data-case={event.id}>
      <a href="#/">← 返回看板 Back to the board</a>
      <h1>
        <span className="case-id">{event.id}</span> {reference.itemName(event.itemCode)}{' '}
        <span className={`severity s${event.severity}`}>{both(SEVERITY_LABELS[event.severity])}</span>
      </h1>
      <p className="status" data-testid="stage">
        {both(STAGE_LABELS[event.stage])} · {both(TIER_LABELS[event.tier])} · {event.status === 'open' ? '办理中 open' : '已结 closed'}
        {event.overdue && <span className="overdue-flag"> · 曾超时 was overdue</span>}
      </p>
      <div className="case-grid">
        <section className="facts" aria-label="facts">
          <h2>案情 The matter</h2>
          <dl>
            <dt>描述 Description</dt>
            <dd>{event.description}</dd>
            <dt>网格 Grid</dt>
            <dd>
              {reference.unitName(event.gridCode)} <code>{event.gridCode}</code>
            </dd>
            {event.location && (
              <>
                <dt>位置 Location</dt>
                <dd>
                  {event.location.address ?? ''} ({event.location.lat.toFixed(5)}, {event.location.lng.toFixed(5)})
                </dd>
              </>
            )}
            <dt>来源 Source</dt>
            <dd>{both(SOURCE_LABELS[event.source])}</dd>
            <dt>上报 Reported</dt>
            <dd>
              {actorText(event.reportedBy)} · {beijing(event.createdAt, true)}
            </dd>
            {event.reporter && (
              <>
                <dt>反映人 Reporter</dt>
                <dd>
                  {event.reporter.name ?? ''} {event.reporter.phone ?? ''}
                </dd>
              </>
            )}
            <dt>承办 Handler</dt>
            <dd data-testid="handler">
              {event.assignee?.name ?? '—'}{' '}
              {event.acknowledgedAt ? `· 已签收 signed for ${beijing(event.acknowledgedAt)}` : '· 未签收 not signed for'}
            </dd>
            {event.handlingNote && (
              <>
                <dt>处置 Handled</dt>
                <dd>
                  {event.handlingNote} · {beijing(event.handledAt)}
                  {event.handledOnTime !== undefined && (event.handledOnTime ? ' · 按期 on time' : ' · 超期 late')}
                </dd>
              </>
            )}
            {[...event.photos, ...(event.handlingPhotos ?? [])].length > 0 && (
              <>
                <dt>照片 Photos</dt>
                <dd className="photos">
                  {[...event.photos, ...(event.handlingPhotos ?? [])].map((url) => (
                    <a key={url} href={url} target="_blank" rel="noreferrer noopener">
                      {/* The page's policy loads images over HTTPS only: a plain-HTTP photo is a link. */}
                      {url.startsWith('https:') ? (
                        <img src={url} alt={`现场 scene ${url.split('/').pop()}`} loading="lazy" referrerPolicy="no-referrer" />
                      ) : (
                        url.split('/').pop()
                      )}
                    </a>
                  ))}
                </dd>
              </>
            )}
          </dl>
        </section>
        <section className="deadlines" aria-label="deadlines">
          <h2>时限 Deadlines</h2>
          {event.clock ? (
            <dl>
              <dt>计时 Clock</dt>
              <dd>
                {both(CLOCK_LABELS[event.clock.kind])}
                {event.clock.calendarTime ? ' · 自然时 calendar time' : ' · 工作时 working time'}
              </dd>
              <dt>起 Started</dt>
              <dd>{beijing(event.clock.startedAt, true)}</dd>
              <dt>止 Deadline</dt>
              <dd>
                {beijing(event.clock.deadlineAt, true)} <Countdown event={event} />
              </dd>
              {event.clock.acknowledgeBy && (
                <>
                  <dt>签收时限 Sign for by</dt>
                  <dd>{beijing(event.clock.acknowledgeBy, true)}</dd>
                </>
              )}
              <dt>提醒 Reminders</dt>
              <dd>
                {event.clock.reminders} · 督办 nudges {event.clock.nudges}
              </dd>
            </dl>
          ) : (
            <p>无计时 No clock running</p>
          )}
          {event.extension && (
            <p className="extension">
              延期 Extension: {event.extension.status} → {beijing(event.extension.until, true)} · {event.extension.reason} ·{' '}
              {actorText(event.extension.requestedBy)}
            </p>
          )}
          {event.meeting && (
            <p className="meeting">
              联席会议 Joint meeting: {beijing(event.meeting.at, true)} · {event.meeting.departments.join(', ')}
              {event.meeting.decision &&
                ` · 牵头 lead ${event.meeting.decision.lead} · 时限 ${beijing(event.meeting.decision.deadlineAt, true)}`}
            </p>
          )}
          {(event.duplicateOf || event.linkedReports?.length || event.possibleDuplicates?.length) && (
            <>
              <h2>重复件 Duplicates</h2>
              <dl>
                {event.duplicateOf && (
                  <>
                    <dt>并入 Follows</dt>
                    <dd>{caseLink(event.duplicateOf)}</dd>
                  </>
                )}
                {event.linkedReports?.length ? (
                  <>
                    <dt>已并入 Linked reports</dt>
                    <dd>{event.linkedReports.map(caseLink)}</dd>
                  </>
                ) : null}
                {event.linkedReporters?.length ? (
                  <>
                    <dt>反映人 Linked reporters</dt>
                    <dd data-testid="linked-reporters">
                      {event.linkedReporters.map((reporter) => [reporter.name, reporter.phone].filter(Boolean).join(' ')).join('、')}
                    </dd>
                  </>
                ) : null}
                {event.possibleDuplicates?.length ? (
                  <>
                    <dt>可能重复 Possible duplicates</dt>
                    <dd>{event.possibleDuplicates.map(caseLink)}</dd>
                  </>
                ) : null}
              </dl>
            </>
          )}
        </section>
        <ActionPanel
          event={event}
          reference={reference}
          onDone={() => {
            load();
            onChanged();
          }}
        />
      </div>
      <section className="timeline" aria-label="timeline">
        <h2>经过 Timeline</h2>
        <ol>
          {[...(event.timeline ?? [])].reverse().map((entry) => (
            <li key={`${entry.seq}-${entry.id ?? ''}-${entry.type}`} data-type={entry.type}>
              <time>{beijing(entry.at, true)}</time>
              <strong>{both(TIMELINE_LABELS[entry.type], entry.type)}</strong>
              <span className="actor">{actorText(entry.actor)}</span>
              <span className="where">
                {both(STAGE_LABELS[entry.stage])} · {both(TIER_LABELS[entry.tier])}
              </span>
              {entry.note && <p className="note">{entry.note}</p>}
              {entry.data && <p className="data">{dataText(entry.data)}</p>}
            </li>
          ))}
        </ol>
        {event.timelineCursor && <p>更早的记录 Older entries: GET /events/{event.id}?cursor=…</p>}
      </section>
      <DeadlineHistory event={event} />
      <CaseMessages id={event.id} version={event.updatedAt} />
      <CaseLifecycle id={event.id} version={event.updatedAt} />
    </main>
  );
}
