import type { DemoCounty, DemoRegion } from './county.js';
import type { DemoHouseholds } from './households.js';
import { personName, type Gender, type PhoneBook } from './names.js';
import { allocate, type Random } from './random.js';

export type Education = 'junior_high' | 'senior_high' | 'junior_college' | 'bachelor';
export type Employment = 'full_time' | 'part_time';

/** A grid worker (网格员). */
export interface DemoWorker {
  id: string;
  name: string;
  gender: Gender;
  birthYear: number;
  /** Highest schooling: 初中及以下, 高中/中专, 大专, 本科. */
  education: Education;
  phone: string;
  employment: Employment;
  grid: DemoRegion;
}

export const ROSTER_ROLES = ['town_cadre', 'medical_worker', 'community_police', 'unit_leader', 'unit_assistant'] as const;
export type RosterRole = (typeof ROSTER_ROLES)[number];

/** One of the five people of "5包1" for one micro-grid. */
export interface RosterEntry {
  microGrid: DemoRegion;
  role: RosterRole;
  personId: string;
  name: string;
  phone: string;
}

/** The paper's figure: 71% of grid workers are 50 or older. */
const OLDER_SHARE = 0.71;
/** Full-time workers are hired younger; most older workers are part-time village cadres. */
const OLDER_SHARE_FULL_TIME = 0.35;

/**
 * Grid workers: every grid gets at least one, and one full-time worker each while there are
 * enough; the rest follow the number of micro-grids. Ages and schooling follow the paper's
 * profile exactly (the 71% is a count, not a probability), so small counties match it too.
 */
export function buildWorkers(
  county: DemoCounty,
  totals: { workers: number; fullTimeWorkers: number },
  asOfYear: number,
  rng: Random,
  phones: PhoneBook,
  /** Ids W00001…: where this county's numbering starts and its width (a platform numbers on). */
  ids: { first: number; width: number } = { first: 1, width: Math.max(5, String(totals.workers).length) },
): DemoWorker[] {
  const { grids } = county;
  const size = grids.map((g) => g.children.length);
  const fullTime = new Array<number>(grids.length).fill(0);
  if (totals.fullTimeWorkers >= grids.length) {
    allocate(totals.fullTimeWorkers - grids.length, size, 0).forEach((n, i) => (fullTime[i] = n + 1));
  } else {
    // Not enough for every grid: the biggest grids get one (ties by code order).
    const order = grids.map((_, i) => i).sort((a, b) => size[b]! - size[a]! || a - b);
    for (const i of order.slice(0, totals.fullTimeWorkers)) fullTime[i] = 1;
  }
  const partTimeTotal = totals.workers - totals.fullTimeWorkers;
  const needs = fullTime.map((n): number => (n === 0 ? 1 : 0));
  const needed = needs.reduce((s, x) => s + x, 0);
  if (partTimeTotal < needed) throw new RangeError('not enough workers for one in every grid');
  const partTime = allocate(partTimeTotal - needed, size, 0).map((n, i) => n + needs[i]!);

  const older = Math.round(OLDER_SHARE * totals.workers);
  const olderFull = Math.max(older - partTimeTotal, Math.min(Math.round(OLDER_SHARE_FULL_TIME * totals.fullTimeWorkers), older));
  const olderPart = older - olderFull;
  const ageFlags = (n: number, k: number) => rng.shuffle(Array.from({ length: n }, (_, i) => i < k));
  const olderFullFlags = ageFlags(totals.fullTimeWorkers, olderFull);
  const olderPartFlags = ageFlags(partTimeTotal, olderPart);

  const workers: DemoWorker[] = [];
  let fi = 0;
  let pi = 0;
  grids.forEach((grid, g) => {
    const make = (employment: Employment, isOlder: boolean) => {
      const age = isOlder ? 50 + Math.min(14, Math.floor(Math.abs(rng.normal()) * 5)) : employment === 'full_time' ? rng.int(25, 49) : rng.int(30, 49);
      const gender: Gender = rng.chance(employment === 'full_time' ? 0.65 : 0.45) ? 'F' : 'M';
      const birthYear = asOfYear - age;
      workers.push({
        id: `W${String(ids.first + workers.length).padStart(ids.width, '0')}`,
        name: personName(rng, gender, birthYear),
        gender,
        birthYear,
        education: education(rng, isOlder),
        phone: phones.mobile(),
        employment,
        grid,
      });
    };
    for (let k = 0; k < fullTime[g]!; k++) make('full_time', olderFullFlags[fi++]!);
    for (let k = 0; k < partTime[g]!; k++) make('part_time', olderPartFlags[pi++]!);
  });
  return workers;
}

function education(rng: Random, older: boolean): Education {
  const weights = older ? [56, 34, 8, 2] : [12, 38, 33, 17];
  return (['junior_high', 'senior_high', 'junior_college', 'bachelor'] as const)[rng.weightedIndex(weights)]!;
}

/**
 * "5包1": five people for every micro-grid. Town cadres (包村干部) and village doctors are
 * shared by the micro-grids of a village, a community police officer by a few villages of a
 * town; the unit leader is a household head of the micro-grid itself, the assistant a neighbour.
 */
export function buildRoster(county: DemoCounty, households: DemoHouseholds, asOfYear: number, rng: Random, phones: PhoneBook): RosterEntry[] {
  const entries: RosterEntry[] = [];
  const person = (personId: string, gender: Gender, ageFrom: number, ageTo: number) => ({
    personId,
    name: personName(rng, gender, asOfYear - rng.int(ageFrom, ageTo)),
    phone: phones.mobile(),
  });
  const gender = (): Gender => (rng.chance(0.5) ? 'F' : 'M');

  for (const town of county.towns) {
    const officers = Array.from({ length: Math.ceil(town.children.length / 3) }, (_, i) => person(`CP${town.code}${pad2(i + 1)}`, rng.chance(0.8) ? 'M' : 'F', 26, 52));
    town.children.forEach((village, vi) => {
      const officer = officers[Math.floor(vi / 3)]!;
      const micro = village.children.flatMap((g) => g.children);
      const cadres = Array.from({ length: Math.ceil(micro.length / 20) }, (_, i) => person(`TC${village.code}${pad2(i + 1)}`, gender(), 28, 55));
      const doctors = Array.from({ length: Math.ceil(micro.length / 12) }, (_, i) => person(`MW${village.code}${pad2(i + 1)}`, gender(), 30, 62));
      micro.forEach((m, mi) => {
        const heads = households.byMicroGrid.get(m) ?? [];
        const leaderHome = heads.length > 0 ? rng.pick(heads) : null;
        const leader = leaderHome
          ? { personId: `UL${m.code}`, name: leaderHome.headName, phone: phones.mobile() }
          : person(`UL${m.code}`, rng.chance(0.7) ? 'M' : 'F', 40, 70);
        const assistant = person(`UA${m.code}`, gender(), 30, 65);
        const five: Array<[RosterRole, { personId: string; name: string; phone: string }]> = [
          ['town_cadre', cadres[Math.floor(mi / 20)]!],
          ['medical_worker', doctors[Math.floor(mi / 12)]!],
          ['community_police', officer],
          ['unit_leader', leader],
          ['unit_assistant', assistant],
        ];
        for (const [role, p] of five) entries.push({ microGrid: m, role, ...p });
      });
    });
  }
  return entries;
}

const pad2 = (n: number) => String(n).padStart(2, '0');

/** What a worker's record holds beyond the roster (issue 16): grade, status and dates, team, micro-grids served. */
export interface DemoWorkerRecord {
  grade: number;
  status: 'active' | 'on_leave' | 'left';
  /** YYYY-MM-DD (China). */
  startedOn: string;
  leftOn: string | null;
  teamId: string | null;
  microGridIds: string[];
}

/** The paper: pay is low and turnover high. Share of the roster on leave now. */
const ON_LEAVE_SHARE = 0.03;
/**
 * Workers who left within the two years before asOf, as a share of today's roster: they are
 * records on top of the roster (its 3,361 are the workers serving now), so turnover has leavers to
 * count and the roster keeps the paper's headcount.
 */
export const LEAVER_SHARE = 0.1;
/** Pay grades 1–5 (1 = entry): most part-time village cadres at the bottom, full-time workers higher. */
const GRADE_WEIGHTS = { full_time: [14, 34, 30, 16, 6], part_time: [56, 32, 8, 3, 1] } as const;

const DAY_MS = 86_400_000;
const chinaDate = (ms: number) => new Date(ms + 8 * 3_600_000).toISOString().slice(0, 10);

/**
 * The workers' records: grades by employment (a long-serving worker a grade up now and then),
 * start dates (older part-timers long ago, full-time workers since the grid reform), ~3% on
 * leave (the rest active: the roster is the workers serving now; leavers are `buildLeavers`'),
 * the grid workers' team of their village, and each grid's micro-grids shared out round-robin
 * among its active workers (all its workers when none is active), in id and code order. Its own
 * random stream.
 */
export function buildWorkerRecords(workers: readonly DemoWorker[], teams: ReadonlyArray<{ id: string; type: string; home: DemoRegion }>, asOf: Date, rng: Random): Map<string, DemoWorkerRecord> {
  const asOfMs = asOf.getTime();
  const asOfYear = new Date(asOfMs + 8 * 3_600_000).getUTCFullYear();
  const teamOf = new Map(teams.filter((t) => t.type === 'grid_worker').map((t) => [t.home, t.id]));
  const byGrid = new Map<DemoRegion, DemoWorker[]>();
  for (const w of workers) byGrid.set(w.grid, [...(byGrid.get(w.grid) ?? []), w]);
  const out = new Map<string, DemoWorkerRecord>();
  for (const [grid, own] of byGrid) {
    for (const w of own) {
      const age = asOfYear - w.birthYear;
      // years served: part-time village cadres long (often since before the grids), full-time since the reform (~2016)
      const maxYears = Math.max(1, Math.min(age - 20, w.employment === 'full_time' ? 9 : age >= 50 ? 25 : 12));
      const years = w.employment === 'part_time' && age >= 50 ? rng.range(Math.min(6, maxYears), maxYears) : rng.range(0.3, maxYears);
      const startedMs = asOfMs - Math.round(years * 365.25) * DAY_MS;
      const status: DemoWorkerRecord['status'] = rng.next() < ON_LEAVE_SHARE ? 'on_leave' : 'active';
      let grade = 1 + rng.weightedIndex([...GRADE_WEIGHTS[w.employment]]);
      if (years >= 10 && grade < 5 && rng.chance(0.3)) grade++;
      out.set(w.id, {
        grade,
        status,
        startedOn: chinaDate(startedMs),
        leftOn: null,
        teamId: teamOf.get(grid.parent!) ?? null,
        microGridIds: [],
      });
    }
    const active = own.filter((w) => out.get(w.id)!.status === 'active');
    if (active.length === 0) active.push(...own);
    const micro = [...grid.children].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
    if (active.length > 0) micro.forEach((m, i) => out.get(active[i % active.length]!.id)!.microGridIds.push(m.id));
  }
  return out;
}

/**
 * The workers who left within the two years before asOf (`LEAVER_SHARE` of a county's roster,
 * rounded): grids drawn at random, mostly part-time and older (the paper's turnover is low pay and
 * age), each served one to eight years before leaving, at most grade 3, no micro-grids. Ids go on
 * from `ids.first` (after the whole platform's roster, so no roster id moves) and phones come from
 * the platform's phone book after everyone else's.
 */
export function buildLeavers(
  county: DemoCounty,
  roster: number,
  asOf: Date,
  rng: Random,
  phones: PhoneBook,
  ids: { first: number; width: number },
): Array<{ worker: DemoWorker; record: DemoWorkerRecord }> {
  const asOfMs = asOf.getTime();
  const asOfYear = new Date(asOfMs + 8 * 3_600_000).getUTCFullYear();
  const count = Math.round(LEAVER_SHARE * roster);
  const out: Array<{ worker: DemoWorker; record: DemoWorkerRecord }> = [];
  for (let k = 0; k < count; k++) {
    const grid = rng.pick(county.grids);
    const employment: Employment = rng.chance(0.3) ? 'full_time' : 'part_time';
    const older = rng.chance(employment === 'full_time' ? 0.3 : 0.75);
    const age = older ? 50 + rng.int(0, 14) : rng.int(24, 49);
    const gender: Gender = rng.chance(employment === 'full_time' ? 0.65 : 0.45) ? 'F' : 'M';
    const birthYear = asOfYear - age;
    const leftMs = asOfMs - rng.int(10, 730) * DAY_MS;
    const startedMs = leftMs - Math.round(rng.range(1, Math.max(1.5, Math.min(8, age - 22))) * 365.25) * DAY_MS;
    out.push({
      worker: {
        id: `W${String(ids.first + k).padStart(ids.width, '0')}`,
        name: personName(rng, gender, birthYear),
        gender,
        birthYear,
        education: education(rng, older),
        phone: phones.mobile(),
        employment,
        grid,
      },
      record: { grade: 1 + rng.weightedIndex([60, 30, 10]), status: 'left', startedOn: chinaDate(startedMs), leftOn: chinaDate(leftMs), teamId: null, microGridIds: [] },
    });
  }
  return out;
}
