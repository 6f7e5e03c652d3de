import type { TrendBucket, TrendUnit } from '../../../../shared/contracts/analysis.js';

/**
 * A change in percent as a reader sees it: signed, one decimal at most, and an arrow, so it is
 * never told by colour alone (▲ +12.5%, ▼ −8%, ＝ 0%); '—' where there is no base.
 */
export function formatChange(change: number | null): string {
  if (change === null) return '—';
  const rounded = Math.round(change * 10) / 10;
  if (rounded === 0) return '＝ 0%';
  const text = `${Math.abs(rounded).toLocaleString('en-US', { maximumFractionDigits: 1 })}%`;
  return rounded > 0 ? `▲ +${text}` : `▼ −${text}`;
}

/** Which way a change went, for its style: up, down, flat, or none without a base. */
export function changeDirection(change: number | null): 'up' | 'down' | 'flat' | 'none' {
  if (change === null) return 'none';
  const rounded = Math.round(change * 10) / 10;
  return rounded > 0 ? 'up' : rounded < 0 ? 'down' : 'flat';
}

/** A short label of a trend bucket for the axis: `12-30`, the week's first day, or `2027-12`. */
export function bucketLabel(b: Pick<TrendBucket, 'from' | 'to'>, unit: TrendUnit): string {
  if (unit === 'month') return b.from.slice(0, 7);
  return b.from.slice(5);
}

/** A bucket's days in full, for tooltips: `2027-12-30` or `2027-12-27 – 2028-01-02`. */
export function bucketSpan(b: Pick<TrendBucket, 'from' | 'to'>): string {
  return b.from === b.to ? b.from : `${b.from} – ${b.to}`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for ECharts' HTML tooltips: item and place names come from the server and are escaped. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/** A count with thousands separators (tabular figures do the rest). */
export const formatCount = (n: number): string => n.toLocaleString('en-US');
