/** The timeline's vocabulary (shared/domain/timeline.ts): every entry type once; the handovers among them. */
import { HANDOVER_TYPES, TIMELINE_TYPES } from '../../shared/domain/timeline';

test('each timeline type is listed once, the handovers included', () => {
  expect(new Set(TIMELINE_TYPES).size).toBe(TIMELINE_TYPES.length);
  for (const type of HANDOVER_TYPES) expect(TIMELINE_TYPES).toContain(type);
});
