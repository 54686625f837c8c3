/**
 * The verified reporter asks for a new rating code (POST /events/{id}/rating-code, issue 13 item 4): after the code
 * went void (the case's tries, `ratingTriesPerCase`) or the SMS was lost. The reporter token must carry the case's
 * own reporter phone; the new code replaces the old one, gets tries of its own, and is texted to that phone only —
 * an SMS like any other, stored with the change and counted against the phone's daily cap by the sender.
 */
import { randomInt } from 'node:crypto';
import { conflict, forbidden, notFound, unauthorized } from '../domain/errors';
import { maskPhone } from '../domain/messages';
import { toE164 } from '../domain/phones';
import { ACTION_RULES } from '../domain/permissions';
import { buildChange } from './changes';
import type { CoreDependencies } from './dependencies';
import { baseParams } from './lifecycle-messages';
import { withMessages } from './notify';
import { enforceDailyLimit } from './request-guards';
import { updateCase } from './update-case';
import { reporterProof } from './verify-phone';

export type RenewDeps = Pick<CoreDependencies, 'cases' | 'guards' | 'clock' | 'policy' | 'reporterCredentials' | 'catalog' | 'directory'>;

export async function renewRatingCode(deps: RenewDeps, eventId: string, token: string | undefined): Promise<{ sentTo: string }> {
  if (token === undefined) throw refusal('send your reporter token (POST /verifications/confirm) as X-Reporter-Token', 'missing');
  const proof = reporterProof(deps, token);
  if ('problem' in proof) throw refusal(proof.problem, 'invalid');
  const stored = await deps.cases.get(eventId);
  if (!stored) throw notFound(`Event ${eventId} does not exist`);
  const phone = stored.case.reporter?.phone;
  if (!phone || toE164(phone) !== proof.phone) throw forbidden(`Only the reporter of event ${eventId} may ask for its rating code`);
  await enforceDailyLimit(
    deps,
    'ratingCodesPerCasePerDay',
    `rating-code#${eventId}`,
    (perDay) => `At most ${perDay} new rating codes a day for one case; the grid worker can record the rating (回访)`,
  );
  const now = deps.clock.now();
  await updateCase(deps, eventId, ({ case: theCase }) => {
    const refusal = ACTION_RULES.rate.refuse?.(theCase);
    if (refusal || theCase.stage !== 'feedback' || !theCase.ratingCode)
      throw conflict(`Event ${eventId} has no rating open: ${refusal ?? `it is ${theCase.stage}`}`);
    const after = { ...theCase, ratingCode: String(randomInt(100_000, 1_000_000)), ratingCodeIssue: (theCase.ratingCodeIssue ?? 0) + 1 };
    const change = buildChange(theCase, after, {
      type: 'rating_code_renewed',
      actor: { id: 'reporter', name: '反映人 reporter', role: 'citizen' },
      at: now,
      note: `A new rating code was texted to the reporter (${maskPhone(phone)}); the old one is void`,
    });
    return withMessages(change, [
      {
        to: { phone, name: theCase.reporter?.name ?? '反映人' },
        recipientRole: 'reporters',
        template: 'rating_code_renewed',
        params: { ...baseParams(deps, theCase), ratingCode: after.ratingCode },
      },
    ]);
  });
  return { sentTo: maskPhone(phone) };
}

/** A missing or unusable reporter token: 401 naming the header. */
const refusal = (why: string, message: 'missing' | 'invalid') =>
  unauthorized(`X-Reporter-Token: ${why}`, [{ field: 'X-Reporter-Token', message }]);
