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
  // supervision and notes
  'nudged',
  'department_invited',
  'evaluated',
  'commented',
  // feedback and the end
  'fed_back',
  'rated',
  'archived',
  // the system's own
  'notification_failed',
  'workflow_continued',
  'workflow_restarted',
] as const;
export type TimelineType = (typeof TIMELINE_TYPES)[number];
