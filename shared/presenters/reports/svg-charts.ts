/** The report page's charts, as inline SVG: horizontal bar charts and the quarter's trend (bars and a line). */
import type { Report } from '../../domain/reports';
import type { Grade } from '../../domain/scoring';
import { clamp, count, escapeHtml } from './html';
import { labelText, RATE_LABELS, TOTAL_LABELS, type Label } from './labels';

export interface Series {
  /** Names the bars' CSS class: `bar-<key>`. */
  key: string;
  label: Label;
}

interface BarRow {
  label: string;
  tooltip: string;
  /** One value per series; undefined draws no bar. */
  values: (number | undefined)[];
  grade?: Grade;
}

const CHART_WIDTH = 720;
const LABEL_WIDTH = 190;
const VALUE_ROOM = 76;
const BAR_HEIGHT = 13;
const ROW_GAP = 10;
const LEGEND_HEIGHT = 26;
const AXIS_HEIGHT = 18;

/**
 * Horizontal bars, one row per entry and one bar per series: long Chinese names read better on the
 * left than slanted under columns. Each bar carries its value (`data-value`) and a tooltip.
 */
export function barChart(options: {
  className: string;
  title: string;
  series: Series[];
  rows: BarRow[];
  max?: number;
  unit?: '%';
}): string {
  const { className, title, series, rows, unit = '' } = options;
  const plotWidth = CHART_WIDTH - LABEL_WIDTH - VALUE_ROOM;
  const largest = Math.max(0, ...rows.flatMap((row) => row.values.filter((value): value is number => value !== undefined)));
  const { max, step } = options.max !== undefined ? { max: options.max, step: options.max / 4 } : niceScale(largest);
  const rowHeight = series.length * BAR_HEIGHT + ROW_GAP;
  const top = LEGEND_HEIGHT + AXIS_HEIGHT;
  const height = top + rows.length * rowHeight + 4;
  const x = (value: number) => LABEL_WIDTH + (plotWidth * clamp(value, 0, max)) / max;

  const grid: string[] = [];
  for (let tick = 0; tick <= max + 1e-9; tick += step) {
    grid.push(`<line class="grid-line" x1="${fixed(x(tick))}" y1="${top - 4}" x2="${fixed(x(tick))}" y2="${height - 4}"/>`);
    grid.push(
      `<text class="tick" x="${fixed(x(tick))}" y="${top - 8}" text-anchor="middle">${escapeHtml(count(round(tick)))}${unit}</text>`,
    );
  }
  const body = rows.map((row, rowIndex) => {
    const rowTop = top + rowIndex * rowHeight;
    const bars = series.map((entry, seriesIndex) => {
      const value = row.values[seriesIndex];
      const y = rowTop + seriesIndex * BAR_HEIGHT;
      if (value === undefined) return '';
      const tooltip = `${row.tooltip}: ${labelText(entry.label)} ${count(value)}${unit}`;
      return (
        `<rect class="bar bar-${entry.key}" x="${LABEL_WIDTH}" y="${y}" width="${fixed(x(value) - LABEL_WIDTH)}" height="${BAR_HEIGHT - 2}" data-value="${value}"><title>${escapeHtml(tooltip)}</title></rect>` +
        `<text class="value" x="${fixed(x(value) + 4)}" y="${y + BAR_HEIGHT - 3}">${escapeHtml(count(value))}${unit}</text>`
      );
    });
    const labelY = rowTop + (series.length * BAR_HEIGHT) / 2 + 4;
    const grade = row.grade ? gradeBadge(row.grade, CHART_WIDTH - 14, labelY - 4) : '';
    return `<g class="row"><text class="label" x="${LABEL_WIDTH - 8}" y="${labelY}" text-anchor="end"><title>${escapeHtml(row.tooltip)}</title>${escapeHtml(shorten(row.label, 13))}</text>${bars.join('')}${grade}</g>`;
  });
  return svg(className, title, height, [legend(series), ...grid, ...body].join('\n'));
}

/** The quarter's months: reported and closed as columns, the on-time closure rate as a line (right axis). */
export function trendChart(months: NonNullable<Report['months']>): string {
  const height = 260;
  const top = LEGEND_HEIGHT + 14;
  const bottom = height - 28;
  const left = 56;
  const right = CHART_WIDTH - 56;
  const { max, step } = niceScale(Math.max(0, ...months.flatMap((month) => [month.totals.reported, month.totals.closed])));
  const slot = (right - left) / months.length;
  const barWidth = Math.min(48, slot / 3);
  const y = (value: number) => bottom - ((bottom - top) * clamp(value, 0, max)) / max;
  const yRate = (rate: number) => bottom - ((bottom - top) * clamp(rate, 0, 100)) / 100;

  const axes: string[] = [];
  for (let tick = 0; tick <= max + 1e-9; tick += step) {
    axes.push(`<line class="grid-line" x1="${left}" y1="${fixed(y(tick))}" x2="${right}" y2="${fixed(y(tick))}"/>`);
    axes.push(`<text class="tick" x="${left - 6}" y="${fixed(y(tick) + 4)}" text-anchor="end">${escapeHtml(count(round(tick)))}</text>`);
  }
  for (const rate of [0, 50, 100]) axes.push(`<text class="tick tick-rate" x="${right + 6}" y="${fixed(yRate(rate) + 4)}">${rate}%</text>`);

  const columns = months.map((month, index) => {
    const centre = left + slot * index + slot / 2;
    const bar = (key: 'reported' | 'closed', offset: number) => {
      const value = month.totals[key];
      return `<rect class="bar bar-${key}" x="${fixed(centre + offset)}" y="${fixed(y(value))}" width="${fixed(barWidth)}" height="${fixed(bottom - y(value))}" data-value="${value}"><title>${escapeHtml(`${month.period}: ${labelText(TOTAL_LABELS[key])} ${value}`)}</title></rect>`;
    };
    return `<g class="month">${bar('reported', -barWidth - 2)}${bar('closed', 2)}<text class="label" x="${fixed(centre)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(month.period)}</text></g>`;
  });

  const points = months
    .map((month, index) => ({ month, x: left + slot * index + slot / 2, rate: month.rates.onTimeClosure }))
    .filter((point): point is typeof point & { rate: number } => point.rate !== undefined);
  const line = points.length
    ? `<path class="line line-on-time" d="${points.map((point, index) => `${index ? 'L' : 'M'}${fixed(point.x)} ${fixed(yRate(point.rate))}`).join(' ')}"/>` +
      points
        .map(
          (point) =>
            `<circle class="point" cx="${fixed(point.x)}" cy="${fixed(yRate(point.rate))}" r="4" data-value="${point.rate}"><title>${escapeHtml(`${point.month.period}: ${labelText(RATE_LABELS.onTimeClosure)} ${point.rate}%`)}</title></circle>`,
        )
        .join('')
    : '';
  const series: Series[] = [
    { key: 'reported', label: TOTAL_LABELS.reported },
    { key: 'closed', label: TOTAL_LABELS.closed },
    { key: 'on-time', label: RATE_LABELS.onTimeClosure },
  ];
  return svg(
    'chart-trend',
    '季度趋势：上报、办结与按期办结率 Reports, closures and on-time closure rate by month',
    height,
    [legend(series), ...axes, ...columns, line].join('\n'),
  );
}

function svg(className: string, title: string, height: number, content: string): string {
  // No xmlns: inline SVG in HTML needs none, and the page then names no internet address at all.
  return `<figure class="chart"><svg class="chart ${className}" role="img" viewBox="0 0 ${CHART_WIDTH} ${height}" width="${CHART_WIDTH}" height="${height}"><title>${escapeHtml(title)}</title>\n${content}\n</svg></figure>`;
}

function legend(series: Series[]): string {
  let x = LABEL_WIDTH;
  return series
    .map((entry) => {
      const text = labelText(entry.label);
      const item = `<rect class="legend-key key-${entry.key}" x="${x}" y="6" width="12" height="12" rx="2"/><text class="legend" x="${x + 16}" y="16">${escapeHtml(text)}</text>`;
      x += 28 + textWidth(text, 11);
      return item;
    })
    .join('');
}

function gradeBadge(grade: Grade, x: number, y: number): string {
  return `<g class="grade-badge grade-${grade}"><circle cx="${x}" cy="${y}" r="10"/><text x="${x}" y="${y + 4}" text-anchor="middle">${grade}</text></g>`;
}

/** A round axis maximum and tick step (1, 2 or 5 × 10ⁿ, at most five ticks). */
function niceScale(largest: number): { max: number; step: number } {
  if (largest <= 0) return { max: 1, step: 1 };
  const magnitude = 10 ** Math.floor(Math.log10(largest / 5));
  const step = [1, 2, 5, 10].map((factor) => factor * magnitude).find((candidate) => largest / candidate <= 5) ?? 10 * magnitude;
  const wholeStep = Math.max(1, step);
  return { max: Math.ceil(largest / wholeStep) * wholeStep, step: wholeStep };
}

/** Roughly how wide a text is at a font size: CJK characters are square, Latin about half as wide. */
function textWidth(text: string, fontSize: number): number {
  return [...text].reduce((width, character) => width + (/[\u2E80-\uFFEF]/.test(character) ? fontSize : fontSize * 0.55), 0);
}

function shorten(text: string, length: number): string {
  const characters = [...text];
  return characters.length > length ? `${characters.slice(0, length - 1).join('')}…` : text;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

function fixed(value: number): string {
  return String(Math.round(value * 10) / 10);
}
