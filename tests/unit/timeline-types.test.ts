/** The timeline's vocabulary (shared/domain/timeline.ts): every entry type once; the handovers among them. */
import { HANDOVER_TYPES, isAboutDeadline, TIMELINE_TYPES } from '../../shared/domain/timeline';

test('each timeline type is listed once, the handovers included', () => {
  expect(new Set(TIMELINE_TYPES).size).toBe(TIMELINE_TYPES.length);
  for (const type of HANDOVER_TYPES) expect(TIMELINE_TYPES).toContain(type);
});

test("the deadline's history: every handover (each starts a clock), the extensions, overdue and a recount; nothing else", () => {
  expect(TIMELINE_TYPES.filter(isAboutDeadline)).toEqual([
    ...HANDOVER_TYPES,
    'extension_requested',
    'extension_approved',
    'extension_rejected',
    'overdue',
    'deadline_recomputed',
  ]);
});
