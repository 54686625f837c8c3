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
    zh: '【网格通】您反映的“{item}”（{eventId}）已办结：{result}。感谢您的参与！',
    en: 'GridFlow: the matter you reported, "{itemEn}" ({eventId}), is done: {result}. Thank you!',
  },
  report_voided: {
    zh: '【网格通】您反映的“{item}”（{eventId}）经核实不予立案：{result}。',
    en: 'GridFlow: your report "{itemEn}" ({eventId}) was not accepted: {result}.',
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

export function renderMessage(template: TemplateName, params: Record<string, string>): RenderedMessage {
  const clipped = Object.fromEntries(Object.entries(params).map(([key, value]) => [key, clip(value)]));
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
