import type { CatalogItem, Referral } from '../../../../shared/contracts/catalog.js';
import { EVENT_SOURCES, formatEventId, type EventSource, type Urgency } from '../../../../shared/contracts/events.js';
import type { WorkingCalendar } from '../../../../shared/contracts/workflow.js';
import { caseStory, notAdmittedStory, type CaseStep, type DemoActor } from './case-story.js';
import { ConvexSampler, shrink } from './convex.js';
import { round6, type DemoCounty, type DemoRegion } from './county.js';
import { describe, describeReferral, landmark } from './event-text.js';
import type { DemoHousehold, DemoHouseholds } from './households.js';
import { personName, type PhoneBook } from './names.js';
import type { DemoWorker } from './people.js';
import { WeightedTable, allocate, type Random } from './random.js';
import type { DemoTeam } from './teams.js';

/** One step of a case's history with its place in the change log. */
export interface DemoChange extends CaseStep {
  seq: number;
}

/** One case of the seeded history, as it stands at `asOf`, with every step that led there. */
export interface DemoEvent {
  id: string;
  /** Sequence number of the case's last change. */
  seq: number;
  /** The admitted item; null for a matter that was not admitted. */
  item: CatalogItem | null;
  itemCode: string;
  itemName: string;
  category: string;
  catalogVersion: number;
  description: string;
  source: EventSource;
  urgency: Urgency;
  lon: number;
  lat: number;
  addressCode: string | null;
  address: string;
  microGrid: DemoRegion;
  reporterName: string;
  reporterPhone: string;
  reportedAt: Date;
  /** The timeline, oldest first; the last step's state is the case now. */
  changes: DemoChange[];
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
export const HOURLY: Record<EventSource, number[]> = {
  grid_patrol: [0, 0, 0, 0, 0, 0, 0.1, 1, 5, 8, 8, 6, 2, 3, 7, 8, 7, 4, 1.5, 0.8, 0.5, 0.2, 0.05, 0],
  hotline_12345: [0.4, 0.25, 0.15, 0.1, 0.1, 0.2, 0.6, 1.5, 3.5, 5, 5, 4, 2.5, 3, 4.5, 4.5, 4, 3, 2.2, 2.2, 2, 1.6, 1.1, 0.7],
  video_ai: [0.6, 0.5, 0.4, 0.4, 0.5, 0.8, 1.5, 3, 3.5, 3.8, 3.8, 3.6, 3.4, 3.2, 3.5, 3.8, 3.8, 3.6, 3, 2.4, 2, 1.6, 1.1, 0.8],
  citizen_app: [0.6, 0.3, 0.1, 0.1, 0.1, 0.2, 0.6, 1.5, 3, 4, 4, 3.5, 3, 3, 3.5, 3.5, 3.5, 3, 3, 3.5, 3.5, 3, 2, 1.2],
  police_110: [3, 2.5, 2, 1.5, 1, 1, 1.5, 2, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 2.5, 3, 3.5, 4, 4.5, 4.5, 4],
  department: [0, 0, 0, 0, 0, 0, 0, 0, 4, 5, 5, 4, 0.5, 0.5, 4, 5, 5, 3, 0, 0, 0, 0, 0, 0],
  petition: [0, 0, 0, 0, 0, 0, 0, 0, 3, 5, 5, 3, 0.3, 0.3, 3, 4, 4, 2, 0, 0, 0, 0, 0, 0],
};

/** How often each item comes up at all: environment and street order lead, emergencies are rare. */
export const ITEM_WEIGHTS: Record<string, number> = {
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

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const CST = 8 * HOUR;

export interface EventHistoryInput {
  county: DemoCounty;
  households: DemoHouseholds;
  workers: DemoWorker[];
  catalog: CatalogItem[];
  referrals: Referral[];
  teams: DemoTeam[];
  calendar: WorkingCalendar;
  warnAtFraction: number;
  days: number;
  eventsPerDay: number;
  asOf: Date;
  rng: Random;
  phones: PhoneBook;
}

/**
 * The case history of the last `days` days: reports follow the hour of the day and the
 * weekday; each case runs the closed loop as far as it had got by `asOf` (case-story.ts), so
 * old cases are closed (a few late, rejected or void) and the last days are spread over the open
 * states. A few matters of each citizen channel are not grid items: they are recorded as not
 * admitted and referred. Every step is a change in one gap-free log, numbered in time order.
 */
export function buildEventHistory(input: EventHistoryInput): DemoEvent[] {
  const { county, households, workers, catalog, referrals, days, eventsPerDay, asOf, rng, phones } = input;
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

  const stories = rng.fork('stories');
  const people = new CasePeople(input, workersByGrid, stories);
  const referralTables = new Map<EventSource, WeightedTable<Referral> | null>();
  const referralTable = (source: EventSource) => {
    if (!referralTables.has(source)) {
      const weights = NOT_ADMITTED[source]?.weights ?? {};
      const known = referrals.filter((r) => (weights[r.code] ?? 0) > 0);
      referralTables.set(source, known.length ? new WeightedTable(known, known.map((r) => weights[r.code]!)) : null);
    }
    return referralTables.get(source)!;
  };

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
      const referrals = referralTable(source);
      const referral = referrals && rng.chance(NOT_ADMITTED[source]!.share) ? referrals.draw(rng) : null;
      const item = referral ? null : itemTable(source, urban).draw(rng);
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
      } else if (source === 'department' && item) {
        reporterName = item.department.split(' / ')[0]!;
        reporterPhone = departmentPhones.get(reporterName) ?? phones.landline();
        departmentPhones.set(reporterName, reporterPhone);
      } else {
        reporterName = home && rng.chance(0.5) ? home.headName : personName(rng, rng.chance(0.55) ? 'M' : 'F', asOf.getUTCFullYear() - rng.int(22, 78));
        reporterPhone = phones.mobile();
      }

      const reported = reportedAt.getTime();
      const intakeActor = people.intake(source, reporterName);
      const common = {
        source,
        lon,
        lat,
        addressCode: home?.addressCode ?? null,
        address: home ? home.address : `${town.name} › ${village.name} › ${m.parent!.name}`,
        microGrid: m,
        reporterName,
        reporterPhone,
        reportedAt,
        catalogVersion: 1,
      };
      if (!item) {
        const r = referral!;
        drafts.push({
          ...common,
          item: null,
          itemCode: r.code,
          itemName: r.name,
          category: 'not_admitted',
          description: describeReferral(rng, r.code, source, place, hour),
          urgency: 'P2',
          changes: notAdmittedStory(reported, intakeActor, { reason: 'referred', receivingBody: r.receivingBody }, { itemCode: r.code, source }).map((c) => ({ ...c, seq: 0 })),
        });
        continue;
      }
      const urgency = urgencyOf(item, rng);
      const steps = caseStory({
        item,
        urgency,
        source,
        reportedAt: reported,
        asOf: asOfMs,
        calendar: input.calendar,
        warnAtFraction: input.warnAtFraction,
        location: { lon, lat },
        intakeActor,
        reporterName: source === 'grid_patrol' ? reporterName : null,
        teamFor: (opts) => people.teamFor(item, m, opts),
        handlerOf: (team, avoid) => people.handlerOf(team, avoid),
        verifier: (avoid) => people.verifier(m.parent!, avoid),
        dispatcher: () => people.dispatcher(),
        supervisor: () => people.supervisor(),
        rng: stories,
      });
      drafts.push({
        ...common,
        item,
        itemCode: item.code,
        itemName: item.name,
        category: item.category,
        description: describe(rng, item.code, source, place, hour),
        urgency,
        changes: steps.map((c) => ({ ...c, seq: 0 })),
      });
    }
  }

  // Ids number the cases of a China Standard Time day in the order they were reported.
  const order = drafts.map((_, i) => i).sort((a, b) => drafts[a]!.reportedAt.getTime() - drafts[b]!.reportedAt.getTime() || a - b);
  const events = order.map((i): DemoEvent => ({ ...drafts[i]!, id: '', seq: 0 }));
  numberHistory(events);
  return events;
}

/**
 * One history out of the counties' histories of a platform: one id numbering per China day
 * and one change log across the counties, as a province-wide store numbers them. Cases reported
 * at the same second keep the counties' order. The seeded cases refer to no other case (no
 * merges or duplicates are seeded), so their ids and seqs are all there is to renumber.
 */
export function mergeHistories(histories: DemoEvent[][]): DemoEvent[] {
  const events = histories.flat();
  // A stable sort of histories each already in report order.
  events.sort((a, b) => a.reportedAt.getTime() - b.reportedAt.getTime());
  numberHistory(events);
  return events;
}

/**
 * Gives cases in report order their ids, numbered per China Standard Time day, and every step
 * its seq: the change log replays in time order (a case's own steps keep their order), and a
 * case carries the seq of its last change.
 */
function numberHistory(events: DemoEvent[]): void {
  let day = '';
  let n = 0;
  for (const e of events) {
    const today = new Date(e.reportedAt.getTime() + CST).toISOString().slice(0, 10).replaceAll('-', '');
    n = today === day ? n + 1 : 1;
    day = today;
    e.id = formatEventId(today, n);
  }
  const log = events.flatMap((e) => e.changes.map((c, i) => ({ e, c, i })));
  log.sort((a, b) => a.c.at - b.c.at || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : a.i - b.i));
  log.forEach(({ e, c }, k) => {
    c.seq = k + 1;
    e.seq = k + 1;
  });
}

/** A random instant in [start, start + 24 h), weighted by the local hour of day. */
function timeInDay(start: number, hourly: number[], rng: Random): number {
  const slots = Array.from({ length: 24 }, (_, i) => hourly[new Date(start + i * HOUR + CST).getUTCHours()]!);
  const slot = rng.weightedIndex(slots);
  // Whole seconds: the stored times read cleanly.
  return start + slot * HOUR + Math.floor(rng.next() * 3600) * 1000;
}

/**
 * The urgency a case is reported at: mostly the item's default; an item with a second tier
 * (e.g. 婚恋家庭 P1 when violence is involved) gets it now and then.
 */
function urgencyOf(item: CatalogItem, rng: Random): Urgency {
  const other = item.urgencies.filter((u) => u !== item.defaultUrgency);
  if (other.length === 0) return item.defaultUrgency;
  // A more urgent tier is the exception; a less urgent one (违法搭建: 停工 P1 vs. P3 overall) as well.
  return rng.chance(0.1) ? rng.pick(other) : item.defaultUrgency;
}

/**
 * Channels that bring in matters outside the catalog, how often, and which: 12345 takes many
 * enquiries and complaints that belong elsewhere; 110 hands over what turns out to be police work.
 */
const NOT_ADMITTED: Partial<Record<EventSource, { share: number; weights: Record<string, number> }>> = {
  hotline_12345: { share: 0.025, weights: { X05: 5, X04: 3, X07: 3, X06: 2, X10: 2, X12: 2, X13: 2, X09: 1, X11: 1, X14: 1, X02: 1 } },
  citizen_app: { share: 0.02, weights: { X07: 2, X05: 2, X06: 1, X14: 1 } },
  police_110: { share: 0.03, weights: { X01: 3, X08: 2 } },
  petition: { share: 0.02, weights: { X03: 3, X02: 2, X15: 1 } },
};

const SYSTEM_ACTORS: Partial<Record<EventSource, DemoActor>> = {
  hotline_12345: { name: '12345热线平台', role: 'integration' },
  video_ai: { name: '雪亮工程视频AI', role: 'integration' },
  citizen_app: { name: '浙里办', role: 'integration' },
  police_110: { name: '110联动平台', role: 'integration' },
};

/**
 * The people who act in the seeded history: the command center's staff (made-up names), the
 * teams near each case and their members. None of them is a login: the timeline names them.
 */
class CasePeople {
  private readonly dispatchers: DemoActor[];
  private readonly dutyOfficers: DemoActor[];
  private readonly shiftLeads: DemoActor[];
  private readonly teamsAt = new Map<string, DemoTeam[]>();
  private readonly villageWorkers = new Map<DemoRegion, string[]>();

  constructor(
    input: EventHistoryInput,
    private readonly workersByGrid: Map<DemoRegion, DemoWorker[]>,
    private readonly rng: Random,
  ) {
    const staff = input.rng.fork('staff');
    const year = new Date(input.asOf.getTime() + CST).getUTCFullYear();
    const names = (n: number, role: DemoActor['role']) =>
      Array.from({ length: n }, () => ({ name: personName(staff, staff.chance(0.5) ? 'M' : 'F', year - staff.int(24, 50)), role }));
    this.dispatchers = names(10, 'dispatcher');
    this.dutyOfficers = names(4, 'duty_officer');
    this.shiftLeads = names(3, 'shift_lead');
    for (const t of input.teams) {
      const key = `${t.type}/${t.home.id}`;
      this.teamsAt.set(key, [...(this.teamsAt.get(key) ?? []), t]);
    }
    for (const w of input.workers) {
      const v = w.grid.parent!;
      this.villageWorkers.set(v, [...(this.villageWorkers.get(v) ?? []), w.name]);
    }
  }

  intake(source: EventSource, reporterName: string): DemoActor {
    if (source === 'grid_patrol') return { name: reporterName, role: 'field_worker' };
    // Departments' pushes and petitions are entered at the command center.
    return SYSTEM_ACTORS[source] ?? this.dispatcher();
  }

  dispatcher(): DemoActor {
    return this.rng.chance(0.8) ? this.rng.pick(this.dispatchers) : this.rng.pick(this.dutyOfficers);
  }

  supervisor(): DemoActor {
    return this.rng.chance(0.6) ? this.rng.pick(this.shiftLeads) : this.rng.pick(this.dutyOfficers);
  }

  /**
   * An eligible team for the item near the case: the home village's, else the town's (a county
   * unit now and then unless `home`), never `other`.
   */
  teamFor(item: CatalogItem, m: DemoRegion, opts: { home: boolean; other?: DemoTeam }): DemoTeam | null {
    const village = m.parent!.parent!;
    const town = village.parent!;
    const county = town.parent!;
    const at = (r: DemoRegion) => (this.teamsAt.get(`${item.teamType}/${r.id}`) ?? []).filter((t) => t !== opts.other);
    const home = [...at(village)];
    const local = home.length ? home : at(town);
    const wide = at(county);
    if (opts.home) return local.length ? this.rng.pick(local) : null;
    if (wide.length && (local.length === 0 || this.rng.chance(0.5))) return this.rng.pick(wide);
    return local.length ? this.rng.pick(local) : null;
  }

  /** A member of the team who does the field work: a grid worker of the village, or the team's leader. */
  handlerOf(team: DemoTeam, avoid: string[]): DemoActor {
    const workers = team.type === 'grid_worker' ? (this.villageWorkers.get(team.home) ?? []).filter((n) => !avoid.includes(n)) : [];
    if (workers.length) return { name: this.rng.pick(workers), role: 'field_worker' };
    return { name: avoid.includes(team.leaderName) ? `${team.name}队员` : team.leaderName, role: 'field_worker' };
  }

  /** Who checks the result (核查): mostly a grid worker of the grid, else a duty officer; never one of `avoid`. */
  verifier(grid: DemoRegion, avoid: string[]): DemoActor {
    const local = (this.workersByGrid.get(grid) ?? []).map((w) => w.name).filter((n) => !avoid.includes(n));
    if (local.length && this.rng.chance(0.7)) return { name: this.rng.pick(local), role: 'field_worker' };
    return this.rng.pick(this.dutyOfficers.filter((d) => !avoid.includes(d.name)));
  }
}
