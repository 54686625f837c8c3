/** Resolves the SMS table (shared/domain/sms-rules.ts) for a case: the people and the parameters of each message. */
import { smsTime } from '../domain/messages';
import { EXTENSION_APPROVERS } from '../domain/permissions';
import { assigneeContacts, headOf } from '../domain/routing';
import { SMS_RULES, type Recipients, type SmsTrigger } from '../domain/sms-rules';
import type { Person } from '../domain/units';
import type { Case, Tier } from '../domain/types';
import { districtOf } from '../domain/unit-codes';
import type { CoreDependencies } from './dependencies';
import type { MessageRequest, MessagingDeps } from './notify';
import type { ReminderDeps } from './reminders';

/** Who gets a message and what it says come from the catalog and the directory. */
export type Addressing = Pick<CoreDependencies, 'catalog' | 'directory'>;

/** Sending also records failures on the case and folds reminders. */
export type NotifyDeps = Addressing & MessagingDeps & ReminderDeps;

export interface SmsExtras {
  /** Department codes for `department_heads` (district bureaus unless `departmentUnit` says otherwise). */
  departments?: string[];
  departmentUnit?: string;
  params?: Record<string, string>;
}

type Contact = Pick<Person, 'phone' | 'name'>;

export function baseParams(deps: Addressing, theCase: Case): Record<string, string> {
  const item = deps.catalog.item(theCase.itemCode);
  const grid = deps.directory.unit(theCase.gridCode);
  return {
    eventId: theCase.id,
    item: item?.name ?? theCase.itemCode,
    itemEn: item?.nameEn ?? theCase.itemCode,
    place: theCase.location?.address ?? grid?.name ?? theCase.gridCode,
    deadline: theCase.deadlineAt ? smsTime(theCase.deadlineAt) : '',
    assignee: theCase.assignee?.name ?? '',
    level: ['一', '二', '三', '四'][theCase.severity - 1],
  };
}

/** The messages a trigger sends for this case (one per distinct phone). */
export function messagesFor(deps: Addressing, trigger: SmsTrigger, theCase: Case, extras: SmsExtras = {}): MessageRequest[] {
  const rule = SMS_RULES[trigger];
  const params = { ...baseParams(deps, theCase), ...extras.params };
  const seen = new Set<string>();
  const messages: MessageRequest[] = [];
  for (const recipients of rule.to) {
    for (const contact of resolve(deps, recipients, theCase, extras)) {
      if (!contact.phone || seen.has(contact.phone)) continue;
      seen.add(contact.phone);
      messages.push({ to: contact, recipientRole: recipients, template: rule.template, params });
    }
  }
  return messages;
}

function resolve(deps: Addressing, recipients: Recipients, theCase: Case, extras: SmsExtras): Contact[] {
  const { directory } = deps;
  const district = districtOf(theCase.gridCode);
  const community = directory.ancestor(theCase.gridCode, 'community');
  switch (recipients) {
    case 'handler':
      return theCase.assignee ? assigneeContacts(directory, theCase.assignee) : [];
    case 'head': {
      if (!theCase.assignee) return community ? compact([directory.unitHead(community.code)]) : [];
      return compact([headOf(directory, theCase.assignee)]);
    }
    case 'reporters':
      return [theCase.reporter, ...(theCase.linkedReporters ?? [])].flatMap((reporter) =>
        reporter?.phone ? [{ phone: reporter.phone, name: reporter.name ?? '反映人' }] : [],
      );
    case 'grid_workers': {
      const workers = directory.gridWorkers(theCase.gridCode);
      return workers.length > 0 || !community ? workers : directory.unitStaff(community.code);
    }
    case 'community_head':
      return community ? compact([directory.unitHead(community.code)]) : [];
    case 'district_center':
      return directory.unitStaff(district);
    case 'leadership':
      return directory.peopleWithRole('leader', district);
    case 'department_heads':
      return compact((extras.departments ?? []).map((code) => directory.departmentHead(code, extras.departmentUnit ?? district)));
    case 'approver':
      return approverContacts(deps, theCase.tier, theCase.gridCode);
  }
}

/** The people who decide an extension at the case's tier (EXTENSION_APPROVERS), head first. */
function approverContacts(deps: Addressing, tier: Tier, gridCode: string): Contact[] {
  const { role, level } = EXTENSION_APPROVERS[tier];
  const unit = deps.directory.ancestor(gridCode, level);
  if (!unit) return [];
  return deps.directory.peopleWithRole(role, unit.code).sort((a, b) => Number(Boolean(b.head)) - Number(Boolean(a.head)));
}

function compact<T>(values: (T | undefined)[]): T[] {
  return values.filter((value): value is T => value !== undefined);
}
