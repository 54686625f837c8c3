/** Who gets which SMS about a case, and with what parameters. */
import { smsTime, type TemplateName } from '../domain/messages';
import { assigneeContacts, headOf } from '../domain/routing';
import type { GridEvent } from '../domain/types';
import type { CoreDependencies } from './dependencies';
import type { MessageRequest } from './notify';

function baseParams(deps: CoreDependencies, event: GridEvent): Record<string, string> {
  const item = deps.catalog.item(event.itemCode);
  const grid = deps.directory.unit(event.gridCode);
  return {
    eventId: event.id,
    item: item?.name ?? event.itemCode,
    itemEn: item?.nameEn ?? event.itemCode,
    place: event.location?.address ?? grid?.name ?? event.gridCode,
    deadline: event.deadlineAt ? smsTime(event.deadlineAt) : '',
  };
}

/** To the handler's people when a case is assigned (分流/交办). */
export function assignmentMessages(deps: CoreDependencies, event: GridEvent): MessageRequest[] {
  if (!event.assignee) return [];
  const params = baseParams(deps, event);
  return assigneeContacts(deps.directory, event.assignee).map((person) => ({ to: person, recipientRole: 'assignee', template: 'case_assigned', params }));
}

/** To the grid's workers when a resident's report waits for acceptance (立案). */
export function acceptanceRequestMessages(deps: CoreDependencies, event: GridEvent): MessageRequest[] {
  const params = baseParams(deps, event);
  const workers = deps.directory.gridWorkers(event.gridCode);
  const community = deps.directory.ancestor(event.gridCode, 'community');
  const recipients = workers.length > 0 ? workers : community ? deps.directory.unitStaff(community.code) : [];
  return recipients.map((person) => ({ to: person, recipientRole: 'acceptor', template: 'report_to_accept', params }));
}

/** 督办 to the head of whoever let the deadline pass. */
export function overdueMessages(deps: CoreDependencies, event: GridEvent): MessageRequest[] {
  const params = baseParams(deps, event);
  if (event.stage === 'registered') {
    const community = deps.directory.ancestor(event.gridCode, 'community');
    const head = community && deps.directory.unitHead(community.code);
    return head ? [{ to: head, recipientRole: 'head', template: 'acceptance_overdue', params }] : [];
  }
  if (!event.assignee) return [];
  const head = headOf(deps.directory, event.assignee);
  return head ? [{ to: head, recipientRole: 'head', template: 'case_overdue', params: { ...params, assignee: event.assignee.name } }] : [];
}

/** To the reporter, if a phone was given: the result (反馈) or why the report was voided. */
export function reporterMessage(deps: CoreDependencies, event: GridEvent, template: Extract<TemplateName, 'feedback_to_reporter' | 'report_voided'>, result: string): MessageRequest | undefined {
  const phone = event.reporter?.phone;
  if (!phone) return undefined;
  return { to: { phone, name: event.reporter?.name ?? '反映人' }, recipientRole: 'reporter', template, params: { ...baseParams(deps, event), result } };
}
