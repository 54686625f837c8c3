/** What a case's timeline records: every entry's `type`, and the moves that hand a case over (`lastMove`). */

/** The moves that hand a case to another handler (a late action by the one before is told which). */
export const HANDOVER_TYPES = [
  'routed',
  'assigned',
  'auto_dispatched',
  'returned',
  'escalated',
  'through_train',
  'verification_failed',
  'meeting_decided',
  'reopened',
] as const;
export type HandoverType = (typeof HANDOVER_TYPES)[number];

/** Every kind of timeline entry: the handovers, the actions' own entries and the lifecycle's. */
export const TIMELINE_TYPES = [
  ...HANDOVER_TYPES,
  // intake
  'registered',
  'awaiting_acceptance',
  'accepted',
  'voided',
  'linked_as_duplicate',
  'duplicate_linked',
  // handling and extensions
  'acknowledged',
  'completed',
  'extension_requested',
  'extension_approved',
  'extension_rejected',
  // verification and meetings
  'verified',
  'meeting_convened',
  // the clocks
  'reminded',
  'not_acknowledged',
  'overdue',
  'overdue_nudge',
  'deadline_recomputed',
  // supervision and notes
  'nudged',
  'department_invited',
  'evaluated',
  'commented',
  // feedback and the end
  'fed_back',
  'rating_code_renewed',
  'rated',
  'archived',
  // the system's own
  'notification_failed',
  'workflow_continued',
  'workflow_restarted',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];

/**
 * The entries of a case's deadline history: each handover starts a clock; an extension asked for and decided; the
 * deadline passed; a deadline counted again. GET /events/{id} marks them (`aboutDeadline`): the pages follow the mark.
 */
const DEADLINE_HISTORY_TYPES: ReadonlySet<TimelineType> = new Set<TimelineType>([
  ...HANDOVER_TYPES,
  'extension_requested',
  'extension_approved',
  'extension_rejected',
  'overdue',
  'deadline_recomputed',
]);

export function isAboutDeadline(type: TimelineType): boolean {
  return DEADLINE_HISTORY_TYPES.has(type);
}

/**
 * Where an entry sorts in its case's timeline: by the version it produced (`000007`); a comment, which
 * produces none, right after the entry that was last when it was made, then by its time and id
 * (`000007#C2026-11-23T01:02:03.456Z#<id>`: `#` sorts before every digit, so before `000008`).
 */
export function timelineOrderKey(entry: { seq: number; id?: string; at: string }): string {
  const seq = String(entry.seq).padStart(6, '0');
  return entry.id === undefined ? seq : `${seq}#C${new Date(entry.at).toISOString()}#${entry.id}`;
}
