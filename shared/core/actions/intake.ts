/** A resident's report at intake: 立案 accepted, 作废 voided, or linked as a duplicate of an open case. */
import type { Caller } from '../../domain/caller';
import { unprocessable } from '../../domain/errors';
import { canSeeCase } from '../../domain/permissions';
import type { Case } from '../../domain/types';
import type { StoredCase } from '../../ports/cases';
import { withClock } from '../case-moves';
import { buildChange } from '../changes';
import type { CoreDependencies } from '../dependencies';
import { recorded, type ActionFamily } from './outcome';

export const INTAKE_ACTIONS: ActionFamily<'accept_report' | 'void_report' | 'link_duplicate'> = {
  accept_report: (context, theCase, input) =>
    recorded(input, { ...withClock(theCase, undefined), acceptedAt: context.at }, 'accepted', { count: ['accepted'] }),

  void_report: (context, theCase, input) =>
    recorded(
      input,
      { ...withClock(theCase, undefined), stage: 'voided', status: 'closed', closedAt: context.at, voidReason: input.note },
      'voided',
      { count: ['voided'], sms: [{ trigger: 'voided', extras: { params: { result: input.note } } }] },
    ),

  /** This report is the same matter as the original: it closes here and follows the original, whose reporters grow. */
  link_duplicate: ({ deps, caller, at }, theCase, input) => {
    const originalId = input.duplicateOf;
    return {
      after: {
        ...withClock(theCase, undefined),
        stage: 'voided',
        status: 'closed',
        closedAt: at,
        duplicateOf: originalId,
        voidReason: `重复反映，并入 ${originalId} duplicate of ${originalId}`,
      },
      type: 'linked_as_duplicate',
      note: input.note,
      data: { duplicateOf: originalId },
      count: ['duplicates'],
      sms: [],
      related: async (when, actor) => {
        const stored = await checkLinkTarget(deps, caller, theCase.id, originalId);
        const original = stored.case;
        const after: Case = {
          ...original,
          linkedReports: [...new Set([...(original.linkedReports ?? []), theCase.id])],
          linkedReporters: [...(original.linkedReporters ?? []), ...(theCase.reporter?.phone ? [theCase.reporter] : [])],
        };
        // The original's own waiting task stays as it is.
        return buildChange(original, after, {
          type: 'duplicate_linked',
          actor,
          at: when,
          data: { report: theCase.id },
          note: input.note,
          waitingTask: stored.waitingTask ?? null,
        });
      },
    };
  },
};

/** The case a report is linked to: open, visible to the caller, the same item, not itself. */
export async function checkLinkTarget(
  deps: Pick<CoreDependencies, 'cases'>,
  caller: Caller,
  eventId: string,
  originalId: string,
): Promise<StoredCase> {
  if (originalId === eventId)
    throw unprocessable('A report cannot be a duplicate of itself', [{ field: 'duplicateOf', message: 'same event' }]);
  const [original, report] = await Promise.all([deps.cases.get(originalId), deps.cases.get(eventId)]);
  if (!original || !canSeeCase(caller, original.case))
    throw unprocessable(`Event ${originalId} does not exist or is outside your units`, [
      { field: 'duplicateOf', message: 'unknown event' },
    ]);
  if (original.case.status !== 'open')
    throw unprocessable(`Event ${originalId} is closed; link reports to an open case`, [{ field: 'duplicateOf', message: 'closed' }]);
  if (report && original.case.itemCode !== report.case.itemCode)
    throw unprocessable(`Event ${originalId} is a different matter`, [{ field: 'duplicateOf', message: 'different item' }]);
  return original;
}
