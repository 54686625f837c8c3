/** Campaigns (闭环排查) of a unit: each with who has answered, and — opened — who has not (GET /campaigns, /campaigns/{id}). */
import { useEffect, useState } from 'react';
import { api, ApiError } from './api';
import { beijing } from './clock';

interface CampaignSummary {
  id: string;
  title: string;
  deadlineAt: string;
  createdBy: { name: string };
  targets: number;
  responded: number;
}

interface Entry {
  person: string;
  name: string;
  gridName?: string;
  grid: string;
}

interface CampaignView {
  id: string;
  instructions: string;
  responded: (Entry & { firstAt: string; late: boolean; done: boolean; note: string })[];
  notResponded: Entry[];
}

export function Campaigns({ unit }: { unit: string }) {
  const [items, setItems] = useState<CampaignSummary[]>();
  const [opened, setOpened] = useState<CampaignView>();
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!unit) return;
    setOpened(undefined);
    api<{ items: CampaignSummary[] }>(`/campaigns?unit=${unit}`)
      .then((reply) => setItems(reply.items))
      .catch((failure: Error) => setError(failure instanceof ApiError ? failure.message : String(failure)));
  }, [unit]);

  const open = (id: string) =>
    api<CampaignView>(`/campaigns/${encodeURIComponent(id)}`)
      .then(setOpened)
      .catch((failure: Error) => setError(failure instanceof ApiError ? failure.message : String(failure)));

  return (
    <section className="campaigns" aria-label="campaigns">
      <h2>专项排查 Campaigns</h2>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {items && items.length === 0 && <p className="empty">没有专项排查 No campaigns</p>}
      {items && items.length > 0 && (
        <table className="cases">
          <thead>
            <tr>
              <th>任务 Task</th>
              <th>发起 Sent by</th>
              <th>截止 Deadline</th>
              <th>已反馈 Answered</th>
            </tr>
          </thead>
          <tbody>
            {items.map((campaign) => (
              <tr key={campaign.id} data-campaign={campaign.id}>
                <td>
                  <button type="button" onClick={() => open(campaign.id)}>
                    {campaign.title}
                  </button>
                </td>
                <td>{campaign.createdBy.name}</td>
                <td>{beijing(campaign.deadlineAt, true)}</td>
                <td>
                  {campaign.responded} / {campaign.targets}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {opened && (
        <div className="campaign" data-testid="campaign">
          <p>{opened.instructions}</p>
          <h3>未反馈 Not answered ({opened.notResponded.length})</h3>
          <p className="missing" data-testid="not-answered">
            {opened.notResponded.map((entry) => `${entry.name}（${entry.gridName ?? entry.grid}）`).join('、') || '—'}
          </p>
          <h3>已反馈 Answered ({opened.responded.length})</h3>
          <ul>
            {opened.responded.map((entry) => (
              <li key={entry.person}>
                {entry.name} · {beijing(entry.firstAt)} · {entry.done ? '已完成 done' : '进行中 in progress'}
                {entry.late ? ' · 逾期 late' : ''} — {entry.note}
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
