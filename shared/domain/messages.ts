/**
 * SMS templates: template + parameters (what +86 SMS requires once the templates are registered), the
 * zh-CN text that is sent and its English gloss for the record (which may use `…En` parameters).
 */

export const TEMPLATES = {
  case_assigned: {
    zh: '【网格通】新案件{eventId}：{item}，{place}，请于{deadline}前办结。',
    en: 'GridFlow: new case {eventId}: {itemEn} at {place}; please finish by {deadline}.',
  },
  report_to_accept: {
    zh: '【网格通】居民上报{eventId}：{item}，{place}，请于{deadline}前核实立案或作废。',
    en: 'GridFlow: resident report {eventId}: {itemEn} at {place}; accept or void it by {deadline}.',
  },
  acceptance_overdue: {
    zh: '【网格通】督办：居民上报{eventId}（{item}）超过{deadline}仍未立案，请督促处理。',
    en: 'GridFlow supervision: resident report {eventId} ({itemEn}) was not accepted by {deadline}; please see to it.',
  },
  case_overdue: {
    zh: '【网格通】督办：案件{eventId}（{item}）已超过办理时限{deadline}，承办：{assignee}，请督促办理。',
    en: 'GridFlow supervision: case {eventId} ({itemEn}) passed its deadline {deadline}; handler: {assignee}. Please see to it.',
  },
  feedback_to_reporter: {
    zh: '【网格通】您反映的“{item}”（{eventId}）已办结：{result}。评价码{ratingCode}，欢迎评价。',
    en: 'GridFlow: the matter you reported, "{itemEn}" ({eventId}), is done: {result}. Rate it with code {ratingCode}.',
  },
  // The reporter asked for a new rating code (POST /events/{id}/rating-code): the old one is void.
  rating_code_renewed: {
    zh: '【网格通】您反映的“{item}”（{eventId}）新的评价码{ratingCode}，原评价码作废，欢迎评价。',
    en: 'GridFlow: a new rating code for "{itemEn}" ({eventId}): {ratingCode}; the old one is void.',
  },
  report_voided: {
    zh: '【网格通】您反映的“{item}”（{eventId}）经核实不予立案：{result}。',
    en: 'GridFlow: your report "{itemEn}" ({eventId}) was not accepted: {result}.',
  },
  dispatch_needed: {
    zh: '【网格通】待分流：案件{eventId}（{item}，{place}）{reason}，请于{deadline}前交办。',
    en: 'GridFlow: case {eventId} ({itemEn}, {place}) {reasonEn}; please dispatch it by {deadline}.',
  },
  acknowledge_reminder: {
    zh: '【网格通】提醒：案件{eventId}（{item}）尚未签收，请及时签收办理。',
    en: 'GridFlow reminder: case {eventId} ({itemEn}) has not been signed for; please acknowledge it.',
  },
  level1_alert: {
    zh: '【网格通】紧急：{level}级事件{eventId}（{item}，{place}）已上直通车，请立即处置。',
    en: 'GridFlow URGENT: case {eventId} ({itemEn}, {place}) is on the through train; act now.',
  },
  meeting_invitation: {
    zh: '【网格通】联席会议：请于{meetingAt}参加案件{eventId}（{item}）联席会议。',
    en: 'GridFlow joint meeting: please attend the meeting on case {eventId} ({itemEn}) at {meetingAt}.',
  },
  meeting_helper: {
    zh: '【网格通】联席会议决定：贵单位协助办理案件{eventId}（{item}），牵头单位{lead}，时限{deadline}。',
    en: 'GridFlow meeting decision: your department helps on case {eventId} ({itemEn}); lead {lead}; due {deadline}.',
  },
  extension_requested: {
    zh: '【网格通】延期申请：案件{eventId}（{item}）申请延期至{until}，理由：{reason}，请审批。',
    en: 'GridFlow extension request: case {eventId} ({itemEn}) asks for time until {until}: {reason}. Please decide.',
  },
  extension_decided: {
    zh: '【网格通】案件{eventId}（{item}）延期申请{decision}，办理时限{deadline}。',
    en: 'GridFlow: the extension of case {eventId} ({itemEn}) was {decisionEn}; deadline {deadline}.',
  },
  case_nudged: {
    zh: '【网格通】催办：{by}督促案件{eventId}（{item}），承办：{assignee}，请加快办理。',
    en: 'GridFlow nudge: {by} urges case {eventId} ({itemEn}); handler: {assignee}. Please speed it up.',
  },
  invitation_to_act: {
    zh: '【网格通】约请：{by}约请贵单位办理案件{eventId}（{item}，{place}）：{note}',
    en: 'GridFlow invitation: {by} invites your department to act on case {eventId} ({itemEn}, {place}): {note}',
  },
  // A resident proves a phone is theirs (shared/core/verify-phone.ts): the code, and nothing else a stranger could use.
  verification_code: {
    zh: '【网格通】您的验证码{code}，{minutes}分钟内有效。如非本人操作，请忽略。',
    en: 'GridFlow: your verification code is {code}, good for {minutes} minutes. If you did not ask for it, ignore it.',
  },
  // {link}: the report's page in the command center (reportPageLink), which asks for sign-in first.
  report_ready: {
    zh: '【网格通】{unit}{period}{report}已生成：上报{reported}件，超期{overdue}件，查阅：{link}',
    en: 'GridFlow: the {period} report of {unit} is ready: {reported} reported, {overdue} overdue. Read it (after sign-in): {link}',
  },
  // 三查: the patrol check after the working day reminds the worker of a grid with no patrol logged that day.
  patrol_missing: {
    zh: '【网格通】提醒：{grid}今日（{day}）尚未登记巡查，请及时巡查并登记。',
    en: 'GridFlow reminder: no patrol of {grid} is logged today ({day}); please patrol it and log the patrol.',
  },
  // 闭环排查 (story 5): the task, to every grid worker of the units named; the reminder, to those who have not answered.
  campaign_task: {
    zh: '【网格通】{by}下发排查任务{campaignId}：{title}，请于{deadline}前完成并回复。',
    en: 'GridFlow: {by} sends task {campaignId}: {title}; please do it and answer by {deadline}.',
  },
  campaign_reminder: {
    zh: '【网格通】提醒：排查任务{campaignId}（{title}）{deadline}截止，您尚未回复，请尽快完成并回复。',
    en: 'GridFlow reminder: task {campaignId} ({title}) is due {deadline} and you have not answered; please do it and answer.',
  },
  // Reminders to a handler: at most one per phone per policy.reminderWindowMinutes (shared/core/reminders.ts).
  case_reminder: {
    zh: '【网格通】提醒：案件{eventId}（{item}）将于{deadline}到期，请抓紧办理。',
    en: 'GridFlow reminder: case {eventId} ({itemEn}) is due by {deadline}; please finish it in time.',
  },
  // The reminders folded in one window (case_reminder, acknowledge_reminder), sent at its end; `cases` is a
  // short list of ids, ending in 等 when not all fit.
  reminder_digest: {
    zh: '【网格通】提醒：您有{count}件案件待签收或临近办理时限：{cases}。请及时办理。',
    en: 'GridFlow reminder: {count} of your cases wait to be signed for or are close to their deadlines: {cases}. Please see to them.',
  },
} as const satisfies Record<string, { zh: string; en: string }>;

export type TemplateName = keyof typeof TEMPLATES;

export interface RenderedMessage {
  template: TemplateName;
  params: Record<string, string>;
  text: string;
  textEn: string;
  parts: number;
}

/** Longest free-text parameter (a handler's note): keeps a feedback SMS to two parts. */
export const MAX_PARAM_CHARS = 60;

/** Parameters GridFlow makes itself and that must arrive whole (a link cut short leads nowhere): never clipped. */
const WHOLE_PARAMS: ReadonlySet<string> = new Set(['link']);

export function renderMessage(template: TemplateName, params: Record<string, string>): RenderedMessage {
  const clipped = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, WHOLE_PARAMS.has(key) ? value : clip(value)]));
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_, key: string) => {
      if (!(key in clipped)) throw new Error(`Template ${template} needs the parameter ${key}`);
      return clipped[key];
    });
  const text = fill(TEMPLATES[template].zh);
  return { template, params: clipped, text, textEn: fill(TEMPLATES[template].en), parts: smsParts(text) };
}

function clip(value: string): string {
  const chars = [...value];
  return chars.length <= MAX_PARAM_CHARS ? value : `${chars.slice(0, MAX_PARAM_CHARS - 1).join('')}…`;
}

/** GSM 03.38 characters that take two septets (an escape and the character). */
const GSM_EXTENDED = new Set(['[', ']', '{', '}', '\\', '^', '~', '|', '€']);

/**
 * SMS parts: a message with any character outside the GSM 7-bit set (Chinese, a backtick) is UCS-2:
 * 70 characters fit one part, and a longer one is split into parts of 67 (each part carries a
 * concatenation header). GSM text: 160 septets, then 153 per part; [ ] { } \ ^ ~ | € take two.
 */
export function smsParts(text: string): number {
  if (text.length === 0) return 0;
  if (/^[\x20-\x5F\x61-\x7E\n\r€]*$/.test(text)) {
    const septets = [...text].reduce((sum, char) => sum + (GSM_EXTENDED.has(char) ? 2 : 1), 0);
    return septets <= 160 ? 1 : Math.ceil(septets / 153);
  }
  const units = text.length; // UTF-16 code units, as the carriers count UCS-2
  return units <= 70 ? 1 : Math.ceil(units / 67);
}

/** 11月27日16:00 — how a deadline given in Asia/Shanghai time (+08:00) reads in an SMS. */
export function smsTime(isoWithOffset: string): string {
  const match = /^\d{4}-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(isoWithOffset);
  if (!match) return isoWithOffset;
  return `${Number(match[1])}月${Number(match[2])}日${match[3]}:${match[4]}`;
}

/** 130****1001: phone numbers of others are masked in replies; a short number shows only its last two digits. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\s/g, '');
  if (digits.length >= 11) return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`;
}

/**
 * Text from elsewhere (an SMS provider's error: "Invalid parameter: PhoneNumber Reason: +8613… is not valid") with
 * every phone number in it masked, before it is logged, stored or shown.
 */
export function maskPhonesIn(text: string): string {
  return text.replace(/\+?\d{7,15}/g, (number) => maskPhone(number));
}

/** The cases an SMS is about: its case, or every case of a reminder digest (the first named first). */
export function casesOfMessage(subject: { eventId?: string; eventIds?: readonly string[] }): string[] {
  return [...new Set([...(subject.eventId ? [subject.eventId] : []), ...(subject.eventIds ?? [])])];
}
