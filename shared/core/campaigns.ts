/**
 * 闭环排查 campaigns (story 5): a town center or community station sends a task (title, instructions,
 * deadline) to every grid worker of the units it names; each gets an SMS and answers; the center sees who
 * has and has not answered; the campaign-reminders job (09:00 and 15:00) reminds those who have not, once
 * a day, from a day before the deadline until a week after it. An answer after the deadline is accepted
 * and marked late.
 */
import { actorOf, canSeeUnit, type Caller } from '../domain/caller';
import { localDate, toLocalIso } from '../domain/calendar';
import { unitsOverlap, type Campaign, type CampaignResponse, type CampaignSummary, type CampaignTarget } from '../domain/campaigns';
import { badRequest, forbidden, notFound, unprocessable } from '../domain/errors';
import { mayDo } from '../domain/operations';
import { smsTime } from '../domain/messages';
import { districtOf } from '../domain/unit-codes';
import type { CampaignResponseInput, CreateCampaignInput, ListCampaignsInput } from '../domain/field-work-inputs';
import type { CoreDependencies } from './dependencies';

/** Campaigns live in the field-work store; their tasks and reminders go out by SMS (once a day per target: guards). */
type CampaignDeps = Pick<CoreDependencies, 'fieldWork' | 'guards' | 'directory' | 'clock' | 'logger'> & MessagingDeps;
import { newEventId } from './ids';
import { queueMessages, type MessageRequest, type MessagingDeps } from './notify';

/** Reminders start a day before the deadline and stop a week after it. */
const REMIND_BEFORE_MS = 24 * 3600_000;
const REMIND_AFTER_MS = 7 * 86_400_000;
/** SMS sent in parallel when a campaign goes out. */
const SMS_AT_ONCE = 8;
/** A list shows campaigns due from 90 days ago unless asked otherwise. */
const LIST_LOOKBACK_MS = 90 * 86_400_000;

export interface CampaignEntry {
  person: string;
  name: string;
  grid: string;
  gridName?: string;
}

export interface RespondedEntry extends CampaignEntry {
  at: string;
  firstAt: string;
  late: boolean;
  done: boolean;
  note: string;
  photos: string[];
  responses: number;
}

export type CampaignView = Omit<Campaign, 'targets'> & {
  targets: number;
  responded: RespondedEntry[];
  notResponded: CampaignEntry[];
};

export async function createCampaign(deps: CampaignDeps, caller: Caller, body: CreateCampaignInput): Promise<CampaignView> {
  if (!mayDo(caller.role, 'send_campaign'))
    throw forbidden(`A ${caller.role} may not send campaigns: a town center or community station does`);
  const now = deps.clock.now();
  const deadline = new Date(body.deadlineAt);
  if (deadline.getTime() <= now.getTime())
    throw unprocessable('deadlineAt must be in the future', [{ field: 'deadlineAt', message: 'in the past' }]);
  const units = [...new Set(body.units)];
  units.forEach((code, index) => {
    if (!deps.directory.unit(code))
      throw unprocessable(`units.${index}: ${code} is not a unit of this district`, [
        { field: `units.${index}`, message: 'unknown unit code' },
      ]);
  });
  const outside = units.filter((code) => !canSeeUnit(caller, code));
  if (outside.length) throw forbidden(`Outside your units: ${outside.join(', ')}`);

  const targets = new Map<string, CampaignTarget>();
  for (const grid of deps.directory
    .allUnits()
    .filter((unit) => unit.level === 'grid' && units.some((code) => unit.code.startsWith(code)))) {
    for (const worker of deps.directory.gridWorkers(grid.code)) {
      if (!targets.has(worker.id)) targets.set(worker.id, { person: worker.id, name: worker.name, grid: grid.code, phone: worker.phone });
    }
  }
  if (targets.size === 0)
    throw unprocessable('No grid worker works a grid under these units', [{ field: 'units', message: 'no grid workers' }]);

  const creatorUnits = caller.units.filter((scope) => units.some((code) => code.startsWith(scope)));
  const campaign: Campaign = {
    id: newEventId(now).replace(/^E/, 'C'),
    title: body.title,
    instructions: body.instructions,
    deadlineAt: toLocalIso(deadline),
    units,
    district: districtOf(units[0]),
    createdBy: actorOf(caller),
    creatorUnits,
    createdAt: toLocalIso(now),
    targets: [...targets.values()].sort((a, b) => a.grid.localeCompare(b.grid) || a.person.localeCompare(b.person)),
  };
  await deps.fieldWork.createCampaign(campaign);

  const by = deps.directory.unit(creatorUnits[0])?.name ?? caller.name;
  const params = { by, campaignId: campaign.id, title: campaign.title, deadline: smsTime(campaign.deadlineAt) };
  // A few at a time: a street's hundred workers are texted within the request's time.
  await inBatches(campaign.targets, SMS_AT_ONCE, (target) =>
    queueMessages(deps, {}, [{ to: target, recipientRole: 'grid_worker', template: 'campaign_task', params } satisfies MessageRequest]),
  );
  deps.logger.info('Campaign sent', { campaignId: campaign.id, targets: campaign.targets.length });
  return viewOf(deps, campaign, [], () => true);
}

export async function respondToCampaign(
  deps: CampaignDeps,
  caller: Caller,
  campaignId: string,
  body: CampaignResponseInput,
): Promise<{ response: CampaignResponse; first: boolean }> {
  const stored = await deps.fieldWork.getCampaign(campaignId);
  if (!stored) throw notFound(`Campaign ${campaignId} does not exist`);
  const { campaign } = stored;
  if (!mayDo(caller.role, 'answer_campaign'))
    throw forbidden(`A ${caller.role} does not answer campaigns: the grid workers it was sent to do`);
  const target = campaign.targets.find((candidate) => candidate.person === caller.person);
  if (!target) throw forbidden(`Campaign ${campaignId} was not sent to you`);
  const now = deps.clock.now();
  const late = now.getTime() > Date.parse(campaign.deadlineAt);
  return deps.fieldWork.saveCampaignResponse(campaign, {
    campaignId,
    person: target.person,
    name: target.name,
    grid: target.grid,
    note: body.note,
    photos: body.photos,
    done: body.done,
    at: toLocalIso(now),
    late,
  });
}

/**
 * A campaign with who has and has not answered. The staff of the creator's units see every target; staff of
 * a targeted unit see the targets in their units; a targeted grid worker sees the campaign and their own entry.
 * Anyone else: 404.
 */
export async function getCampaign(deps: CampaignDeps, caller: Caller, campaignId: string): Promise<CampaignView> {
  const stored = await deps.fieldWork.getCampaign(campaignId);
  const missing = notFound(`Campaign ${campaignId} does not exist or is not yours to see`);
  if (!stored || !mayDo(caller.role, 'see_campaigns')) throw missing;
  const { campaign, responses } = stored;
  let visible: (target: CampaignTarget) => boolean;
  if (caller.role === 'grid_worker') {
    visible = (target) => target.person === caller.person;
  } else {
    const seesAll = campaign.creatorUnits.some((unit) => canSeeUnit(caller, unit));
    visible = (target) => seesAll || canSeeUnit(caller, target.grid);
  }
  if (!campaign.targets.some(visible)) throw missing;
  return viewOf(deps, campaign, responses, visible);
}

/** Campaigns of a unit: those naming it, a unit above it or below it, or sent by it; latest deadline first. */
export async function listCampaigns(
  deps: CampaignDeps,
  caller: Caller,
  query: ListCampaignsInput,
): Promise<{ unit: string; items: CampaignSummary[] }> {
  if (!mayDo(caller.role, 'see_campaigns')) throw forbidden('Department staff do not see campaigns');
  const unit = query.unit ?? onlyUnit(caller);
  if (!canSeeUnit(caller, unit)) throw forbidden(`Unit ${unit} is outside your units`);
  const now = deps.clock.now();
  const from = query.from ? new Date(query.from) : new Date(now.getTime() - LIST_LOOKBACK_MS);
  const to = query.to ? new Date(query.to) : new Date('9999-12-31T00:00:00Z');
  if (from > to) throw badRequest('from must not be after to', [{ field: 'from', message: 'after to' }]);
  const summaries = await deps.fieldWork.campaignsByDeadline(districtOf(unit), from.toISOString(), to.toISOString());
  const items = summaries
    .filter(
      (summary) => summary.units.some((code) => unitsOverlap(code, unit)) || summary.creatorUnits.some((code) => code.startsWith(unit)),
    )
    .reverse();
  return { unit, items };
}

/**
 * The campaign reminders (job `campaign-reminders`, 09:00 and 15:00): for every campaign due within a day
 * or overdue by at most a week, SMS each target who has not answered — at most once per worker per
 * campaign per day. Returns the number of reminders sent.
 */
export async function remindLateCampaignTargets(deps: CampaignDeps, at: Date): Promise<number> {
  const day = localDate(at);
  const expiresAt = new Date(at.getTime() + 3 * 86_400_000);
  const from = new Date(at.getTime() - REMIND_AFTER_MS).toISOString();
  const to = new Date(at.getTime() + REMIND_BEFORE_MS).toISOString();
  let reminders = 0;
  for (const district of deps.directory.districts()) {
    for (const summary of await deps.fieldWork.campaignsByDeadline(district, from, to)) {
      if (summary.responded >= summary.targets) continue;
      const stored = await deps.fieldWork.getCampaign(summary.id);
      if (!stored) continue;
      const answered = new Set(stored.responses.map((response) => response.person));
      const params = { campaignId: summary.id, title: summary.title, deadline: smsTime(stored.campaign.deadlineAt) };
      for (const target of stored.campaign.targets.filter((candidate) => !answered.has(candidate.person))) {
        if (!(await deps.guards.claimOnce(`campaign-remind#${summary.id}#${day}#${target.person}`, expiresAt))) continue;
        // The roster's current phone, if the worker is still on it.
        const recipient = deps.directory.person(target.person) ?? target;
        await queueMessages(deps, {}, [{ to: recipient, recipientRole: 'grid_worker', template: 'campaign_reminder', params }]);
        reminders++;
      }
    }
  }
  return reminders;
}

function viewOf(
  deps: CampaignDeps,
  campaign: Campaign,
  responses: CampaignResponse[],
  visible: (target: CampaignTarget) => boolean,
): CampaignView {
  const byPerson = new Map(responses.map((response) => [response.person, response]));
  const shown = campaign.targets.filter(visible);
  const entry = (target: CampaignTarget): CampaignEntry => ({
    person: target.person,
    name: target.name,
    grid: target.grid,
    gridName: deps.directory.unit(target.grid)?.name,
  });
  const responded: RespondedEntry[] = shown
    .flatMap((target) => {
      const response = byPerson.get(target.person);
      if (!response) return [];
      return [
        {
          ...entry(target),
          at: response.at,
          firstAt: response.firstAt,
          late: response.late,
          done: response.done,
          note: response.note,
          photos: response.photos,
          responses: response.responses,
        },
      ];
    })
    .sort((a, b) => Date.parse(a.firstAt) - Date.parse(b.firstAt));
  const { targets, ...rest } = campaign;
  return {
    ...rest,
    targets: targets.length,
    responded,
    notResponded: shown.filter((target) => !byPerson.has(target.person)).map(entry),
  };
}

async function inBatches<T>(items: T[], size: number, each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += size) await Promise.all(items.slice(start, start + size).map(each));
}

function onlyUnit(caller: Caller): string {
  if (caller.units.length === 1) return caller.units[0];
  throw badRequest('unit is required when your token covers several units', [{ field: 'unit', message: 'required' }]);
}
