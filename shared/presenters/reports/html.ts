/** The bits of HTML every part of the report page is made of: escaping, bilingual labels, figures, sections. */
import type { Label } from './labels';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]);
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** A bilingual label in HTML: the English smaller, beside the Chinese. */
export function labelHtml([zh, en]: Label): string {
  return `<span class="zh">${escapeHtml(zh)}</span> <span class="en">${escapeHtml(en)}</span>`;
}

export function section(id: string, title: Label, content: string): string {
  return `<section class="section-${id}">\n<h2>${labelHtml(title)}</h2>\n${content}\n</section>`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: 1 });
}

export function percent(value: number | undefined): string {
  return value === undefined ? '—' : `${value}%`;
}

export function signed(value: number): string {
  return value > 0 ? `+${value}` : String(value);
}

export function arrow(value: number): string {
  return value > 0 ? '▲' : value < 0 ? '▼' : '＝';
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value));
}
