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

/**
 * The most reports one case takes as duplicates. They and their reporters are kept on the case itself (DynamoDB: an
 * item stops at 400 KB; a reporter with a 50-character name and the report's id take up to about 200 bytes), and its
 * feedback texts every reporter in one change (a transaction stops at 4 MB; a feedback SMS stored takes about 1 KB,
 * 2.5 KB with every parameter at its longest): 1,000 keeps both inside even at their longest (200 KB of the case,
 * 2.5 MB of the feedback). Past it a report is handled on its own (or voided with a note while it awaits
 * acceptance), which tells its reporter too.
 */
export const MAX_LINKED_REPORTS = 1000;

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
  if ((original.case.linkedReports ?? []).length >= MAX_LINKED_REPORTS)
    throw unprocessable(
      `Event ${originalId} already has ${MAX_LINKED_REPORTS} reports linked, the most a case takes: handle this report on its own, or void it with a note while it awaits acceptance (its reporter is told either way)`,
      [{ field: 'duplicateOf', message: 'too many linked reports' }],
    );
  return original;
}
