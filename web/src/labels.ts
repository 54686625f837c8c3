/** Words of the page: Chinese with English beside it, as the reports print them. */
import type { ActionName, Role } from './types';
import type { TimelineType } from '../../shared/domain/timeline';
import type { ClockKind, Source, Stage, Tier } from '../../shared/domain/types';

export type Label = readonly [zh: string, en: string];

export const TIER_LABELS: Record<Tier, Label> = {
  grid: ['网格', 'Grid'],
  community: ['社区', 'Community'],
  town: ['街道', 'Street'],
  district: ['区', 'District'],
  joint_meeting: ['联席会议', 'Joint meeting'],
  through_train: ['直通车', 'Through train'],
};
export const TIERS = Object.keys(TIER_LABELS) as Tier[];

export const STAGE_LABELS: Record<Stage, Label> = {
  registered: ['登记', 'Registered'],
  routed: ['分流', 'Routed'],
  handling: ['办理', 'Handling'],
  verifying: ['核查', 'Verifying'],
  feedback: ['反馈', 'Feedback'],
  archived: ['归档', 'Archived'],
  voided: ['作废', 'Voided'],
};

export const ROLE_LABELS: Record<Role, Label> = {
  grid_worker: ['网格员', 'Grid worker'],
  community_station: ['社区网格站', 'Community station'],
  town_center: ['街道网格中心', 'Street center'],
  district_center: ['区网格中心', 'District center'],
  department: ['职能部门', 'Department'],
  supervisor: ['监督员', 'Supervisor'],
  leader: ['区领导', 'Leader'],
  admin: ['管理员', 'Admin'],
};
export const ROLES = Object.keys(ROLE_LABELS) as Role[];

export const SOURCE_LABELS: Record<Source, Label> = {
  grid_worker: ['网格员上报', 'Grid worker'],
  citizen: ['群众反映', 'Resident'],
  hotline: ['热线', 'Hotline'],
  patrol: ['巡查发现', 'Patrol'],
  assigned: ['上级交办', 'Assigned'],
};
export const SOURCES = Object.keys(SOURCE_LABELS) as Source[];

export const CLOCK_LABELS: Record<ClockKind, Label> = {
  acceptance: ['受理', 'Acceptance'],
  dispatch: ['分派', 'Dispatch'],
  handling: ['办理', 'Handling'],
  convene: ['召集会议', 'Convening'],
  meeting: ['会议办理', 'Meeting'],
  verification: ['核查', 'Verification'],
  rating: ['回访', 'Rating'],
};

export const ACTION_LABELS: Record<ActionName, Label> = {
  accept_report: ['立案', 'Accept'],
  void_report: ['作废', 'Void'],
  acknowledge: ['签收', 'Sign for'],
  complete: ['办结', 'Complete'],
  assign: ['分派', 'Assign'],
  return: ['退回', 'Return'],
  escalate: ['上报', 'Escalate'],
  request_extension: ['申请延期', 'Request extension'],
  approve_extension: ['批准延期', 'Approve extension'],
  reject_extension: ['驳回延期', 'Reject extension'],
  verify_pass: ['核查通过', 'Verified'],
  verify_fail: ['核查不通过', 'Not done'],
  convene_meeting: ['召集联席会议', 'Convene a meeting'],
  record_meeting_decision: ['会议决定', 'Record the decision'],
  through_train: ['直通车', 'Through train'],
  nudge: ['催办', 'Nudge'],
  invite_department: ['约请部门', 'Invite a department'],
  evaluate: ['评议', 'Evaluate'],
  rate: ['满意度回访', 'Record the rating'],
  comment: ['备注', 'Comment'],
  link_duplicate: ['重复件', 'Link as duplicate'],
};

export const TIMELINE_LABELS: Record<TimelineType, Label> = {
  routed: ['分流', 'Routed'],
  assigned: ['分派', 'Assigned'],
  auto_dispatched: ['自动分派', 'Dispatched by default'],
  through_train: ['直通车', 'Through train'],
  verification_failed: ['核查不通过', 'Verification failed'],
  reopened: ['重新办理', 'Reopened'],
  returned: ['退回', 'Returned'],
  escalated: ['上报', 'Escalated'],
  registered: ['登记', 'Registered'],
  awaiting_acceptance: ['待立案', 'Awaiting acceptance'],
  accepted: ['立案', 'Accepted'],
  voided: ['作废', 'Voided'],
  linked_as_duplicate: ['并入重复件', 'Linked as a duplicate'],
  duplicate_linked: ['重复件并入', 'Duplicate linked'],
  acknowledged: ['签收', 'Signed for'],
  completed: ['办结', 'Completed'],
  extension_requested: ['申请延期', 'Extension requested'],
  extension_approved: ['批准延期', 'Extension approved'],
  extension_rejected: ['驳回延期', 'Extension rejected'],
  verified: ['核查', 'Verified'],
  meeting_convened: ['召集联席会议', 'Meeting convened'],
  meeting_decided: ['会议决定', 'Meeting decided'],
  reminded: ['提醒', 'Reminded'],
  not_acknowledged: ['未签收', 'Not signed for'],
  overdue: ['超时', 'Overdue'],
  overdue_nudge: ['超时督办', 'Overdue nudge'],
  nudged: ['催办', 'Nudged'],
  department_invited: ['约请部门', 'Department invited'],
  evaluated: ['评议', 'Evaluated'],
  commented: ['备注', 'Comment'],
  fed_back: ['反馈', 'Fed back'],
  rating_code_renewed: ['重发评价码', 'Rating code renewed'],
  rated: ['满意度', 'Rated'],
  archived: ['归档', 'Archived'],
  notification_failed: ['短信失败', 'SMS failed'],
  workflow_continued: ['流程续接', 'Workflow continued'],
  workflow_restarted: ['流程重启', 'Workflow restarted'],
  deadline_recomputed: ['时限重算', 'Deadline recomputed'],
};

export const SEVERITY_LABELS: Record<number, Label> = {
  1: ['一级', 'Level 1'],
  2: ['二级', 'Level 2'],
  3: ['三级', 'Level 3'],
  4: ['四级', 'Level 4'],
};

export const both = (label: Label | undefined, fallback = ''): string => (label ? `${label[0]} ${label[1]}` : fallback);
