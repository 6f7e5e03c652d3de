import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { EVENT_SOURCES, type EventSource, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import { deadlineFrom, limitMinutes } from '../../../../shared/domain/time-limit.js';
import { ConvexSampler, shrink } from './convex.js';
import { round6, type DemoCounty, type DemoRegion } from './county.js';
import { describe, landmark } from './event-text.js';
import type { DemoHousehold, DemoHouseholds } from './households.js';
import { personName, type PhoneBook } from './names.js';
import type { DemoWorker } from './people.js';
import { WeightedTable, allocate, type Random } from './random.js';

/** One case of the seeded history, as it stands at `asOf`. */
export interface DemoEvent {
  id: string;
  seq: number;
  item: CatalogItem;
  description: string;
  source: EventSource;
  urgency: Urgency;
  status: EventStatus;
  lon: number;
  lat: number;
  addressCode: string | null;
  address: string;
  microGrid: DemoRegion;
  reporterName: string;
  reporterPhone: string;
  reportedAt: Date;
  updatedAt: Date;
  deadlineAt: Date | null;
  closedAt: Date | null;
}

/** Source mix of catalog-reference §5c, at the middle of each proposed range. */
export const SOURCE_SHARES: Record<EventSource, number> = {
  grid_patrol: 0.425,
  hotline_12345: 0.37,
  video_ai: 0.1,
  citizen_app: 0.04,
  police_110: 0.02,
  department: 0.03,
  petition: 0.015,
};

/** Reports per hour of the day (China Standard Time), per source: patrols keep office hours, 110 peaks at night. */
const HOURLY: Record<EventSource, number[]> = {
  grid_patrol: [0, 0, 0, 0, 0, 0, 0.1, 1, 5, 8, 8, 6, 2, 3, 7, 8, 7, 4, 1.5, 0.8, 0.5, 0.2, 0.05, 0],
  hotline_12345: [0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.6, 1.5, 3.5, 5, 5, 4, 2.5, 3, 4.5, 4.5, 4, 3, 2.2, 2.2, 2, 1.6, 1.1, 0.7],
  video_ai: [0.6, 0.5, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 3.5, 3.8, 3.8, 3.6, 3.4, 3.2, 3.5, 3.8, 3.8, 3.6, 3, 2.4, 2, 1.6, 1.1, 0.8],
  citizen_app: [0.6, 0.3, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4, 3.5, 3, 3, 3.5, 3.5, 3.5, 3, 3, 3.5, 3.5, 3, 2, 1.2],
  police_110: [3, 2.5, 2, 1.5, 1, 1, 1.5, 2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3, 3.5, 4, 4.5, 4.5, 4],
  department: [0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 5, 4, 0.5, 0.5, 4, 5, 5, 3, 0, 0, 0, 0, 0, 0],
  petition: [0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 5, 3, 0.3, 0.3, 3, 4, 4, 2, 0, 0, 0, 0, 0, 0],
};

/** How often each item comes up at all: environment and street order lead, emergencies are rare. */
const ITEM_WEIGHTS: Record<string, number> = {
  A01: 30, A02: 8, A03: 10, A04: 8, A05: 6, A06: 2, A07: 4, A08: 2, A09: 4, A10: 5, A11: 2, A12: 2,
  B13: 8, B14: 0.5, B15: 25, B16: 10, B17: 1.5,
  C18: 14, C19: 14, C20: 1.5, C21: 4, C22: 2, C23: 0.4, C24: 0.3, C25: 1, C26: 5, C27: 4, C28: 2, C29: 1,
  D30: 60, D31: 15, D32: 35, D33: 6, D34: 8, D35: 14, D36: 6, D37: 10, D38: 10, D39: 25,
  E40: 12, E41: 35, E42: 25, E43: 25, E44: 22, E45: 18, E46: 5, E47: 10,
  F48: 18, F49: 2, F50: 5,
  G51: 5, G52: 5,
  H53: 6, H54: 2, H55: 1.5, H56: 12,
  I57: 10,
};

/**
 * What each channel tends to bring: a factor on the item weight, 0 = never by that channel.
 * Sources with `only` see nothing else (a camera cannot see a wage dispute).
 */
const SOURCE_PROFILE: Record<EventSource, { boost?: Record<string, number>; only?: Record<string, number> }> = {
  grid_patrol: {
    boost: {
      D30: 2, D32: 2, D35: 2, E43: 2, E45: 2, E47: 2, B15: 3, C18: 2, C19: 2, H56: 2, I57: 2, A01: 1.5, D37: 1.5,
      A04: 0.3, A08: 0.2, A10: 0.3, A11: 0.2, A12: 0.3, B16: 0, D38: 0.3, D39: 0.3, C29: 0.2, B14: 0.5,
    },
  },
  hotline_12345: {
    boost: {
      D39: 3, D38: 3, A03: 3, A04: 3, A10: 3, F48: 2.5, E44: 2, G51: 3, A08: 3, A11: 3, C29: 2, D33: 2, C20: 2,
      B15: 0.1, H53: 0, H55: 0, I57: 0.3, E47: 0.3, C19: 0.5, B16: 0, B14: 0, C21: 0.3, C27: 0.5, D36: 0.5,
    },
  },
  citizen_app: {
    boost: { D30: 2, E41: 2, F48: 3, D39: 2, D38: 2, A03: 2, E44: 2, F49: 2, B15: 0.1, H53: 0, H55: 0, B16: 0, B14: 0, A12: 0 },
  },
  video_ai: { only: { E41: 6, E42: 5, E43: 4, E44: 4, D30: 3, D31: 2, E47: 2, D37: 2, C28: 1.5, E46: 2, B17: 0.5, C18: 1, D34: 1 } },
  police_110: { only: { B16: 12, A01: 2, A02: 2, B17: 2, D39: 2, A09: 2, C20: 0.5, H54: 1 } },
  department: { only: { C21: 3, C22: 2, C26: 3, C27: 3, H53: 4, H55: 2, D34: 2, G52: 2, G51: 2, C23: 0.5, C24: 0.5, C25: 1, D36: 1 } },
  petition: { only: { A12: 5, A06: 2, A05: 2, A04: 2, A07: 1.5, A03: 1, A10: 1 } },
};

/** Items of the built-up town and of the countryside: weight ×2 at home, ×0.3 elsewhere. */
const URBAN_ITEMS = new Set(['A03', 'A10', 'C18', 'C19', 'C29', 'D38', 'D39', 'E41', 'E42', 'E44', 'E45', 'E47', 'F48', 'F49', 'G51']);
const RURAL_ITEMS = new Set(['A05', 'A06', 'C22', 'C23', 'C24', 'C25', 'C28', 'D34', 'D37', 'E40']);

/** Share of reports that carry a household's unified address, per channel. */
const HOUSEHOLD_SHARE: Record<EventSource, number> = {
  grid_patrol: 0.5,
  hotline_12345: 0.75,
  video_ai: 0,
  citizen_app: 0.6,
  police_110: 0.6,
  department: 0.4,
  petition: 0.8,
};

/**
 * Share of cases that overrun their deadline. The paper has 98.62% closed on time; slightly
 * more overrun here because late cases with limits of weeks are often still open at asOf.
 */
const LATE_SHARE = 0.017;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

export interface EventHistoryInput {
  county: DemoCounty;
  households: DemoHouseholds;
  workers: DemoWorker[];
  catalog: CatalogItem[];
  days: number;
  eventsPerDay: number;
  asOf: Date;
  rng: Random;
  phones: PhoneBook;
}

/**
 * The case history of the last `days` days: reports follow the hour of the day and the
 * weekday; each case runs the closed loop as far as it had got by `asOf`, so old cases are
 * closed (a few late, rejected or void) and the last day or two are spread over the open states.
 */
export function buildEventHistory(input: EventHistoryInput): DemoEvent[] {
  const { county, households, workers, catalog, days, eventsPerDay, asOf, rng, phones } = input;
  const asOfMs = asOf.getTime();

  const perDay = Array.from({ length: days }, (_, d) => {
    const start = asOfMs - (days - d) * DAY;
    const weekday = new Date(start + DAY / 2 + CST).getUTCDay();
    const factor = (weekday === 0 || weekday === 6 ? 0.82 : 1.05) * Math.max(0.7, 1 + 0.06 * rng.normal());
    return { start, count: Math.round(eventsPerDay * factor) };
  });
  const total = perDay.reduce((s, d) => s + d.count, 0);
  if (total === 0) return [];
  // Exact quotas, then shuffled: the mix holds even for a small county's few hundred cases.
  const quotas = allocate(
    total,
    EVENT_SOURCES.map((s) => SOURCE_SHARES[s]),
    0,
  );
  const sources = rng.shuffle(EVENT_SOURCES.flatMap((s, i) => new Array<EventSource>(quotas[i]!).fill(s)));

  const itemTables = new Map<string, WeightedTable<CatalogItem>>();
  const itemTable = (source: EventSource, urban: boolean) => {
    const key = `${source}/${urban}`;
    let table = itemTables.get(key);
    if (!table) {
      const profile = SOURCE_PROFILE[source];
      const weights = catalog.map((item) => {
        const base = ITEM_WEIGHTS[item.code] ?? 1;
        const factor = profile.only ? (profile.only[item.code] ?? 0) : (profile.boost?.[item.code] ?? 1);
        const place = URBAN_ITEMS.has(item.code) ? (urban ? 2 : 0.3) : RURAL_ITEMS.has(item.code) ? (urban ? 0.3 : 2) : 1;
        return base * factor * place;
      });
      table = new WeightedTable(catalog, weights);
      itemTables.set(key, table);
    }
    return table;
  };

  const micro = county.microGrids;
  const placeWeight = (m: DemoRegion) => (households.byMicroGrid.get(m)?.length ?? 0) + 3;
  const anywhere = new WeightedTable(micro, micro.map(placeWeight));
  // Cameras watch streets and markets: video alerts crowd into the towns.
  const watched = new WeightedTable(
    micro,
    micro.map((m) => placeWeight(m) * (0.3 + 2 * m.urban)),
  );
  const workersByGrid = new Map<DemoRegion, DemoWorker[]>();
  for (const w of workers) {
    const list = workersByGrid.get(w.grid);
    if (list) list.push(w);
    else workersByGrid.set(w.grid, [w]);
  }
  const samplers = new Map<DemoRegion, ConvexSampler>();
  const channelPhone = { video_ai: phones.landline(), police_110: phones.landline() };
  const departmentPhones = new Map<string, string>();

  const drafts: Array<Omit<DemoEvent, 'id' | 'seq'>> = [];
  let next = 0;
  for (const day of perDay) {
    for (let k = 0; k < day.count; k++) {
      const source = sources[next++]!;
      const reportedAt = new Date(timeInDay(day.start, HOURLY[source], rng));
      const m = (source === 'video_ai' ? watched : anywhere).draw(rng);
      const village = m.parent!.parent!;
      const town = village.parent!;
      const urban = village.kind === 'community';
      const item = itemTable(source, urban).draw(rng);
      const homes = households.byMicroGrid.get(m) ?? [];
      const home: DemoHousehold | null = homes.length > 0 && rng.chance(HOUSEHOLD_SHARE[source]) ? rng.pick(homes) : null;

      let lon: number;
      let lat: number;
      let place: string;
      if (home) {
        [lon, lat] = [home.lon, home.lat];
        // From the village on; a flat is named by its building (…号3幢), as neighbours would.
        const local = home.address.slice(home.address.indexOf(village.name));
        place = urban ? local.replace(/幢.*$/, '幢') : local;
      } else {
        let sampler = samplers.get(m);
        if (!sampler) {
          sampler = new ConvexSampler(shrink(m.shape, 0.9));
          samplers.set(m, sampler);
        }
        [lon, lat] = sampler.sample(rng).map(round6) as [number, number];
        place = landmark(rng, village.name, urban);
      }

      const hour = new Date(reportedAt.getTime() + CST).getUTCHours();
      let reporterName: string;
      let reporterPhone: string;
      if (source === 'grid_patrol') {
        const w = rng.pick(workersByGrid.get(m.parent!) ?? workers);
        [reporterName, reporterPhone] = [w.name, w.phone];
      } else if (source === 'video_ai') {
        [reporterName, reporterPhone] = ['雪亮工程视频AI', channelPhone.video_ai];
      } else if (source === 'police_110') {
        [reporterName, reporterPhone] = ['县公安局110指挥中心', channelPhone.police_110];
      } else if (source === 'department') {
        reporterName = item.department.split(' / ')[0]!;
        reporterPhone = departmentPhones.get(reporterName) ?? phones.landline();
        departmentPhones.set(reporterName, reporterPhone);
      } else {
        reporterName = home && rng.chance(0.5) ? home.headName : personName(rng, rng.chance(0.55) ? 'M' : 'F', asOf.getUTCFullYear() - rng.int(22, 78));
        reporterPhone = phones.mobile();
      }

      const urgency = urgencyOf(item, rng);
      const story = lifecycle(item, urgency, source, reportedAt.getTime(), asOfMs, rng);
      drafts.push({
        item,
        description: describe(rng, item.code, source, place, hour),
        source,
        urgency,
        status: story.status,
        lon,
        lat,
        addressCode: home?.addressCode ?? null,
        address: home ? home.address : `${town.name} › ${village.name} › ${m.parent!.name}`,
        microGrid: m,
        reporterName,
        reporterPhone,
        reportedAt,
        updatedAt: new Date(story.updatedAt),
        deadlineAt: story.open ? deadlineFrom(reportedAt, item.handleLimit) : null,
        closedAt: story.closedAt === null ? null : new Date(story.closedAt),
      });
    }
  }

  // Ids number the cases of a China Standard Time day in the order they were reported.
  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a]!.reportedAt.getTime() - drafts[b]!.reportedAt.getTime() || a - b);
  const events: DemoEvent[] = [];
  let day = '';
  let n = 0;
  for (const i of order) {
    const d = drafts[i]!;
    const today = new Date(d.reportedAt.getTime() + CST).toISOString().slice(0, 10).replaceAll('-', '');
    n = today === day ? n + 1 : 1;
    day = today;
    if (n > 9999) throw new RangeError('more than 9,999 events in one day do not fit the event id');
    events.push({ ...d, id: `EV${today}${String(n).padStart(4, '0')}`, seq: 0 });
  }
  // The change log replays in time order: seq follows the last change of each case.
  events.sort((a, b) => a.updatedAt.getTime() - b.updatedAt.getTime() || (a.id < b.id ? -1 : 1));
  events.forEach((e, i) => (e.seq = i + 1));
  return events;
}

/** A random instant in [start, start + 24 h), weighted by the local hour of day. */
function timeInDay(start: number, hourly: number[], rng: Random): number {
  const slots = Array.from({ length: 24 }, (_, i) => hourly[new Date(start + i * HOUR + CST).getUTCHours()]!);
  const slot = rng.weightedIndex(slots);
  // Whole seconds: the stored times read cleanly.
  return start + slot * HOUR + Math.floor(rng.next() * 3600) * 1000;
}

function urgencyOf(item: CatalogItem, rng: Random): Urgency {
  const r = rng.next();
  switch (item.defaultUrgency) {
    case 'P0':
      return 'P0';
    case 'P1':
      return r < 0.04 ? 'P0' : r < 0.1 ? 'P2' : 'P1';
    case 'P2':
      return r < 0.06 ? 'P1' : r < 0.08 ? 'P3' : 'P2';
    case 'P3':
      return r < 0.1 ? 'P2' : 'P3';
  }
}

interface Story {
  status: EventStatus;
  updatedAt: number;
  closedAt: number | null;
  open: boolean;
}

/**
 * Walks the closed loop (domain.md §4) from the report and stops at `asOf`. Durations follow
 * the urgency, capped by the item's limit so that all but LATE_SHARE close on time.
 */
function lifecycle(item: CatalogItem, urgency: Urgency, source: EventSource, t0: number, asOf: number, rng: Random): Story {
  const steps: Array<[EventStatus, number]> = [['reported', t0]];
  const citizen = source === 'hotline_12345' || source === 'citizen_app' || source === 'petition';
  const r = rng.next();
  if (r < (citizen ? 0.015 : 0.003)) {
    steps.push(['rejected', t0 + rng.range(5, 40) * MINUTE]);
  } else if (r < (citizen ? 0.02 : 0.007)) {
    // Mostly a second report of a case already open (duplicate), voided by the dispatcher.
    steps.push(['void', t0 + rng.range(10, 240) * MINUTE]);
  } else if (source === 'grid_patrol' && item.selfHandle && rng.chance(0.6)) {
    const handled = t0 + rng.range(5, 35) * MINUTE;
    steps.push(['handled', handled], ['closed', handled + rng.range(1, 15) * MINUTE]);
  } else {
    const limit = limitMinutes(item.handleLimit) * MINUTE;
    const late = rng.chance(LATE_SHARE);
    // Mediation, rectification and the like take days; everything else is a matter of hours.
    const typical =
      limit >= 3 * DAY
        ? logUniform(rng, 0.1 * limit, 0.7 * limit)
        : { P0: rng.range(30, 100), P1: rng.range(90, 480), P2: logUniform(rng, 240, 2880), P3: logUniform(rng, 1440, 10080) }[urgency] * MINUTE;
    const planned = late ? limit * rng.range(1.03, 1.5) : Math.min(typical, limit * rng.range(0.4, 0.95));
    // Routine cases with a limit of a day or more wait for the morning shift to be filed; the
    // rest are filed and dispatched within minutes, day or night.
    const routine = limit >= DAY && (urgency === 'P2' || urgency === 'P3');
    const hour = new Date(t0 + CST).getUTCHours();
    const filed = routine && (hour < 8 || hour >= 18) ? nextMorning(t0) + rng.range(0, 50) * MINUTE : t0 + Math.min(rng.range(2, 25) * MINUTE, 0.05 * planned);
    const dispatched = filed + (routine ? rng.range(5, urgency === 'P3' ? 180 : 60) * MINUTE : Math.min(rng.range(2, 20) * MINUTE, 0.06 * planned));
    let end = Math.max(t0 + planned, dispatched + 0.3 * planned);
    if (!late) end = Math.min(end, t0 + 0.97 * limit);
    // A night's wait can eat a short budget: such a case closes late, as it would in life.
    if (end < dispatched + 20 * MINUTE) end = dispatched + rng.range(20, 60) * MINUTE;
    const span = end - dispatched;
    const started = dispatched + span * rng.range(0.1, 0.3);
    const handled = dispatched + span * rng.range(0.7, 0.88);
    const verified = handled + (end - handled) * rng.range(0.4, 0.8);
    steps.push(['filed', filed], ['dispatched', dispatched], ['in_progress', started], ['handled', handled], ['verified', verified], ['closed', end]);
  }
  let last = steps[0]!;
  for (const s of steps) if (Math.floor(s[1] / 1000) * 1000 < asOf) last = s;
  const [status, at] = last;
  const seconds = (t: number) => Math.floor(t / 1000) * 1000;
  return {
    status,
    updatedAt: seconds(at),
    closedAt: status === 'closed' ? seconds(at) : null,
    open: status !== 'closed' && status !== 'rejected' && status !== 'void',
  };
}

/** 08:00 China Standard Time on the day of `t`, or of the next day when `t` is past 08:00. */
function nextMorning(t: number): number {
  const morning = Math.floor((t + CST) / DAY) * DAY - CST + 8 * HOUR;
  return morning > t ? morning : morning + DAY;
}

function logUniform(rng: Random, min: number, max: number): number {
  return Math.exp(rng.range(Math.log(min), Math.log(max)));
}
