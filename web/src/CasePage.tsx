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
  const [theCase, setEvent] = useState<CaseView>();
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

  if (error && !theCase)
    return (
      <main className="case">
        <p className="error" role="alert">
          {error}
        </p>
        <a href="#/">← 返回看板 Back to the board</a>
      </main>
    );
  if (!theCase) return <main className="case">加载中 Loading…</main>;
  const actorText = (actor: { name: string; role: string }) => `${actor.name}（${both(ROLE_LABELS[actor.role as Role], actor.role)}）`;

  return (
    <main className="case" data-case={theCase.id}>
      <a href="#/">← 返回看板 Back to the board</a>
      <h1>
        <span className="case-id">{theCase.id}</span> {reference.itemName(theCase.itemCode)}{' '}
        <span className={`severity s${theCase.severity}`}>{both(SEVERITY_LABELS[theCase.severity])}</span>
      </h1>
      <p className="status" data-testid="stage">
        {both(STAGE_LABELS[theCase.stage])} · {both(TIER_LABELS[theCase.tier])} ·{' '}
        {theCase.status === 'open' ? '办理中 open' : '已结 closed'}
        {theCase.overdue && <span className="overdue-flag"> · 曾超时 was overdue</span>}
      </p>
      <div className="case-grid">
        <section className="facts" aria-label="facts">
          <h2>案情 The matter</h2>
          <dl>
            <dt>描述 Description</dt>
            <dd>{theCase.description}</dd>
            <dt>网格 Grid</dt>
            <dd>
              {reference.unitName(theCase.gridCode)} <code>{theCase.gridCode}</code>
            </dd>
            {theCase.location && (
              <>
                <dt>位置 Location</dt>
                <dd>
                  {theCase.location.address ?? ''} ({theCase.location.lat.toFixed(5)}, {theCase.location.lng.toFixed(5)})
                </dd>
              </>
            )}
            <dt>来源 Source</dt>
            <dd>{both(SOURCE_LABELS[theCase.source])}</dd>
            <dt>上报 Reported</dt>
            <dd>
              {actorText(theCase.reportedBy)} · {beijing(theCase.createdAt, true)}
            </dd>
            {theCase.reporter && (
              <>
                <dt>反映人 Reporter</dt>
                <dd>
                  {theCase.reporter.name ?? ''} {theCase.reporter.phone ?? ''}
                </dd>
              </>
            )}
            <dt>承办 Handler</dt>
            <dd data-testid="handler">
              {theCase.assignee?.name ?? '—'}{' '}
              {theCase.acknowledgedAt ? `· 已签收 signed for ${beijing(theCase.acknowledgedAt)}` : '· 未签收 not signed for'}
            </dd>
            {theCase.handlingNote && (
              <>
                <dt>处置 Handled</dt>
                <dd>
                  {theCase.handlingNote} · {beijing(theCase.handledAt)}
                  {theCase.handledOnTime !== undefined && (theCase.handledOnTime ? ' · 按期 on time' : ' · 超期 late')}
                </dd>
              </>
            )}
            {[...theCase.photos, ...(theCase.handlingPhotos ?? [])].length > 0 && (
              <>
                <dt>照片 Photos</dt>
                <dd className="photos">
                  {[...theCase.photos, ...(theCase.handlingPhotos ?? [])].map((url) => (
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
          {theCase.clock ? (
            <dl>
              <dt>计时 Clock</dt>
              <dd>
                {both(CLOCK_LABELS[theCase.clock.kind])}
                {theCase.clock.calendarTime ? ' · 自然时 calendar time' : ' · 工作时 working time'}
              </dd>
              <dt>起 Started</dt>
              <dd>{beijing(theCase.clock.startedAt, true)}</dd>
              <dt>止 Deadline</dt>
              <dd>
                {beijing(theCase.clock.deadlineAt, true)} <Countdown case={theCase} />
              </dd>
              {theCase.clock.acknowledgeBy && (
                <>
                  <dt>签收时限 Sign for by</dt>
                  <dd>{beijing(theCase.clock.acknowledgeBy, true)}</dd>
                </>
              )}
              <dt>提醒 Reminders</dt>
              <dd>
                {theCase.clock.reminders} · 督办 nudges {theCase.clock.nudges}
              </dd>
            </dl>
          ) : (
            <p>无计时 No clock running</p>
          )}
          {theCase.extension && (
            <p className="extension">
              延期 Extension: {theCase.extension.status} → {beijing(theCase.extension.until, true)} · {theCase.extension.reason} ·{' '}
              {actorText(theCase.extension.requestedBy)}
            </p>
          )}
          {theCase.meeting && (
            <p className="meeting">
              联席会议 Joint meeting: {beijing(theCase.meeting.at, true)} · {theCase.meeting.departments.join(', ')}
              {theCase.meeting.decision &&
                ` · 牵头 lead ${theCase.meeting.decision.lead} · 时限 ${beijing(theCase.meeting.decision.deadlineAt, true)}`}
            </p>
          )}
          {(theCase.duplicateOf || theCase.linkedReports?.length || theCase.possibleDuplicates?.length) && (
            <>
              <h2>重复件 Duplicates</h2>
              <dl>
                {theCase.duplicateOf && (
                  <>
                    <dt>并入 Follows</dt>
                    <dd>{caseLink(theCase.duplicateOf)}</dd>
                  </>
                )}
                {theCase.linkedReports?.length ? (
                  <>
                    <dt>已并入 Linked reports</dt>
                    <dd>{theCase.linkedReports.map(caseLink)}</dd>
                  </>
                ) : null}
                {theCase.linkedReporters?.length ? (
                  <>
                    <dt>反映人 Linked reporters</dt>
                    <dd data-testid="linked-reporters">
                      {theCase.linkedReporters.map((reporter) => [reporter.name, reporter.phone].filter(Boolean).join(' ')).join('、')}
                    </dd>
                  </>
                ) : null}
                {theCase.possibleDuplicates?.length ? (
                  <>
                    <dt>可能重复 Possible duplicates</dt>
                    <dd>{theCase.possibleDuplicates.map(caseLink)}</dd>
                  </>
                ) : null}
              </dl>
            </>
          )}
        </section>
        <ActionPanel
          case={theCase}
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
          {[...(theCase.timeline ?? [])].reverse().map((entry) => (
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
        {theCase.timelineCursor && <p>更早的记录 Older entries: GET /events/{theCase.id}?cursor=…</p>}
      </section>
      <DeadlineHistory theCase={theCase} />
      <CaseMessages id={theCase.id} version={theCase.updatedAt} />
      <CaseLifecycle id={theCase.id} version={theCase.updatedAt} />
    </main>
  );
}
