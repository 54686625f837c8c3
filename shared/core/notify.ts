/**
 * SMS are stored before they are sent: the SMS a change of a case causes go into the change's own transaction
 * (`withMessages`), others are stored alone (`queueMessages`). The SMS sender, fed by the table's stream,
 * sends each (deliver-sms.ts). So nothing that answers a request waits for SMS, and nothing it caused is lost
 * when it stops between its commit and a send.
 */
import { randomUUID } from 'node:crypto';
import { toLocalIso } from '../domain/calendar';
import { renderMessage, type TemplateName } from '../domain/messages';
import type { Person } from '../domain/units';
import type { OutgoingMessage } from '../ports/notifier';
import type { CaseChange } from '../ports/cases';
import type { SmsIntent } from '../ports/sms-intents';
import type { CoreDependencies } from './dependencies';

export interface MessageRequest {
  to: Pick<Person, 'phone' | 'name'>;
  recipientRole: string;
  template: TemplateName;
  params: Record<string, string>;
}

/** What storing SMS to send needs. */
export type MessagingDeps = Pick<CoreDependencies, 'smsIntents' | 'clock'>;

/** About a case (`eventId`), or several (a reminder digest lists each in `eventIds`, the first in `eventId`). */
export interface MessageSubject {
  eventId?: string;
  eventIds?: string[];
}

/** Stores SMS that no case change causes (digests, campaigns, patrol checks, reports ready): the sender sends them. */
export async function queueMessages(deps: MessagingDeps, subject: MessageSubject, requests: MessageRequest[]): Promise<void> {
  if (requests.length === 0) return;
  const createdAt = toLocalIso(deps.clock.now());
  await deps.smsIntents.add(requests.map((request) => ({ id: randomUUID(), message: outgoing(request, subject), createdAt })));
}

/**
 * The change with the SMS it causes, stored in its transaction. Their ids are the case's id, the change's
 * version and their place, so a change retried after a conflict (a new version) stores its own, once.
 */
export function withMessages(change: CaseChange, requests: MessageRequest[]): CaseChange {
  if (requests.length === 0) return change;
  const { case: theCase } = change;
  const intents: SmsIntent[] = requests.map((request, index) => ({
    id: `${theCase.id}.${theCase.version}.${(change.messages?.length ?? 0) + index + 1}`,
    message: outgoing(request, { eventId: theCase.id }),
    createdAt: theCase.updatedAt,
  }));
  return { ...change, messages: [...(change.messages ?? []), ...intents] };
}

function outgoing(request: MessageRequest, subject: MessageSubject): OutgoingMessage {
  return {
    to: request.to.phone,
    recipientRole: request.recipientRole,
    ...(subject.eventId ? { eventId: subject.eventId } : {}),
    ...(subject.eventIds ? { eventIds: subject.eventIds } : {}),
    ...renderMessage(request.template, request.params),
  };
}
