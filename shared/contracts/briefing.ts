import { z } from 'zod';
import type { EventStatus, Urgency } from './events.js';
import type { KpiCounts, Kpis } from './kpi.js';
import { DAY_MS, dayOrInstantSchema } from './period.js';

/**
 * Query of `GET /api/v1/briefings` and its exports (`export.xlsx`, `export.csv`, `map.svg`): the
 * period [from, to), read as `GET /api/v1/kpis` reads it (days or instants, China time; a day as
 * `to` is its whole day). Without either bound: the shift ending near the server's now
 * (shared/domain/shifts.ts shiftEndingNear).
 */
export const briefingQuerySchema = z
  .object({
    from: dayOrInstantSchema.optional(),
    to: dayOrInstantSchema.optional(),
  })
  .strict();
export type BriefingQuery = z.infer<typeof briefingQuerySchema>;

/** Longest period one briefing covers: a quarter; longer belongs to the evaluation screen. */
export const BRIEFING_MAX_DAYS = 93;
export const BRIEFING_MAX_MS = BRIEFING_MAX_DAYS * DAY_MS;

/** How many cases each list of the briefing carries at most; the counts always hold all of them. */
export const BRIEFING_LIST_LIMIT = 50;
/** Notable events (P0/P1 and supervised) shown with their timelines. */
export const BRIEFING_NOTABLE_LIMIT = 12;
/** Top items and hot spots listed. */
export const BRIEFING_RANKING_LIMIT = 10;

/**
 * The briefing's figures of an area (the county part in scope, or one town). Counts of what
 * happened count the period [from, to); counts of what stands count the state at `asOf`
 * (the period's end, or now if earlier), from the steps recorded before it.
 */
export interface BriefingCounts {
  /** 上报: cases reported in the period, every channel, not-admitted ones included. */
  reported: number;
  /** 不予受理: of those, not admitted (outside the admitted-item catalog). */
  notAdmitted: number;
  /** 立案: cases filed in the period (by a person or by machine dispatch), whenever reported. */
  filed: number;
  /** 派遣: cases dispatched to a team in the period, or handled on the spot by their reporter (自行处置); a case counts once. */
  dispatched: number;
  /** 结案: cases closed in the period, whenever reported. */
  closed: number;
  /** 按期结案: of those, closed by their closing deadline. */
  closedOnTime: number;
  /** 在办: cases open at `asOf` (reported, not yet closed, rejected, voided or merged). */
  open: number;
  /** 超期未结: of those, past their closing deadline (应结案时间, as extended) at `asOf`. */
  overdueOpen: number;
  /** 临期: open, not overdue, and due before `nearDeadlineUntil` (the end of the next handover). */
  nearDeadline: number;
  /** 督办在办: open at `asOf` and put under supervision before it. */
  supervisedOpen: number;
}

export const BRIEFING_COUNT_FIELDS = [
  'reported',
  'notAdmitted',
  'filed',
  'dispatched',
  'closed',
  'closedOnTime',
  'open',
  'overdueOpen',
  'nearDeadline',
  'supervisedOpen',
] as const satisfies readonly (keyof BriefingCounts)[];

/** One period's figures: its counts, and the KPIs exactly as `GET /api/v1/kpis` gives them for it. */
export interface BriefingFigures {
  period: { from: string; to: string };
  /** The instant the standing counts are taken at: `to`, or the server's now if earlier. */
  asOf: string;
  counts: BriefingCounts;
  /** The KPI counts of the period (`GET /api/v1/kpis` `total.counts`). */
  kpiCounts: KpiCounts;
  /** `computeKpis(kpiCounts)`: rates in percent, null without a denominator. */
  kpis: Kpis;
}

/** A shift of the schedule as a briefing names it. */
export interface BriefingShift {
  name: string;
  nameEn: string;
  /** `hh:mm`, China time. */
  start: string;
  end: string;
  /** 带班领导, from the shift schedule; null when the schedule names none. */
  lead: string | null;
}

/**
 * The level a briefing ranks its areas at, one below the region it is named after: the towns of a
 * county (or of a town user's towns), the counties of a city, the cities of a province.
 */
export type BriefingAreaLevel = 'town' | 'county' | 'city';

/** The level below a briefing's region: what it ranks. */
export function briefingAreaLevel(rootLevel: string): BriefingAreaLevel {
  if (rootLevel === 'province') return 'city';
  if (rootLevel === 'city') return 'county';
  return 'town';
}

/** What the briefing's documents call an area of each level (tables, sheets, the CSV's columns). */
export const BRIEFING_AREA_WORDS: Readonly<Record<BriefingAreaLevel, { 'zh-CN': string; en: string }>> = {
  town: { 'zh-CN': '镇街', en: 'Town' },
  county: { 'zh-CN': '县（市、区）', en: 'County' },
  city: { 'zh-CN': '市', en: 'City' },
};

/** One area's row of the briefing (a town, a county or a city, as `areaLevel` says). */
export interface BriefingArea {
  id: string;
  name: string;
  counts: BriefingCounts;
  kpiCounts: KpiCounts;
  kpis: Kpis;
}

/** A case as the briefing lists it: no reporter (the XLSX cases sheet has them, masked by role). */
export interface BriefingCase {
  id: string;
  itemCode: string;
  /** The item's name as filed. */
  itemName: string;
  urgency: Urgency;
  /** The case's state at `asOf`. */
  status: EventStatus;
  townId: string;
  townName: string;
  /** The county the town lies in (a city's or province's briefing names it beside the town); null if the tree has none. */
  countyName: string | null;
  /** Village › grid. */
  place: string;
  reportedAt: string;
  /** 应结案时间 (closing deadline, as extended); null for cases that never have one. */
  dueAt: string | null;
  /** Closed at, when closed before `asOf`. */
  closedAt: string | null;
  teamName: string | null;
  /** Put under supervision (督办) before `asOf`. */
  supervised: boolean;
}

/** One step of a notable case's timeline, up to `asOf`. */
export interface BriefingStep {
  at: string;
  /** A timeline action (`TimelineEntry['action']`), worded by the shared label table. */
  action: string;
  to: EventStatus;
  /** Who acted (display name); null for the machine. */
  actor: string | null;
  teamName: string | null;
  note: string | null;
}

export interface BriefingNotable {
  case: BriefingCase;
  /** Why it is notable: its urgency (P0/P1) and/or supervision in the period. */
  reasons: Array<'urgent' | 'supervised'>;
  steps: BriefingStep[];
}

export interface BriefingTopItem {
  itemCode: string;
  itemName: string;
  /** Admitted cases of the item reported in the period. */
  count: number;
  /** Of those, closed by `asOf`. */
  closed: number;
}

/** 热点: a grid with repeat reports of one item in the period. */
export interface BriefingHotSpot {
  gridId: string;
  /** Town › village › grid. */
  place: string;
  townId: string;
  itemCode: string;
  itemName: string;
  /** Admitted cases of the item in the grid reported in the period (2 or more). */
  count: number;
}

/** 队伍工作量: what a team did in the period, on cases of the caller's towns. */
export interface BriefingTeam {
  teamId: string;
  name: string;
  type: string;
  /** Cases dispatched to the team (by a person or the machine) in the period. */
  dispatched: number;
  /** Cases the team reported back as handled (反馈) in the period. */
  handled: number;
  /** Cases the team held that were closed in the period. */
  closed: number;
  /** Cases the team gave back (回退) in the period. */
  returned: number;
}

/** `GET /api/v1/briefings`: the shift briefing (交班简报). Times are ISO 8601 UTC. */
export interface BriefingResponse extends BriefingFigures {
  /** When the server made it (its clock). */
  generatedAt: string;
  /**
   * The region the briefing is named and drawn after, the root of the caller's scope: the county
   * (a county server, a county user), a city (a city user, a city's platform) or the province.
   */
  area: { id: string; name: string; level: 'province' | 'city' | 'county' | 'town' };
  /** The shift the period is, when it is exactly one shift of the schedule; null otherwise. */
  shift: BriefingShift | null;
  /** 第 N 期 of the year, for a shift's briefing; null for another period. */
  issue: { year: number; number: number } | null;
  /** The end of the shift running at `asOf`: open cases due before it are near their deadline. */
  nearDeadlineUntil: string;
  /** What `byArea` lists: towns under a county, counties under a city, cities under a province. */
  areaLevel: BriefingAreaLevel;
  /**
   * One row per area of `areaLevel` holding towns of the caller's scope (code order), zeros
   * included; each is its towns' figures summed, and they add up to the totals.
   */
  byArea: BriefingArea[];
  /** The same figures for the shift before and for the same shift a week before (or the period of equal length before, and a week before). */
  comparison: { previous: BriefingFigures; weekAgo: BriefingFigures };
  /** Open cases at `asOf`, most pressing first, at most BRIEFING_LIST_LIMIT each (`counts` has the totals). */
  cases: { overdue: BriefingCase[]; nearDeadline: BriefingCase[]; supervised: BriefingCase[] };
  topItems: BriefingTopItem[];
  hotSpots: BriefingHotSpot[];
  notable: BriefingNotable[];
  teams: BriefingTeam[];
}

/** Formats an instant as China time `yyyy-mm-dd hh:mm`, whatever the machine's zone. */
export function chinaDateTime(iso: string | Date): string {
  const ms = (typeof iso === 'string' ? Date.parse(iso) : iso.getTime()) + 8 * 3600_000;
  return new Date(ms).toISOString().slice(0, 16).replace('T', ' ');
}

/**
 * The file name of a briefing's export, the same on the server (Content-Disposition) and in the
 * console (which cannot read that header cross-origin): `交班简报_20261202_1730-20261203_0830.xlsx`.
 */
export function briefingFileName(period: { from: string; to: string }, extension: 'xlsx' | 'csv' | 'pdf' | 'json' | 'svg'): string {
  const stamp = (iso: string) => chinaDateTime(iso).replaceAll('-', '').replace(' ', '_').replace(':', '');
  return `交班简报_${stamp(period.from)}-${stamp(period.to)}.${extension}`;
}

/**
 * Where a listed case lies, as a briefing ranking `level` writes it: the town under a county, the
 * county and the town under a city or province (a city's 50 towns repeat names across counties).
 */
export function casePlaceName(c: Pick<BriefingCase, 'townName' | 'countyName'>, level: BriefingAreaLevel): string {
  return level === 'town' || c.countyName === null ? c.townName : `${c.countyName} › ${c.townName}`;
}

/** The command centre of a county, city or province, as the briefing's red title block names it. */
export function commandCenterName(areaName: string): string {
  return `${areaName}社会治理综合指挥中心`;
}
