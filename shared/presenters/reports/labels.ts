/** The reports' labels, Chinese with English alongside: the HTML page, its charts and the CSV all use them. */
import { toLocalIso } from '../../domain/calendar';
import type { ReportKind } from '../../domain/periods';
import type { Report, Total } from '../../domain/reports';
import type { Tier, UnitLevel } from '../../domain/types';

export type Label = readonly [zh: string, en: string];

export const REPORT_TITLES: Record<ReportKind, Label> = {
  daily: ['日汇总', 'Daily summary'],
  weekly: ['周研判', 'Weekly analysis'],
  monthly: ['月通报', 'Monthly bulletin'],
  quarterly: ['季分析', 'Quarterly analysis'],
};

export const TOTAL_LABELS: Record<Total, Label> = {
  reported: ['上报', 'Reported'],
  accepted: ['立案', 'Accepted'],
  voided: ['作废', 'Voided'],
  duplicates: ['重复', 'Duplicates'],
  routed: ['分流', 'Routed'],
  acknowledged: ['签收', 'Acknowledged'],
  notAcknowledged: ['未及时签收', 'Not acknowledged in time'],
  handled: ['办理', 'Handled'],
  handledOnTime: ['按期办理', 'Handled on time'],
  verifiedPassed: ['核查通过', 'Verified'],
  fedBack: ['已反馈', 'Fed back'],
  closed: ['办结', 'Closed'],
  closedOnTime: ['按期办结', 'Closed on time'],
  overdue: ['逾期', 'Overdue'],
  escalated: ['上报上级', 'Escalated'],
  returned: ['退回', 'Returned'],
  reassigned: ['改派', 'Reassigned'],
  reworked: ['返工', 'Reworked'],
  extended: ['延期', 'Extended'],
  jointMeeting: ['联席会议', 'Joint meeting'],
  throughTrain: ['直通车', 'Through train'],
  nudged: ['督办', 'Nudged'],
  rated: ['评价', 'Rated'],
  ratingTotal: ['评分合计', 'Rating total'],
  reopened: ['重办', 'Reopened'],
  patrols: ['巡查', 'Patrols'],
  patrolledGrids: ['已巡网格·日', 'Grid-days patrolled'],
};

export const RATE_LABELS = {
  onTimeClosure: ['按期办结率', 'On-time closure rate'],
  satisfaction: ['满意度', 'Satisfaction (1–5)'],
  patrolCoverage: ['巡查覆盖率', 'Patrol coverage'],
} as const satisfies Record<string, Label>;

export const OPEN_LABEL: Label = ['在办', 'Open'];
export const DUE_LABEL: Label = ['应办结', 'Due'];

export const LEVEL_LABELS: Record<UnitLevel, Label> = {
  district: ['区', 'District'],
  town: ['镇/街道', 'Town/street'],
  community: ['村/社区', 'Community'],
  grid: ['网格', 'Grid'],
};

export const DEPARTMENT_LABEL: Label = ['部门', 'Department'];

export const TIER_LABELS: Record<Tier, Label> = {
  grid: ['网格', 'Grid'],
  community: ['村居', 'Community'],
  town: ['镇街', 'Town/street'],
  district: ['区', 'District'],
  joint_meeting: ['联席会议', 'Joint meeting'],
  through_train: ['直通车', 'Through train'],
};

export const SEVERITY_LABELS: Record<number, Label> = {
  1: ['一级', 'Level 1'],
  2: ['二级', 'Level 2'],
  3: ['三级', 'Level 3'],
  4: ['四级', 'Level 4'],
};

/** "上报 Reported": for plain text (CSV, SVG tooltips). */
export function labelText([zh, en]: Label): string {
  return `${zh} ${en}`;
}

/** The label of a key (a tier, a severity) as text; the key itself when it has none. */
export function labelOf(labels: Record<string | number, Label>, key: string | number): string {
  const label = labels[key];
  return label ? labelText(label) : String(key);
}
/** The scope's kind: the unit's level, or a department team. */
export function scopeLabel(report: Report): Label {
  if (report.scope.kind === 'department') return DEPARTMENT_LABEL;
  return report.scope.level ? LEVEL_LABELS[report.scope.level] : ['单位', 'Unit'];
}

/** '2026-12-01 07:00' in Asia/Shanghai, from any ISO instant; the text itself if it is not one. */
export function localTime(iso: string | undefined): string {
  if (!iso) return '';
  const instant = new Date(iso);
  if (Number.isNaN(instant.getTime())) return iso;
  return toLocalIso(instant).slice(0, 16).replace('T', ' ');
}
