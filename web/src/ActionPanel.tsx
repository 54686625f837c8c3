/**
 * The buttons for exactly the actions the reader may take now (the case's `allowedActions`), each opening the form
 * its action needs (POST /events/{id}/actions). A refusal — a 409 above all: the case moved on, or another action
 * came first — is shown as the API words it.
 */
import { type FormEvent, useState } from 'react';
import { api, ApiError } from './api';
import { ACTION_LABELS, both } from './labels';
import type { Reference } from './reference';
import type { ActionName, CaseView } from './types';

type Field =
  | 'note'
  | 'photos'
  | 'department'
  | 'person'
  | 'until'
  | 'at'
  | 'departments'
  | 'lead'
  | 'helpers'
  | 'deadlineAt'
  | 'score'
  | 'duplicateOf';

/** Each action's fields (shared/schemas/events.ts ACTION_FIELDS); `required`: a note that must be given. */
const FORMS: Record<ActionName, { fields: Field[]; noteRequired?: boolean; noteLabel?: string }> = {
  accept_report: { fields: ['note'] },
  void_report: { fields: ['note'], noteRequired: true, noteLabel: '作废理由 Why it is void' },
  acknowledge: { fields: ['note'] },
  complete: { fields: ['note', 'photos'], noteRequired: true, noteLabel: '处置情况 What was done' },
  assign: { fields: ['department', 'person', 'note'] },
  return: { fields: ['note'], noteRequired: true, noteLabel: '退回理由 Why it is not yours' },
  escalate: { fields: ['note'], noteRequired: true, noteLabel: '上报理由 Why it is beyond this level' },
  request_extension: { fields: ['until', 'note'], noteRequired: true, noteLabel: '延期理由 Why more time' },
  approve_extension: { fields: ['note'] },
  reject_extension: { fields: ['note'], noteRequired: true, noteLabel: '驳回理由 Why not' },
  verify_pass: { fields: ['note', 'photos'] },
  verify_fail: { fields: ['note', 'photos'], noteRequired: true, noteLabel: '未办结之处 What is not done' },
  convene_meeting: { fields: ['departments', 'at', 'note'] },
  record_meeting_decision: { fields: ['lead', 'helpers', 'deadlineAt', 'note'], noteRequired: true, noteLabel: '会议纪要 Minutes' },
  through_train: { fields: ['note'], noteRequired: true, noteLabel: '理由 Why' },
  nudge: { fields: ['note'] },
  invite_department: { fields: ['department', 'note'], noteRequired: true, noteLabel: '约请事由 Why' },
  evaluate: { fields: ['score', 'note'], noteRequired: true, noteLabel: '评议 Evaluation' },
  rate: { fields: ['score', 'note'] },
  comment: { fields: ['note'], noteRequired: true, noteLabel: '备注 Comment' },
  link_duplicate: { fields: ['duplicateOf', 'note'] },
};

interface FormState {
  note: string;
  photos: string;
  department: string;
  person: string;
  until: string;
  at: string;
  departments: string[];
  lead: string;
  helpers: string[];
  deadlineAt: string;
  score: string;
  duplicateOf: string;
}

const EMPTY: FormState = {
  note: '',
  photos: '',
  department: '',
  person: '',
  until: '',
  at: '',
  departments: [],
  lead: '',
  helpers: [],
  deadlineAt: '',
  score: '5',
  duplicateOf: '',
};

/** A datetime-local value, read as Beijing time. */
const beijingInstant = (local: string) => (local ? `${local.length === 16 ? `${local}:00` : local}+08:00` : undefined);

function bodyOf(action: ActionName, form: FormState): Record<string, unknown> {
  const { fields } = FORMS[action];
  const body: Record<string, unknown> = { action };
  const has = (field: Field) => fields.includes(field);
  if (has('note') && form.note.trim()) body[action === 'record_meeting_decision' ? 'minutes' : 'note'] = form.note.trim();
  if (has('photos'))
    body.photos = form.photos
      .split(/\s+/)
      .map((url) => url.trim())
      .filter(Boolean);
  if (has('department') && form.department) body.department = form.department;
  if (has('person') && form.person.trim()) body.person = form.person.trim();
  if (has('until')) body.until = beijingInstant(form.until);
  if (has('at')) body.at = beijingInstant(form.at);
  if (has('deadlineAt')) body.deadlineAt = beijingInstant(form.deadlineAt);
  if (has('departments')) body.departments = form.departments;
  if (has('lead')) body.lead = form.lead;
  if (has('helpers')) body.helpers = form.helpers;
  if (has('score')) body.score = Number(form.score);
  if (has('duplicateOf')) body.duplicateOf = form.duplicateOf.trim();
  return body;
}

export function ActionPanel({ case: theCase, reference, onDone }: { case: CaseView; reference: Reference; onDone: () => void }) {
  const [open, setOpen] = useState<ActionName>();
  const [form, setForm] = useState<FormState>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<ApiError>();
  const allowed = theCase.allowedActions ?? [];
  const set = (change: Partial<FormState>) => setForm((before) => ({ ...before, ...change }));

  const submit = async (submitted: FormEvent) => {
    submitted.preventDefault();
    if (!open) return;
    setBusy(true);
    setRefusal(undefined);
    try {
      await api(`/events/${encodeURIComponent(theCase.id)}/actions`, { method: 'POST', body: bodyOf(open, form) });
      setOpen(undefined);
      setForm(EMPTY);
      onDone();
    } catch (failure) {
      setRefusal(failure instanceof ApiError ? failure : new ApiError(0, 'network', String(failure)));
      // A conflict means the case is not what the page showed: read it again.
      if (failure instanceof ApiError && failure.status === 409) onDone();
    } finally {
      setBusy(false);
    }
  };

  const departmentSelect = (name: 'department' | 'lead', value: string, required: boolean) => (
    <select id={`action-${name}`} name={name} value={value} required={required} onChange={(change) => set({ [name]: change.target.value })}>
      <option value="">—</option>
      {reference.departments.map((department) => (
        <option key={department.code} value={department.code}>
          {department.name} {department.nameEn}
        </option>
      ))}
    </select>
  );
  const departmentChecks = (name: 'departments' | 'helpers') => (
    <fieldset className="checks">
      {reference.departments.map((department) => (
        <label key={department.code}>
          <input
            type="checkbox"
            name={name}
            value={department.code}
            checked={form[name].includes(department.code)}
            onChange={(change) =>
              set({
                [name]: change.target.checked ? [...form[name], department.code] : form[name].filter((code) => code !== department.code),
              })
            }
          />
          {department.name}
        </label>
      ))}
    </fieldset>
  );

  const fields = open ? FORMS[open].fields : [];
  return (
    <section className="actions" aria-label="actions">
      <h2>操作 Actions</h2>
      {allowed.length === 0 && <p className="empty">您现在不能对此案件操作 Nothing for you to do on this case now</p>}
      <div className="buttons" data-testid="action-buttons">
        {allowed.map((action) => (
          <button
            type="button"
            key={action}
            data-action={action}
            className={open === action ? 'selected' : ''}
            onClick={() => {
              setOpen(open === action ? undefined : action);
              setRefusal(undefined);
            }}
          >
            {both(ACTION_LABELS[action], action)}
          </button>
        ))}
      </div>
      {refusal && (
        <div className="refusal" role="alert" data-testid="refusal">
          <strong>{refusal.status === 409 ? '冲突 Conflict' : `${refusal.status} ${refusal.code}`}</strong> {refusal.message}
          {refusal.fields.map((field) => (
            <div key={field.field}>
              <code>{field.field}</code>: {field.message}
            </div>
          ))}
        </div>
      )}
      {open && (
        <form className="action-form" data-form={open} onSubmit={submit}>
          <h3>{both(ACTION_LABELS[open])}</h3>
          {fields.includes('department') && (
            <label htmlFor="action-department">
              部门 Department
              {departmentSelect('department', form.department, open !== 'assign')}
            </label>
          )}
          {fields.includes('person') && (
            <label>
              或人员编号 or a person id
              <input name="person" value={form.person} onChange={(change) => set({ person: change.target.value })} />
            </label>
          )}
          {fields.includes('departments') && (
            <div className="field">
              参会部门 Departments (2+)
              {departmentChecks('departments')}
            </div>
          )}
          {fields.includes('lead') && (
            <label htmlFor="action-lead">
              牵头部门 Lead department
              {departmentSelect('lead', form.lead, true)}
            </label>
          )}
          {fields.includes('helpers') && (
            <div className="field">
              协办部门 Helpers
              {departmentChecks('helpers')}
            </div>
          )}
          {(['until', 'at', 'deadlineAt'] as const)
            .filter((field) => fields.includes(field))
            .map((field) => (
              <label key={field}>
                {field === 'until' ? '延至 Until' : field === 'at' ? '会议时间 Meets at' : '办结时限 Deadline'}（北京时间 Beijing time）
                <input
                  type="datetime-local"
                  name={field}
                  required
                  value={form[field]}
                  onChange={(change) => set({ [field]: change.target.value })}
                />
              </label>
            ))}
          {fields.includes('score') && (
            <label>
              评分 Score
              <select name="score" value={form.score} onChange={(change) => set({ score: change.target.value })}>
                {[5, 4, 3, 2, 1].map((score) => (
                  <option key={score} value={score}>
                    {score}
                  </option>
                ))}
              </select>
            </label>
          )}
          {fields.includes('duplicateOf') && (
            <label>
              与此案件相同 Same matter as case
              <input
                name="duplicateOf"
                required
                placeholder="E20261126-7K3M9Q"
                value={form.duplicateOf}
                onChange={(change) => set({ duplicateOf: change.target.value })}
              />
            </label>
          )}
          {fields.includes('note') && (
            <label>
              {FORMS[open].noteLabel ?? '说明 Note'}
              <textarea
                name="note"
                rows={3}
                required={FORMS[open].noteRequired}
                value={form.note}
                onChange={(change) => set({ note: change.target.value })}
              />
            </label>
          )}
          {fields.includes('photos') && (
            <label>
              照片链接 Photo links (https, one a line)
              <textarea name="photos" rows={2} value={form.photos} onChange={(change) => set({ photos: change.target.value })} />
            </label>
          )}
          <button type="submit" disabled={busy} data-submit={open}>
            提交 Submit
          </button>
        </form>
      )}
    </section>
  );
}
