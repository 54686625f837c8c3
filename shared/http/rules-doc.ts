/**
 * The README's tables of who may do what (actions on a case, other operations) and who gets which SMS, written from the tables in code
 * (`npm run docs` rewrites them; a test fails when the README and the code disagree).
 */
import { OPERATION_RULES } from '../domain/operations';
import { ACTION_RULES, EXTENSION_APPROVER, type Who } from '../domain/permissions';
import { scoringRule } from '../domain/scoring';
import { ROLES, type Role } from '../domain/types';
import { SMS_RULES } from '../domain/sms-rules';

const WHO: Record<Who, string> = {
  in_scope: 'anyone of these roles whose units cover the case',
  handler: "the case's handler only",
  center: "the center of the case's tier (street center for street cases, district center for district cases)",
  approver: `the approver of the case's tier (${Object.entries(EXTENSION_APPROVER)
    .map(([tier, role]) => `${tier}: ${role}`)
    .join(
      ', ',
    )}), never the one who asked; when the one who asked is of that role, the next tier's approver too (the through train's: the district center)`,
};

export function actionsTable(): string {
  const rows = Object.entries(ACTION_RULES).map(
    ([action, rule]) => `| \`${action}\` | ${rule.summary} | ${rolesText(rule.roles)} | ${rule.stages.join(', ')} | ${WHO[rule.who]} |`,
  );
  return ['| action | what it does | roles | stages | who |', '|---|---|---|---|---|', ...rows].join('\n');
}

export function operationsTable(): string {
  const rows = Object.entries(OPERATION_RULES).map(
    ([operation, rule]) => `| \`${operation}\` | ${rule.summary} | ${rolesText(rule.roles)} | ${rule.scope} |`,
  );
  return ['| operation | what it is | roles | where |', '|---|---|---|---|', ...rows].join('\n');
}

function rolesText(roles: readonly Role[]): string {
  const missing = ROLES.filter((role) => !roles.includes(role));
  if (missing.length === 0) return 'every role';
  if (missing.length === 1) return `every role but ${missing[0]}`;
  return roles.join(', ');
}

export function smsTable(): string {
  const rows = Object.values(SMS_RULES).map(
    (rule) => `| ${rule.when} | ${rule.to.join(', ')} | \`${rule.template}\` | ${rule.reminder ? 'yes' : ''} |`,
  );
  return ['| when | to | template | folded |', '|---|---|---|---|', ...rows].join('\n');
}

/** The bulletin's scoring rule, one bullet per part, in the words the report page uses. */
export function scoringList(): string {
  return scoringRule()
    .map((line) => `- ${line}`)
    .join('\n');
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function withGeneratedBlock(markdown: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = markdown.indexOf(start);
  const to = markdown.indexOf(end);
  if (from < 0 || to < from) throw new Error(`The README has no ${start} … ${end} block`);
  return `${markdown.slice(0, from + start.length)}\n${content}\n${markdown.slice(to)}`;
}
