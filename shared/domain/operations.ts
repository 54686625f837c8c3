/**
 * Who may do what besides the actions on a case (those are `ACTION_RULES` in permissions.ts): report a
 * matter, handle cases, be sent a case by name, send and answer campaigns, log and read patrols, read
 * reports. The use cases check these roles; the README prints this table beside the actions table
 * (`npm run docs`). `scope` says which units or cases the role may do it for; the use case checks that.
 */
import { ROLES, type Role } from './types';

export const OPERATIONS = [
  'report',
  'handle',
  'act_for_unit',
  'be_assigned_by_name',
  'send_campaign',
  'answer_campaign',
  'see_campaigns',
  'patrol_daily',
  'patrol_weekly',
  'patrol_monthly',
  'see_patrols',
  'see_boundaries',
  'read_unit_report',
  'read_department_report',
  'read_local_outbox',
  'read_reference',
  'administer_reference',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface OperationRule {
  roles: readonly Role[];
  /** Which units or cases the role may do it for. */
  scope: string;
  summary: string;
}

/**
 * Who staffs the station or center of a unit at each level (they get the unit's notifications, head first) and who
 * acts for the unit when it is a case's handler: its staff, and for the district its leaders as well.
 */
export const UNIT_STAFF = {
  community: { staff: 'community_station', actFor: ['community_station'] },
  town: { staff: 'town_center', actFor: ['town_center'] },
  district: { staff: 'district_center', actFor: ['district_center', 'leader'] },
} as const satisfies Record<string, { staff: Role; actFor: readonly Role[] }>;

export type StaffedLevel = keyof typeof UNIT_STAFF;

/** The roles that staff a unit's station or center (not deputies, admins, leaders or departments). */
export const STATION_ROLES: readonly Role[] = Object.values(UNIT_STAFF).map((unit) => unit.staff);

/** Whether a person of this role acts for a unit of this level when the unit is the handler. */
export function actsForUnitAt(role: Role, level: string | undefined): boolean {
  const staffed = level !== undefined && level in UNIT_STAFF ? UNIT_STAFF[level as StaffedLevel] : undefined;
  return (staffed?.actFor as readonly Role[] | undefined)?.includes(role) ?? false;
}

/** Department staff work on their team's cases only: no unit-wide views (campaigns, patrols, unit reports). */
const ALL_BUT_DEPARTMENTS: readonly Role[] = ROLES.filter((role) => role !== 'department');

export const OPERATION_RULES: Record<Operation, OperationRule> = {
  report: {
    roles: ['grid_worker', 'community_station', 'town_center', 'district_center', 'admin'],
    scope: 'a grid within their units (residents report without a token)',
    summary: '`POST /events` 上报/反映 report a matter',
  },
  handle: {
    roles: ['grid_worker', 'community_station', 'town_center', 'district_center', 'department', 'leader'],
    scope: 'the cases assigned to them, to their unit or to their department team',
    summary: "be a case's handler: the handler's actions, and their own open cases (`GET /events?mine=true`)",
  },
  act_for_unit: {
    roles: [...new Set(Object.values(UNIT_STAFF).flatMap((unit) => unit.actFor))],
    scope: "the unit they staff at its level (UNIT_STAFF): a community's station, a street's center, the district's center and leaders",
    summary: 'act for a unit when the unit is the handler (a case sent to a station or center)',
  },
  be_assigned_by_name: {
    roles: ['grid_worker', 'community_station', 'town_center', 'district_center', 'leader'],
    scope: "people of the dispatching center's unit",
    summary: 'be sent a case by name (`assign` with `person`); department staff are sent cases as a team',
  },
  send_campaign: {
    roles: ['town_center', 'community_station'],
    scope: 'units within theirs',
    summary: '`POST /campaigns` 专项行动 send a campaign to the grid workers of some units',
  },
  answer_campaign: {
    roles: ['grid_worker'],
    scope: 'the campaigns sent to them',
    summary: '`POST /campaigns/{id}/responses` answer a campaign',
  },
  see_campaigns: {
    roles: ALL_BUT_DEPARTMENTS,
    scope: 'units within theirs; a grid worker sees the campaigns sent to them and their own entry',
    summary: '`GET /campaigns`, `GET /campaigns/{id}` campaigns and who has answered',
  },
  patrol_daily: {
    roles: ['grid_worker'],
    scope: 'a grid within their units',
    summary: '`POST /patrols` kind daily: 每日一巡查 patrol a grid',
  },
  patrol_weekly: {
    roles: ['community_station'],
    scope: 'a community within their units',
    summary: '`POST /patrols` kind weekly: 每周一排查 check a community',
  },
  patrol_monthly: {
    roles: ['town_center'],
    scope: 'a town within their units',
    summary: '`POST /patrols` kind monthly: 每月一检查 inspect a town',
  },
  see_patrols: {
    roles: ALL_BUT_DEPARTMENTS,
    scope: 'units within theirs',
    summary: "`GET /patrols` a day's patrols and the grids' coverage",
  },
  see_boundaries: {
    roles: ROLES,
    scope: 'units within theirs',
    summary: '`GET /boundaries` the outlines of a unit and the units below it (the map)',
  },
  read_unit_report: {
    roles: ALL_BUT_DEPARTMENTS,
    scope: 'a unit within theirs',
    summary: "`GET /reports/{kind}?unit=` a unit's daily, weekly, monthly or quarterly report",
  },
  read_department_report: {
    roles: ROLES,
    scope: "department staff: their own team's; others: a department's team at a unit within theirs",
    summary: "`GET /reports/{kind}?department=` a department team's figures",
  },
  read_local_outbox: {
    roles: ['district_center', 'admin'],
    scope: 'local mode only: every message sent, phones masked, no rating codes',
    summary: '`GET /_local/outbox` the SMS local mode sent',
  },
  read_reference: {
    roles: ['district_center', 'admin'],
    scope: 'the whole installation',
    summary: '`GET /admin/reference…` the reference versions (units, people, catalog, calendars), their audit and documents',
  },
  administer_reference: {
    roles: ['admin'],
    scope: 'the whole installation',
    summary: '`POST /admin/reference/{validate,apply,rollback}` validate, apply or roll back a reference version',
  },
};

export function mayDo(role: Role, operation: Operation): boolean {
  return OPERATION_RULES[operation].roles.includes(role);
}
