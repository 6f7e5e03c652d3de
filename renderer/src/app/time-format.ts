import type { Language } from '../i18n/i18n';

/**
 * The county keeps China Standard Time all year (no daylight saving), so "today" and every clock
 * on screen follow it, whatever the time zone of the machine the console runs on.
 */
export const COUNTY_UTC_OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Start of the county's calendar day containing `now`, as epoch milliseconds. */
export function countyDayStart(now: number): number {
  return now - ((((now + COUNTY_UTC_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS);
}

function countyParts(ms: number) {
  const d = new Date(ms + COUNTY_UTC_OFFSET_MS);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hours: d.getUTCHours(),
    minutes: d.getUTCMinutes(),
    seconds: d.getUTCSeconds(),
  };
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `hh:mm:ss` in county time. */
export function formatClock(ms: number): string {
  const p = countyParts(ms);
  return `${pad(p.hours)}:${pad(p.minutes)}:${pad(p.seconds)}`;
}

/**
 * A moment in a list read at a glance, county time: `hh:mm` today, `mm-dd hh:mm` this year,
 * `yyyy-mm-dd hh:mm` before; `—` when missing or unreadable.
 */
export function formatWhen(iso: string | null | undefined, now: number): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const p = countyParts(ms);
  const hm = `${pad(p.hours)}:${pad(p.minutes)}`;
  if (countyDayStart(ms) === countyDayStart(now)) return hm;
  if (p.year === countyParts(now).year) return `${pad(p.month)}-${pad(p.day)} ${hm}`;
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${hm}`;
}

/** `yyyy-mm-dd hh:mm:ss` in county time; `—` for a missing or unreadable value. */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const p = countyParts(ms);
  return `${p.year}-${pad(p.month)}-${pad(p.day)} ${formatClock(ms)}`;
}

/**
 * A compact duration a dispatcher reads at a glance: the two largest units, rounded down.
 * zh: `2天3时`, `1时05分`, `12分`, `45秒`; en: `2d 3h`, `1h 05m`, `12m`, `45s`.
 * Negative input is treated as its absolute value: callers say "overdue" themselves.
 */
export function formatDuration(ms: number, lang: Language): string {
  const totalSeconds = Math.floor(Math.abs(ms) / 1000);
  const days = Math.floor(totalSeconds / 86_400);
  const hours = Math.floor((totalSeconds % 86_400) / 3_600);
  const minutes = Math.floor((totalSeconds % 3_600) / 60);
  const seconds = totalSeconds % 60;
  const zh = lang === 'zh-CN';
  if (days > 0) return zh ? `${days}天${hours}时` : `${days}d ${hours}h`;
  if (hours > 0) return zh ? `${hours}时${pad(minutes)}分` : `${hours}h ${pad(minutes)}m`;
  if (minutes > 0) return zh ? `${minutes}分` : `${minutes}m`;
  return zh ? `${seconds}秒` : `${seconds}s`;
}
