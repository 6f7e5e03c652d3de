import type { BriefingCase, BriefingResponse } from '../../../../shared/contracts/briefing.js';

/**
 * How the printed briefing writes times, figures and periods. Always China time and Chinese
 * conventions, whatever the reader's machine or UI language: the briefing is an official
 * document of the county (GB/T 9704), filed as printed.
 */

const CHINA_OFFSET_MS = 8 * 3600_000;

function parts(iso: string) {
  const d = new Date(Date.parse(iso) + CHINA_OFFSET_MS);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate(), hh: String(d.getUTCHours()).padStart(2, '0'), mm: String(d.getUTCMinutes()).padStart(2, '0') };
}

/** `2027年3月2日`, as a document's date is written. */
export function chinaDate(iso: string): string {
  const p = parts(iso);
  return `${p.y}年${p.m}月${p.d}日`;
}

/** `08:30`. */
export function chinaClock(iso: string): string {
  const p = parts(iso);
  return `${p.hh}:${p.mm}`;
}

/** `3月2日 08:30`; with the year when asked (a period across years, the print footer). */
export function chinaDayTime(iso: string, withYear = false): string {
  const p = parts(iso);
  return `${withYear ? `${p.y}年` : ''}${p.m}月${p.d}日 ${p.hh}:${p.mm}`;
}

/** `2027年3月1日 17:30—3月2日 08:30`: the year once, the end's day only when it differs. */
export function periodText(period: { from: string; to: string }): string {
  const from = parts(period.from);
  const to = parts(period.to);
  const sameDay = from.y === to.y && from.m === to.m && from.d === to.d;
  const end = sameDay ? `${to.hh}:${to.mm}` : `${from.y === to.y ? '' : `${to.y}年`}${to.m}月${to.d}日 ${to.hh}:${to.mm}`;
  return `${from.y}年${from.m}月${from.d}日 ${from.hh}:${from.mm}—${end}`;
}

/** A rate in percent with two decimals, as computed; `—` when it has no denominator. */
export function rateText(rate: number | null): string {
  return rate === null ? '—' : rate.toFixed(2);
}

/** Which of the open lists a case stands in, by its closing deadline against the briefing's moments. */
export function caseStanding(c: BriefingCase, b: Pick<BriefingResponse, 'asOf' | 'nearDeadlineUntil'>): 'overdue' | 'near' | 'open' {
  if (c.dueAt !== null && c.dueAt < b.asOf) return 'overdue';
  if (c.dueAt !== null && c.dueAt < b.nearDeadlineUntil) return 'near';
  return 'open';
}

/**
 * The open cases the next shift inherits, in one list without repeats: overdue first, then near
 * the deadline, then supervised; each list as the server ordered it.
 */
export function inheritedCases(b: Pick<BriefingResponse, 'cases'>): BriefingCase[] {
  const seen = new Set<string>();
  return [...b.cases.overdue, ...b.cases.nearDeadline, ...b.cases.supervised].filter((c) => !seen.has(c.id) && seen.add(c.id));
}
