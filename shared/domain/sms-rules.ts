/**
 * Who gets which SMS, and when: the one table. `shared/core/lifecycle-messages.ts` resolves the
 * recipients; the README prints this table. Reminders are folded: nobody gets more than one
 * reminder SMS per window (policy), later ones arrive as one digest.
 */
import type { TemplateName } from './messages';

export type Recipients =
  /** The handler: the grid worker, the duty staff of a station or center, the clerks of a department team. */
  | 'handler'
  /** The handler's head: the community's grid chief for a worker, the head of a station, center or team, the leader for the district. */
  | 'head'
  /** The reporter and the reporters of every report linked to the case as a duplicate. */
  | 'reporters'
  /** The grid's workers (or the community station when the grid has none). */
  | 'grid_workers'
  /** The community's head (the community secretary and grid chief). */
  | 'community_head'
  /** The district center's staff. */
  | 'district_center'
  /** The district's leaders (the through train). */
  | 'leadership'
  /** The heads of the departments named (a joint meeting's invitees, a meeting's helpers, a department invited to act). */
  | 'department_heads'
  /** Who decides the handler's extension request. */
  | 'approver';

export type SmsTrigger =
  | 'report_to_accept'
  | 'acceptance_overdue'
  | 'assigned'
  | 'dispatch_needed'
  | 'reminder'
  | 'acknowledge_reminder'
  | 'overdue'
  | 'top_overdue'
  | 'level1_alert'
  | 'meeting_invitation'
  | 'meeting_helpers'
  | 'extension_requested'
  | 'extension_decided'
  | 'nudge'
  | 'invitation_to_act'
  | 'feedback'
  | 'voided';

export interface SmsRule {
  template: TemplateName;
  to: Recipients[];
  /** Folded into a digest when the recipient already had a reminder in the window. */
  reminder?: boolean;
  when: string;
}

export const SMS_RULES: Record<SmsTrigger, SmsRule> = {
  report_to_accept: { template: 'report_to_accept', to: ['grid_workers'], when: "a resident's report waits for acceptance (立案)" },
  acceptance_overdue: {
    template: 'acceptance_overdue',
    to: ['community_head'],
    when: "a resident's report was not accepted in time (and at each further limit)",
  },
  assigned: {
    template: 'case_assigned',
    to: ['handler'],
    when: 'a case is assigned: routed, dispatched, escalated, returned to rework, reopened',
  },
  dispatch_needed: {
    template: 'dispatch_needed',
    to: ['handler'],
    when: 'a case waits for a center to dispatch it (分流/转办), after escalation or a return',
  },
  reminder: { template: 'case_reminder', to: ['handler'], reminder: true, when: 'at 50% and 75% of the handling time' },
  acknowledge_reminder: {
    template: 'acknowledge_reminder',
    to: ['handler'],
    reminder: true,
    when: 'the handler has not signed for the case (签收) in time',
  },
  overdue: {
    template: 'case_overdue',
    to: ['head'],
    when: 'a deadline passed (督办): the head of whoever let it pass; the case then moves up',
  },
  top_overdue: {
    template: 'case_overdue',
    to: ['leadership', 'district_center'],
    when: 'a through-train case is overdue, and at each further limit (bounded)',
  },
  level1_alert: {
    template: 'level1_alert',
    to: ['district_center', 'community_head', 'grid_workers', 'leadership'],
    when: 'a case boards the through train (直通车)',
  },
  meeting_invitation: { template: 'meeting_invitation', to: ['department_heads'], when: 'a joint meeting (联席会议) is convened' },
  meeting_helpers: { template: 'meeting_helper', to: ['department_heads'], when: "a meeting's decision names helping departments" },
  extension_requested: { template: 'extension_requested', to: ['approver'], when: 'a handler asks for more time (延期)' },
  extension_decided: { template: 'extension_decided', to: ['handler'], when: 'the extension is approved or rejected' },
  nudge: { template: 'case_nudged', to: ['head'], when: 'a supervisor or leader nudges a case (催办/督办)' },
  invitation_to_act: { template: 'invitation_to_act', to: ['department_heads'], when: 'a supervisor invites a department to act (约请)' },
  feedback: { template: 'feedback_to_reporter', to: ['reporters'], when: 'the case is done (反馈), with the result and a rating code' },
  voided: { template: 'report_voided', to: ['reporters'], when: "a resident's report is voided, with the reason" },
};
