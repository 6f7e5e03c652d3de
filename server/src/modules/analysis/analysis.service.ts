import {
  AGENDA_HOT_SPOT_DAYS,
  AGENDA_HOT_SPOTS,
  FLOW_METRICS,
  REPEAT_WINDOW_DAYS,
  type AgendaCase,
  type AgendaRepeat,
  type AgendaResponse,
  type AnalysisScope,
  type Comparison,
  type FlowCounts,
  type HotSpot,
  type HotSpotsResponse,
  type HoursResponse,
  type MixResponse,
  type MixSlice,
  type TrendResponse,
  type TrendUnit,
} from '../../../../shared/contracts/analysis.js';
import { OPEN_STATUSES, type EventSource } from '../../../../shared/contracts/events.js';
import { SOURCE_LABELS, type LabelLanguage } from '../../../../shared/domain/labels.js';
import { addDays, chinaDayOf, justBefore, trendBuckets, yearBefore, type DayRange } from '../../../../shared/domain/calendar-days.js';
import type { AgendaCaseRow, AnalysisRepo, DailyFlows, HotSpotCaseRow } from './analysis.repo.js';

const OPEN = new Set<string>(OPEN_STATUSES);

/** Percent with 2 decimals, null when the whole is 0. */
const percentOf = (part: number, whole: number): number | null => (whole === 0 ? null : Math.round((part / whole) * 10_000) / 100);
/** The change from `base` to `current` in percent, null when there is no base. */
const change = (current: number, base: number): number | null => (base === 0 ? null : Math.round(((current - base) / base) * 10_000) / 100);

/** The flows summed over the days of a range. */
function sumFlows(flows: DailyFlows, range: DayRange): FlowCounts {
  const counts: FlowCounts = { reported: 0, filed: 0, dispatched: 0, closed: 0 };
  for (let day = range.from; day <= range.to; day = addDays(day, 1)) {
    for (const m of FLOW_METRICS) counts[m] += flows[m].get(day) ?? 0;
  }
  return counts;
}

function compare(flows: DailyFlows, current: FlowCounts, base: DayRange): Comparison {
  const counts = sumFlows(flows, base);
  return {
    ...base,
    counts,
    change: { reported: change(current.reported, counts.reported), filed: change(current.filed, counts.filed), dispatched: change(current.dispatched, counts.dispatched), closed: change(current.closed, counts.closed) },
  };
}

/**
 * The figures of the analysis screen from the repository's reads: trends with 同比/环比,
 * mixes, hours, hot spots and the meeting's agenda. Pure arithmetic over what one statement per
 * figure read; no clock of its own (the agenda's "now" is passed in).
 */
export class AnalysisService {
  constructor(private readonly repo: AnalysisRepo) {}

  async trend(scope: AnalysisScope, unit: TrendUnit, towns: readonly string[] | null): Promise<TrendResponse> {
    const period = { from: scope.from, to: scope.to };
    const buckets = trendBuckets(period, unit);
    const pop = justBefore(period);
    const yoy = yearBefore(period);
    // One read covers the period, the stretch before it and the same stretch a year before.
    const earliestPop = buckets.reduce((min, b) => (b.pop.from < min ? b.pop.from : min), pop.from);
    const flows = await this.repo.dailyFlows([{ from: earliestPop, to: period.to }, yoy], towns);
    const total = sumFlows(flows, period);
    return {
      ...scope,
      unit,
      buckets: buckets.map((b) => {
        const counts = sumFlows(flows, b);
        return { from: b.from, to: b.to, partial: b.partial, counts, yoy: compare(flows, counts, b.yoy), pop: compare(flows, counts, b.pop) };
      }),
      total,
      yoy: compare(flows, total, yoy),
      pop: compare(flows, total, pop),
    };
  }

  async mix(scope: AnalysisScope, towns: readonly string[] | null, lang: LabelLanguage): Promise<MixResponse> {
    const rows = await this.repo.mix({ from: scope.from, to: scope.to }, towns);
    const names = await this.repo.categoryNames();
    const total = rows.reduce((s, r) => s + r.n, 0);
    const byCategory = new Map<string, number>();
    const bySource = new Map<EventSource, number>();
    for (const r of rows) {
      byCategory.set(r.category, (byCategory.get(r.category) ?? 0) + r.n);
      bySource.set(r.source, (bySource.get(r.source) ?? 0) + r.n);
    }
    const slices = <K extends string>(m: Map<K, number>, name: (k: K) => string): MixSlice<K>[] =>
      [...m]
        .map(([key, count]) => ({ key, name: name(key), count, share: percentOf(count, total) }))
        .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));
    return {
      ...scope,
      total,
      categories: slices(byCategory, (k) => {
        const n = names.get(k);
        return n ? (lang === 'en' ? n.en : n.zh) : k;
      }),
      sources: slices(bySource, (k) => SOURCE_LABELS[k]?.[lang] ?? k),
    };
  }

  async hours(scope: AnalysisScope, towns: readonly string[] | null): Promise<HoursResponse> {
    const counts = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    let total = 0;
    for (const r of await this.repo.hours({ from: scope.from, to: scope.to }, towns)) {
      // SQLite counts weekdays from Sunday; the county's week starts on Monday.
      counts[(r.w + 6) % 7]![r.h] = r.n;
      total += r.n;
    }
    let peak: HoursResponse['peak'] = null;
    counts.forEach((row, weekday) =>
      row.forEach((count, hour) => {
        if (count > 0 && (!peak || count > peak.count)) peak = { weekday, hour, count };
      }),
    );
    return { ...scope, total, counts, peak };
  }

  async hotSpots(scope: AnalysisScope, towns: readonly string[] | null, min: number, limit: number): Promise<HotSpotsResponse> {
    const all = await this.findHotSpots({ from: scope.from, to: scope.to }, towns, min);
    return { ...scope, min, total: all.length, cases: all.reduce((s, h) => s + h.count, 0), hotSpots: all.slice(0, limit).map(({ casesOnDay: _days, ...h }) => h) };
  }

  /**
   * The daily analysis meeting's agenda for `date`: the week's hot spots (with the day's own
   * cases), the day's repeats, and the cases overdue or under supervision at `now`.
   */
  async agenda(date: string, names: Pick<AgendaResponse, 'town' | 'area'>, towns: readonly string[] | null, now: Date): Promise<AgendaResponse> {
    const day = { from: date, to: date };
    const window = { from: addDays(date, -(AGENDA_HOT_SPOT_DAYS - 1)), to: date };
    const flows = await this.repo.dailyFlows([day], towns);
    const dayCounts = sumFlows(flows, day);
    const spots = await this.findHotSpots(window, towns, 2);
    const hotSpots = spots.slice(0, AGENDA_HOT_SPOTS).map(({ casesOnDay, ...h }) => ({ ...h, onDate: casesOnDay.filter((d) => d === date).length }));
    const repeats: AgendaRepeat[] = (await this.repo.repeats(day, REPEAT_WINDOW_DAYS, towns)).map((r) => {
      const earlier = r.earlier.split(',').map((x) => x.split(':') as [string, string]);
      return { ...agendaCase(r, now), earlierIds: earlier.map(([id]) => id), reopenedAfterClose: earlier.filter(([, status]) => status === 'closed').length };
    });
    const overdue = (await this.repo.overdue(now, towns))
      .map((r) => agendaCase(r, now))
      .sort((a, b) => b.lateMinutes - a.lateMinutes || a.id.localeCompare(b.id));
    const supervised = (await this.repo.supervised(towns)).map((r) => agendaCase(r, now));
    return {
      date,
      ...names,
      generatedAt: now.toISOString(),
      hotSpotWindow: window,
      summary: { reported: dayCounts.reported, closed: dayCounts.closed, hotSpots: spots.length, repeats: repeats.length, overdue: overdue.length, supervised: supervised.length },
      hotSpots,
      repeatWindowDays: REPEAT_WINDOW_DAYS,
      repeats,
      overdue,
      supervised,
    };
  }

  /** Every hot spot of the period, ranked, with the China day of each case (for the agenda). */
  private async findHotSpots(period: DayRange, towns: readonly string[] | null, min: number): Promise<Array<HotSpot & { casesOnDay: string[] }>> {
    const rows = await this.repo.hotSpotCases(period, towns, min);
    const groups = new Map<string, HotSpotCaseRow[]>();
    for (const r of rows) {
      const key = `${r.grid_id}/${r.item_code}`;
      const list = groups.get(key);
      if (list) list.push(r);
      else groups.set(key, [r]);
    }
    const grids = await this.repo.grids([...new Set(rows.map((r) => r.grid_id))]);
    const microNames = await this.repo.regionNames([...new Set(rows.map((r) => r.micro_grid_id))]);
    const spots = [...groups.values()].map((cases) => {
      const first = cases[0]!;
      const g = grids.get(first.grid_id)!;
      const perMicro = new Map<string, number>();
      for (const c of cases) perMicro.set(c.micro_grid_id, (perMicro.get(c.micro_grid_id) ?? 0) + 1);
      const microGrids = [...perMicro]
        .filter(([, n]) => n >= 2)
        .map(([id, count]) => ({ id, name: microNames.get(id) ?? id, count }))
        .sort((a, b) => b.count - a.count || a.id.localeCompare(b.id));
      return {
        rank: 0,
        gridId: first.grid_id,
        itemCode: first.item_code,
        // the newest case's name: the item as it is called now
        itemName: first.item_name,
        category: first.category,
        count: cases.length,
        open: cases.filter((c) => OPEN.has(c.status)).length,
        place: {
          id: g.id,
          level: 'grid' as const,
          kind: 'grid' as const,
          name: g.name,
          path: `${g.town_name} › ${g.village_name}`,
          townId: g.town_id,
          bbox: [g.min_lon, g.min_lat, g.max_lon, g.max_lat] as [number, number, number, number],
        },
        placeName: `${g.town_name} › ${g.village_name} › ${g.name}`,
        centroid: [g.label_lon, g.label_lat] as [number, number],
        microGrids,
        caseIds: cases.map((c) => c.id),
        points: cases.map((c) => [c.lon, c.lat] as [number, number]),
        firstAt: cases.at(-1)!.reported_at,
        lastAt: first.reported_at,
        casesOnDay: cases.map((c) => chinaDayOf(new Date(c.reported_at))),
        code: g.code,
      };
    });
    // Most cases first; then the most recent; then by place code, so the order is stable.
    spots.sort((a, b) => b.count - a.count || b.lastAt.localeCompare(a.lastAt) || a.code.localeCompare(b.code) || a.itemCode.localeCompare(b.itemCode));
    // Equal counts share the rank of the first of them (1, 2, 2, 4).
    let rank = 0;
    return spots.map(({ code: _code, ...s }, i) => {
      if (i === 0 || spots[i - 1]!.count !== s.count) rank = i + 1;
      return { ...s, rank };
    });
  }
}

function agendaCase(r: AgendaCaseRow, now: Date): AgendaCase {
  const deadlineAt = r.deadline_at ?? r.due_at;
  const late = deadlineAt ? Math.floor((now.getTime() - Date.parse(deadlineAt)) / 60_000) : 0;
  return {
    id: r.id,
    itemCode: r.item_code,
    itemName: r.item_name,
    urgency: r.urgency,
    status: r.status,
    placeName: r.place_name,
    address: r.address,
    reportedAt: r.reported_at,
    deadlineAt,
    lateMinutes: Math.max(0, late),
    teamName: r.team_name,
    supervised: r.supervised === 1,
  };
}
