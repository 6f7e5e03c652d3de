import { createHash } from 'node:crypto';
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { TEAM_TYPES, catalogDraftSchema, type CatalogItemInput, type Referral, type TimeLimit } from '../../../../shared/contracts/catalog.js';
import { EVENT_ID_PATTERN, EVENT_SOURCES, OPEN_STATUSES, type EventRecord, type EventStatus, type Step, type Urgency } from '../../../../shared/contracts/events.js';
import type { Action } from '../../../../shared/contracts/workflow.js';
import { MACHINE, STEP_OF } from '../../../../shared/domain/workflow.js';
import { addLimit, fractionPoint } from '../../../../shared/domain/working-calendar.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { Store } from '../../db/store.js';
import { EventsRepo } from '../events/events.repo.js';
import { DEFAULT_WORKFLOW_SETTINGS } from '../settings/settings.repo.js';
import { DEMO_CATALOG, DEMO_REFERRALS } from './demo-catalog.js';
import { REFERRAL_TEMPLATE_CODES, TEMPLATE_CODES } from './event-text.js';
import { demoOptionsProblem, type DemoOptions } from './demo-options.js';
import { isSeeded, seedDemo, type SeedSummary } from './seed.js';

// Each seeding (a county, its households and weeks of history) and each walk through the history
// takes a second or two on an idle machine and several times that on a loaded two-core one: past
// vitest's defaults (5 s a test, 10 s a hook), so this file sets its own limits.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 120_000 });

const SMALL: DemoOptions = {
  seed: 7,
  towns: 3,
  villages: 9,
  grids: 30,
  microGrids: 140,
  workers: 120,
  fullTimeWorkers: 32,
  householdsPerMicroGrid: 5,
  days: 3,
  eventsPerDay: 40,
  asOf: new Date('2026-11-25T00:00:00+08:00'),
};

interface RegionRow {
  id: string;
  level: string;
  kind: string;
  code: string;
  name: string;
  parent_id: string | null;
  geometry: string;
  label_lon: number;
  label_lat: number;
  min_lon: number;
  min_lat: number;
  max_lon: number;
  max_lat: number;
  area_km2: number;
}
interface Region extends RegionRow {
  polygon: Polygon;
  ring: Array<[number, number]>;
}

function seeded(options: DemoOptions): { db: Db; summary: SeedSummary } {
  const db = openDatabase(':memory:');
  return { db, summary: seedDemo(db, options) };
}

/** Every table, every row, in key order: two equal dumps mean two identical databases. */
function dumpHash(db: Db): string {
  const hash = createHash('sha256');
  const tables: Array<[string, string]> = [
    ['meta', 'key'],
    ['regions', 'id'],
    ['households', 'address_code'],
    ['workers', 'id'],
    ['micro_grid_roster', 'micro_grid_id, role'],
    ['teams', 'id'],
    ['catalog_versions', 'version'],
    ['catalog_version_items', 'version, code'],
    ['events', 'id'],
    ['event_changes', 'seq'],
    ['event_actions', 'seq'],
    ['event_id_counters', 'day'],
  ];
  for (const [table, key] of tables) {
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${key}`).iterate()) hash.update(JSON.stringify(row));
  }
  return hash.digest('hex');
}

function loadRegions(db: Db): Map<string, Region> {
  const rows = db.prepare('SELECT * FROM regions').all() as RegionRow[];
  return new Map(
    rows.map((r) => {
      const polygon = JSON.parse(r.geometry) as Polygon;
      return [r.id, { ...r, polygon, ring: polygon.coordinates[0]!.slice(0, -1) as Array<[number, number]> }];
    }),
  );
}

const childrenOf = (regions: Map<string, Region>) => {
  const map = new Map<string, Region[]>();
  for (const r of regions.values()) {
    if (!r.parent_id) continue;
    map.set(r.parent_id, [...(map.get(r.parent_id) ?? []), r]);
  }
  return map;
};

const bboxesMeet = (a: Region, b: Region) => a.min_lon <= b.max_lon && b.min_lon <= a.max_lon && a.min_lat <= b.max_lat && b.min_lat <= a.max_lat;

function distanceToRing(p: [number, number], ring: Array<[number, number]>): number {
  let best = Infinity;
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length]!;
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const t = Math.max(0, Math.min(1, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy)));
    best = Math.min(best, Math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy));
  });
  return best;
}

const signedArea = (ring: Array<[number, number]>) => ring.reduce((s, [x1, y1], i) => s + x1 * ring[(i + 1) % ring.length]![1] - ring[(i + 1) % ring.length]![0] * y1, 0) / 2;

describe('demo county (small)', () => {
  let db: Db;
  let summary: SeedSummary;
  let regions: Map<string, Region>;
  let children: Map<string, Region[]>;
  const byLevel = (level: string) => [...regions.values()].filter((r) => r.level === level);

  beforeAll(() => {
    ({ db, summary } = seeded(SMALL));
    regions = loadRegions(db);
    children = childrenOf(regions);
  });

  it('is deterministic: the same options give the identical database, another seed another one', () => {
    const again = seeded(SMALL).db;
    expect(dumpHash(again)).toBe(dumpHash(db));
    const other = seeded({ ...SMALL, seed: 8 }).db;
    expect(dumpHash(other)).not.toBe(dumpHash(db));
  });

  it('has exactly the requested number of regions per level, under one county', () => {
    expect(byLevel('county')).toHaveLength(1);
    expect(byLevel('town')).toHaveLength(SMALL.towns);
    expect(byLevel('village')).toHaveLength(SMALL.villages);
    expect(byLevel('grid')).toHaveLength(SMALL.grids);
    expect(byLevel('microgrid')).toHaveLength(SMALL.microGrids);
    expect(summary).toMatchObject({ towns: 3, villages: 9, grids: 30, microGrids: 140, households: 140 * 5, workers: 120, fullTimeWorkers: 32 });
    const county = byLevel('county')[0]!;
    expect(county).toMatchObject({ id: '330899', code: '330899', name: 'T县', parent_id: null });
  });

  it('extends the parent code at every level, with the code ranges of each kind', () => {
    const parentLevel: Record<string, string> = { town: 'county', village: 'town', grid: 'village', microgrid: 'grid' };
    const length: Record<string, number> = { county: 6, town: 9, village: 12, grid: 15, microgrid: 18 };
    const ranges: Record<string, [number, number]> = {
      street: [1, 99],
      town: [101, 199],
      township: [201, 399],
      community: [1, 199],
      village: [201, 399],
      grid: [1, 999],
      microgrid: [1, 999],
    };
    for (const r of regions.values()) {
      expect(r.id).toBe(r.code);
      expect(r.code).toMatch(new RegExp(`^\\d{${length[r.level]}}$`));
      if (r.level === 'county') continue;
      const parent = regions.get(r.parent_id!)!;
      // A grid belongs to a village or community, never straight to a town (domain.md §6).
      expect(parent.level).toBe(parentLevel[r.level]);
      expect(r.code.startsWith(parent.code)).toBe(true);
      const suffix = Number(r.code.slice(parent.code.length));
      const [lo, hi] = ranges[r.kind]!;
      expect(suffix, `${r.kind} ${r.code}`).toBeGreaterThanOrEqual(lo);
      expect(suffix).toBeLessThanOrEqual(hi);
    }
    expect(byLevel('town').some((t) => t.kind === 'street')).toBe(true);
    const names = byLevel('village').map((v) => v.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('stores closed, counter-clockwise rings on the 6-decimal lattice, with labels and boxes that fit', () => {
    for (const r of regions.values()) {
      const outer = r.polygon.coordinates[0]!;
      expect(outer[0]).toEqual(outer[outer.length - 1]);
      expect(signedArea(r.ring)).toBeGreaterThan(0);
      for (const [x, y] of r.ring) {
        expect(Math.round(x * 1e6) / 1e6).toBe(x);
        expect(Math.round(y * 1e6) / 1e6).toBe(y);
        expect(x >= r.min_lon && x <= r.max_lon && y >= r.min_lat && y <= r.max_lat).toBe(true);
      }
      expect(booleanPointInPolygon([r.label_lon, r.label_lat], r.polygon, { ignoreBoundary: true }), `label of ${r.code}`).toBe(true);
      expect(r.area_km2).toBeCloseTo(area(r.polygon) / 1e6, 9);
    }
  });

  it('tiles every parent: the children add up to its area and no two of them overlap', () => {
    for (const [parentId, kids] of children) {
      const parent = regions.get(parentId)!;
      const sum = kids.reduce((s, k) => s + k.area_km2, 0);
      expect(Math.abs(sum - parent.area_km2) / parent.area_km2, `children of ${parent.code}`).toBeLessThan(1e-6);
      for (let i = 0; i < kids.length; i++) {
        for (let j = i + 1; j < kids.length; j++) {
          const [a, b] = [kids[i]!, kids[j]!];
          if (!bboxesMeet(a, b)) continue;
          const overlap = polygonClipping.intersection(a.polygon.coordinates as [number, number][][], b.polygon.coordinates as [number, number][][]);
          const m2 = overlap.reduce((s, p) => s + area({ type: 'Polygon', coordinates: p }), 0);
          expect(m2, `${a.code} ∩ ${b.code}`).toBeLessThan(0.01);
        }
      }
    }
    const county = byLevel('county')[0]!;
    const towns = byLevel('town').reduce((s, t) => s + t.area_km2, 0);
    expect(Math.abs(towns - county.area_km2) / county.area_km2).toBeLessThan(1e-6);
    expect(county.area_km2).toBeGreaterThan(1500);
    expect(county.area_km2).toBeLessThan(2000);
  });

  it('keeps every child inside its parent and every household inside its micro-grid', () => {
    for (const r of regions.values()) {
      if (!r.parent_id) continue;
      const parent = regions.get(r.parent_id)!;
      for (const p of r.ring) {
        const inside = booleanPointInPolygon(p, parent.polygon) || distanceToRing(p, parent.ring) <= 1e-9;
        expect(inside, `${r.code} vertex ${p.join(',')} outside ${parent.code}`).toBe(true);
      }
    }
    const households = db.prepare('SELECT address_code, micro_grid_id, address, lon, lat FROM households').all() as Array<{
      address_code: string;
      micro_grid_id: string;
      address: string;
      lon: number;
      lat: number;
    }>;
    expect(households).toHaveLength(SMALL.microGrids * SMALL.householdsPerMicroGrid);
    for (const h of households) {
      expect(h.address_code).toMatch(/^\d{22}$/);
      expect(h.address_code.startsWith(h.micro_grid_id)).toBe(true);
      expect(h.address.startsWith('T县')).toBe(true);
      expect(booleanPointInPolygon([h.lon, h.lat], regions.get(h.micro_grid_id)!.polygon, { ignoreBoundary: true })).toBe(true);
    }
    expect(new Set(households.map((h) => h.address)).size).toBe(households.length);
  });

  it('gives every micro-grid its five "5包1" people, sharing cadres, doctors and police', () => {
    const roster = db.prepare('SELECT micro_grid_id, role, person_id, phone FROM micro_grid_roster').all() as Array<Record<string, string>>;
    expect(roster).toHaveLength(5 * SMALL.microGrids);
    const perMicro = new Map<string, Set<string>>();
    for (const e of roster) perMicro.set(e.micro_grid_id!, (perMicro.get(e.micro_grid_id!) ?? new Set()).add(e.role!));
    expect(perMicro.size).toBe(SMALL.microGrids);
    for (const roles of perMicro.values()) expect([...roles].sort()).toEqual(['community_police', 'medical_worker', 'town_cadre', 'unit_assistant', 'unit_leader']);
    const people = (role: string) => new Set(roster.filter((e) => e.role === role).map((e) => e.person_id));
    expect(people('town_cadre').size).toBeLessThan(SMALL.microGrids / 3);
    expect(people('community_police').size).toBeLessThan(people('town_cadre').size + 1);
    expect(people('unit_leader').size).toBe(SMALL.microGrids);
    // One person, one phone.
    const phoneOf = new Map<string, string>();
    for (const e of roster) {
      expect(phoneOf.get(e.person_id!) ?? e.phone).toBe(e.phone);
      phoneOf.set(e.person_id!, e.phone!);
    }
  });

  it('staffs every grid with a grid worker, one full-time each while there are enough', () => {
    // the roster serving now; the records of those who left are on top of it (next test)
    const workers = db.prepare("SELECT * FROM workers WHERE status <> 'left'").all() as Array<{ grid_id: string; employment: string; birth_year: number; education: string; phone: string }>;
    expect(workers).toHaveLength(SMALL.workers);
    expect(summary.workers).toBe(SMALL.workers);
    expect(workers.filter((w) => w.employment === 'full_time')).toHaveLength(SMALL.fullTimeWorkers);
    const grids = byLevel('grid');
    const staffed = new Set(workers.map((w) => w.grid_id));
    const fullTime = new Set(workers.filter((w) => w.employment === 'full_time').map((w) => w.grid_id));
    for (const g of grids) {
      expect(staffed.has(g.id), g.code).toBe(true);
      expect(regions.get(g.id)!.level).toBe('grid');
    }
    // 32 full-time for 30 grids: every grid has one.
    expect(fullTime.size).toBe(grids.length);
    const older = workers.filter((w) => 2026 - w.birth_year >= 50).length;
    expect(older).toBe(Math.round(0.71 * SMALL.workers));
    const schooled = workers.filter((w) => w.education === 'junior_high' || w.education === 'senior_high').length;
    expect(schooled / workers.length).toBeGreaterThan(0.6);
    for (const w of workers) expect(w.phone).toMatch(/^1[3-9]\d{9}$/);
  });

  it('keeps the records of the workers who left in the two years before asOf, on top of the roster', () => {
    const all = db.prepare('SELECT id, phone, status, started_on, left_on FROM workers ORDER BY id').all() as Array<{ id: string; phone: string; status: string; started_on: string; left_on: string | null }>;
    const left = all.filter((w) => w.status === 'left');
    expect(left).toHaveLength(Math.round(0.1 * SMALL.workers));
    expect(summary.leavers).toBe(left.length);
    // numbered on after the roster; nobody on the roster has left; phones unique across both
    expect(all.slice(0, SMALL.workers).every((w) => w.status !== 'left' && w.left_on === null)).toBe(true);
    expect(all.slice(SMALL.workers).every((w) => w.status === 'left')).toBe(true);
    expect(new Set(all.map((w) => w.phone)).size).toBe(all.length);
    const asOfDay = '2026-11-25';
    const twoYearsBefore = '2024-11-25';
    for (const w of left) {
      expect(w.left_on! <= asOfDay && w.left_on! >= twoYearsBefore, w.id).toBe(true);
      expect(w.started_on < w.left_on!, w.id).toBe(true);
    }
    // a leaver serves no micro-grid
    const served = db.prepare("SELECT COUNT(*) FROM worker_micro_grids m JOIN workers w ON w.id = m.worker_id WHERE w.status = 'left'").pluck().get();
    expect(served).toBe(0);
  });

  it('stations teams of every type inside their home areas, each with a recent position fix', () => {
    const teams = db.prepare('SELECT * FROM teams').all() as Array<{ type: string; home_region_id: string; status: string; lon: number; lat: number; position_at: string }>;
    expect(new Set(teams.map((t) => t.type))).toEqual(new Set(TEAM_TYPES));
    expect(summary.teams).toBe(teams.length);
    for (const t of teams) {
      expect(['available', 'busy', 'off_duty']).toContain(t.status);
      const age = SMALL.asOf.getTime() - Date.parse(t.position_at);
      expect(age).toBeGreaterThan(0);
      expect(age).toBeLessThanOrEqual((t.status === 'off_duty' ? 14 * 60 : 15) * 60_000);
      expect(booleanPointInPolygon([t.lon, t.lat], regions.get(t.home_region_id)!.polygon), `team at ${t.home_region_id}`).toBe(true);
    }
  });

  it('ships the 57-item catalog as active version 1, with its referrals, each item with text templates', () => {
    const version = db.prepare('SELECT * FROM catalog_versions').all() as Array<Record<string, string | number | null>>;
    expect(version).toHaveLength(1);
    expect(version[0]).toMatchObject({ version: 1, status: 'active', created_by: null, created_by_name: 'system', decided_by_name: 'system' });
    expect(Date.parse(version[0]!.activated_at as string)).toBeLessThan(SMALL.asOf.getTime() - SMALL.days * 86_400_000);
    expect(JSON.parse(version[0]!.referrals as string)).toEqual(DEMO_REFERRALS);
    const rows = db.prepare('SELECT code, sort, item FROM catalog_version_items WHERE version = 1 ORDER BY sort').all() as Array<{ code: string; sort: number; item: string }>;
    const items = rows.map((r) => JSON.parse(r.item) as CatalogItemInput);
    expect(items).toEqual(DEMO_CATALOG);
    expect(summary).toMatchObject({ catalogItems: 57, referrals: DEMO_REFERRALS.length });
    for (const [i, row] of rows.entries()) {
      expect(row.code).toMatch(/^[A-I]\d{2}$/);
      expect(Number(row.code.slice(1))).toBe(i + 1);
      expect(row.sort).toBe(i + 1);
      expect(TEAM_TYPES).toContain(items[i]!.teamType);
    }
    // What an approver would accept: a complete, valid draft.
    expect(catalogDraftSchema.safeParse({ note: 'v1', items: DEMO_CATALOG, referrals: DEMO_REFERRALS }).success).toBe(true);
    expect([...TEMPLATE_CODES].sort()).toEqual(DEMO_CATALOG.map((c) => c.code).sort());
    expect([...REFERRAL_TEMPLATE_CODES].sort()).toEqual(DEMO_REFERRALS.map((r) => r.code).sort());
  });

  it('follows the reference: second urgency tiers, limits per tier, verification and machine dispatch', () => {
    const item = (code: string) => DEMO_CATALOG.find((c) => c.code === code)!;
    expect(item('A02')).toMatchObject({ urgencies: ['P1', 'P2'], defaultUrgency: 'P2' });
    expect(item('A04')).toMatchObject({ urgencies: ['P0', 'P1'], defaultUrgency: 'P1' });
    expect(item('E40')).toMatchObject({ urgencies: ['P1', 'P3'], defaultUrgency: 'P3' });
    expect(item('E40').limits.P1!.handle).toEqual({ value: 4, unit: 'work_hours' });
    expect(item('E40').limits.P3!.handle).toEqual({ value: 15, unit: 'work_days' });
    // Tier defaults for the other steps: 特急 files within 10 minutes, 一般 within half a working hour.
    expect(item('F49').limits.P0).toEqual({ file: { value: 10, unit: 'minutes' }, dispatch: { value: 10, unit: 'minutes' }, handle: { value: 120, unit: 'minutes' }, verify: { value: 60, unit: 'minutes' } });
    expect(item('D32').limits.P2!.file).toEqual({ value: 0.5, unit: 'work_hours' });
    expect(DEMO_CATALOG.filter((c) => !c.verificationRequired).map((c) => c.code)).toEqual(['B15', 'I57']);
    const auto = DEMO_CATALOG.filter((c) => c.autoDispatch);
    expect(auto.map((c) => c.code)).toEqual(['D30', 'D32', 'D35', 'E41', 'E43', 'E45', 'E47']);
    for (const c of auto) {
      expect(c.autoDispatch).toEqual({ urgencies: ['P2'] });
      expect(['environment', 'city_order']).toContain(c.category);
      expect(['grid_worker', 'law_enforcement']).toContain(c.teamType);
    }
    expect(new Set(DEMO_REFERRALS.map((r) => r.code)).size).toBe(DEMO_REFERRALS.length);
    for (const r of DEMO_REFERRALS) expect(r.code).toMatch(/^X\d{2}$/);
  });

  describe('event history', () => {
    let events: EventRow[];
    let changes: Array<{ seq: number; event_id: string; kind: string; at: string; snapshot: string }>;
    let actions: ActionRow[];
    beforeAll(() => {
      events = db.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
      changes = db.prepare('SELECT * FROM event_changes ORDER BY seq').all() as typeof changes;
      actions = db.prepare('SELECT * FROM event_actions ORDER BY seq').all() as ActionRow[];
    });

    it('has about days × eventsPerDay cases and a gap-free change log, one change and one timeline entry per step', () => {
      const expected = SMALL.days * SMALL.eventsPerDay;
      expect(events.length).toBeGreaterThanOrEqual(expected * 0.9);
      expect(events.length).toBeLessThanOrEqual(expected * 1.1);
      expect(changes.map((c) => c.seq)).toEqual(changes.map((_, i) => i + 1));
      expect(changes.length).toBeGreaterThan(3 * events.length);
      expect(summary).toMatchObject({ events: events.length, changes: changes.length, lastSeq: changes.length });
      expect(actions.map((a) => [a.seq, a.event_id])).toEqual(changes.map((c) => [c.seq, c.event_id]));
      const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((m) => [m.key, m.value]));
      expect(meta).toMatchObject({ demo_seed: '7', county_id: '330899', last_seq: String(changes.length) });
      expect(JSON.parse(meta.demo_options!)).toMatchObject({ towns: 3, asOf: SMALL.asOf.toISOString() });
      expect(meta.generator_version).toBeTruthy();
      let previous = '';
      const lastOf = new Map<string, number>();
      changes.forEach((c, i) => {
        expect(c.at >= previous).toBe(true);
        previous = c.at;
        expect(c.kind).toBe(actions[i]!.action === 'intake' ? 'reported' : actions[i]!.action);
        expect(c.at).toBe(actions[i]!.at);
        const snap = JSON.parse(c.snapshot) as EventRecord;
        expect(snap).toMatchObject({ id: c.event_id, seq: c.seq, status: actions[i]!.to_status, updatedAt: c.at });
        lastOf.set(c.event_id, c.seq);
      });
      for (const e of events) {
        expect(e.seq).toBe(lastOf.get(e.id));
        expect(changes[e.seq - 1]!.at).toBe(e.updated_at);
      }
    });

    it('numbers each China day 0001, 0002… in report order and leaves the day\'s id counter at its last number', () => {
      const numbers = new Map<string, number[]>();
      for (const e of [...events].sort((a, b) => (a.reported_at < b.reported_at ? -1 : a.reported_at > b.reported_at ? 1 : 0))) {
        const day = e.id.slice(2, 10);
        numbers.set(day, [...(numbers.get(day) ?? []), Number(e.id.slice(10))]);
      }
      for (const list of numbers.values()) expect(list).toEqual(list.map((_, i) => i + 1));
      const counters = db.prepare('SELECT day, last FROM event_id_counters ORDER BY day').all();
      expect(counters).toEqual([...numbers].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, list]) => ({ day, last: list.length })));
    });

    it('stores each case as the events repository reads it: the last snapshot is the case now', async () => {
      const repo = new EventsRepo(Store.onSqlite(db));
      for (const e of events) {
        const stored = (await repo.get(e.id))!;
        expect((await repo.changesAfter(e.seq - 1, 1))[0]!.event).toEqual(stored);
        expect(stored).toMatchObject({ itemCode: e.item_code, catalogVersion: 1, duplicateCandidates: [], masterId: null, mergedIds: [] });
      }
    });

    it('mixes the sources as catalog-reference §5c proposes', () => {
      const ranges: Record<string, [number, number]> = {
        grid_patrol: [0.4, 0.45],
        hotline_12345: [0.35, 0.4],
        video_ai: [0.08, 0.12],
        citizen_app: [0.03, 0.05],
        police_110: [0.01, 0.03],
        department: [0.02, 0.04],
        petition: [0.01, 0.02],
      };
      for (const source of EVENT_SOURCES) {
        const share = events.filter((e) => e.source === source).length / events.length;
        expect(share, source).toBeGreaterThanOrEqual(ranges[source]![0]);
        expect(share, source).toBeLessThanOrEqual(ranges[source]![1]);
      }
    });

    it('places every case in a consistent micro-grid → grid → village → town chain', () => {
      const households = new Map(
        (db.prepare('SELECT address_code, micro_grid_id, address, lon, lat FROM households').all() as Array<Record<string, string | number>>).map((h) => [h.address_code, h]),
      );
      for (const e of events) {
        const micro = regions.get(e.micro_grid_id)!;
        const grid = regions.get(micro.parent_id!)!;
        const village = regions.get(grid.parent_id!)!;
        expect([grid.id, village.id, village.parent_id]).toEqual([e.grid_id, e.village_id, e.town_id]);
        expect(booleanPointInPolygon([e.lon, e.lat], micro.polygon), `${e.id} location`).toBe(true);
        if (e.address_code) {
          const h = households.get(e.address_code)!;
          expect([h.micro_grid_id, h.address, h.lon, h.lat]).toEqual([e.micro_grid_id, e.address, e.lon, e.lat]);
        } else {
          expect(e.address).toBe(`${regions.get(village.parent_id!)!.name} › ${village.name} › ${grid.name}`);
        }
      }
    });

    it('runs each case through the closed loop up to asOf, its columns consistent with its state', () => {
      checkHistory(db, SMALL, events, actions, regions);
      const open = events.filter((e) => OPEN_STATUSES.includes(e.status));
      expect(open.length).toBeGreaterThan(0);
      expect(new Set(open.map((e) => e.status)).size).toBeGreaterThanOrEqual(3);
    });
  });

  it('refuses a database that already holds a county', () => {
    expect(isSeeded(db)).toBe(true);
    expect(() => seedDemo(db, SMALL)).toThrow(/already holds a county/);
    expect(isSeeded(openDatabase(':memory:'))).toBe(false);
  });
});

describe('demo options', () => {
  it('names the option that is wrong', () => {
    expect(demoOptionsProblem(SMALL)).toBeNull();
    expect(demoOptionsProblem({ ...SMALL, grids: 5 })).toMatch(/grids must be at least villages/);
    expect(demoOptionsProblem({ ...SMALL, towns: 1.5 })).toMatch(/^towns must be a whole number/);
    expect(demoOptionsProblem({ ...SMALL, eventsPerDay: 10_000 })).toMatch(/^eventsPerDay must be at most/);
    expect(demoOptionsProblem({ ...SMALL, asOf: new Date('nope') })).toMatch(/^asOf/);
    expect(() => seedDemo(openDatabase(':memory:'), { ...SMALL, workers: 10 })).toThrow(/workers must be at least grids/);
  });

  it('seeds the thinnest county: one child per parent, no households, no history', () => {
    const { db, summary } = seeded({ ...SMALL, towns: 2, villages: 2, grids: 2, microGrids: 2, workers: 2, fullTimeWorkers: 0, householdsPerMicroGrid: 0, days: 0 });
    expect(summary).toMatchObject({ towns: 2, villages: 2, grids: 2, microGrids: 2, households: 0, workers: 2, fullTimeWorkers: 0, rosterEntries: 10, events: 0, lastSeq: 0 });
    const regions = loadRegions(db);
    const children = childrenOf(regions);
    for (const [parentId, kids] of children) {
      const parent = regions.get(parentId)!;
      if (parent.level !== 'county') expect(kids).toHaveLength(1);
      const sum = kids.reduce((s, k) => s + k.area_km2, 0);
      expect(Math.abs(sum - parent.area_km2) / parent.area_km2).toBeLessThan(1e-6);
    }
  });
});

describe('demo history over a longer period', () => {
  const LONG: DemoOptions = { ...SMALL, days: 20, eventsPerDay: 100, seed: 11 };
  let db: Db;
  let events: EventRow[];
  let actions: ActionRow[];
  beforeAll(() => {
    db = seeded(LONG).db;
    events = db.prepare('SELECT * FROM events ORDER BY seq').all() as EventRow[];
    actions = db.prepare('SELECT * FROM event_actions ORDER BY seq').all() as ActionRow[];
  });

  it('is consistent case by case', () => {
    checkHistory(db, LONG, events, actions, loadRegions(db));
  });

  it('has the closed loop\u2019s realistic rates: mostly on time, a little rework and few extensions, some machine dispatch', () => {
    const cutoff = new Date(LONG.asOf.getTime() - 86_400_000).toISOString();
    // "Due" as the KPIs count it: admitted cases whose closing deadline fell in the period.
    const due = events.filter((e) => !['rejected', 'void', 'merged', 'not_admitted'].includes(e.status) && e.due_at !== null && e.due_at < cutoff);
    const closed = due.filter((e) => e.closed_at !== null);
    const onTime = closed.filter((e) => e.closed_at! <= e.due_at!);
    expect(closed.length / due.length).toBeGreaterThan(0.97);
    expect(onTime.length / due.length).toBeGreaterThan(0.8);
    expect(onTime.length / due.length).toBeLessThan(0.96);
    const rework = due.filter((e) => e.rework_count > 0).length / due.length;
    expect(rework).toBeGreaterThan(0.001);
    expect(rework).toBeLessThan(0.012);
    const extended = due.filter((e) => e.extension_count > 0).length / due.length;
    expect(extended).toBeGreaterThan(0);
    expect(extended).toBeLessThan(0.008);
    const auto = events.filter((e) => e.auto_dispatched === 1).length / events.length;
    expect(auto).toBeGreaterThan(0.05);
    expect(auto).toBeLessThan(0.4);
    const supervised = events.filter((e) => e.supervised === 1).length / events.length;
    expect(supervised).toBeGreaterThan(0);
    expect(supervised).toBeLessThan(0.1);
    expect(events.filter((e) => e.self_handled === 1).length).toBeGreaterThan(0);
    const notAdmitted = events.filter((e) => e.status === 'not_admitted');
    expect(notAdmitted.length).toBeGreaterThan(0);
    expect(notAdmitted.length / events.length).toBeLessThan(0.03);
    expect(events.some((e) => e.deadline_state === 'overdue')).toBe(true);
    expect(actions.some((a) => a.action === 'return')).toBe(true);
    // Old cases are finished; mediation and building cases take weeks, so not quite all.
    const old = events.filter((e) => Date.parse(e.reported_at) < LONG.asOf.getTime() - 10 * 86_400_000);
    expect(old.filter((e) => FINISHED.has(e.status)).length / old.length).toBeGreaterThan(0.95);
  });
});

interface EventRow {
  id: string;
  seq: number;
  item_code: string;
  item_name: string;
  category: string;
  catalog_version: number;
  source: string;
  urgency: Urgency;
  status: EventStatus;
  lon: number;
  lat: number;
  address_code: string | null;
  address: string;
  micro_grid_id: string;
  grid_id: string;
  village_id: string;
  town_id: string;
  reporter_name: string;
  reporter_user_id: string | null;
  reported_at: string;
  updated_at: string;
  step: Step | null;
  step_started_at: string | null;
  warn_at: string | null;
  deadline_at: string | null;
  deadline_state: string;
  due_at: string | null;
  filed_at: string | null;
  dispatched_at: string | null;
  handled_at: string | null;
  verified_at: string | null;
  closed_at: string | null;
  team_id: string | null;
  auto_dispatched: number;
  self_handled: number;
  supervised: number;
  rework_count: number;
  extension_count: number;
  extension_request: string | null;
  result: string | null;
  refusal: string | null;
}

interface ActionRow {
  seq: number;
  event_id: string;
  action: string;
  from_status: EventStatus | null;
  to_status: EventStatus;
  at: string;
  user_id: string | null;
  display_name: string | null;
  role: string | null;
  team_id: string | null;
  auto: number;
  details: string;
}

const FINISHED = new Set<string>(['closed', 'rejected', 'void', 'not_admitted']);
/** Statuses a case passes through only after it was filed / dispatched. */
const AFTER_FILING = new Set<string>(['filed', 'dispatched', 'accepted', 'in_progress', 'handled', 'verified', 'closed']);
const AFTER_DISPATCH = new Set<string>(['dispatched', 'accepted', 'in_progress', 'handled', 'verified', 'closed']);
const MACHINE_ENTRIES = new Set(['auto-dispatch', 'deadline-warning', 'deadline-overdue']);

/**
 * Checks every case against the rules of the closed loop: the timeline walks the state machine,
 * the stored columns follow from the timeline, the deadlines from the item's limits on the
 * working calendar, and the deadline state from the seed's asOf clock.
 */
function checkHistory(db: Db, options: DemoOptions, events: EventRow[], actions: ActionRow[], regions: Map<string, Region>): void {
  const cal = DEFAULT_WORKFLOW_SETTINGS.calendar;
  const add = (from: string, ...limits: TimeLimit[]) => limits.reduce((t, l) => addLimit(t, l, cal), new Date(from)).toISOString();
  const teams = new Map(
    (db.prepare('SELECT id, type, home_region_id FROM teams').all() as Array<{ id: string; type: string; home_region_id: string }>).map((t) => [t.id, t]),
  );
  const referrals = new Map(DEMO_REFERRALS.map((r: Referral) => [r.code, r]));
  const timelines = new Map<string, ActionRow[]>();
  for (const a of actions) timelines.set(a.event_id, [...(timelines.get(a.event_id) ?? []), a]);
  const asOf = options.asOf.getTime();
  const start = asOf - options.days * 86_400_000;

  for (const e of events) {
    const where = `${e.id} (${e.status})`;
    const reported = Date.parse(e.reported_at);
    expect(reported).toBeGreaterThanOrEqual(start);
    expect(reported).toBeLessThan(asOf);
    expect(Date.parse(e.updated_at)).toBeLessThan(asOf);
    const cstDay = new Date(reported + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
    expect(e.id).toMatch(EVENT_ID_PATTERN);
    expect(e.id.slice(2, 10)).toBe(cstDay);
    expect(e.catalog_version).toBe(1);
    expect(e.reporter_user_id).toBeNull();

    // The timeline walks the state machine.
    const timeline = timelines.get(e.id)!;
    expect(timeline[0]!.action, where).toBe(e.status === 'not_admitted' ? 'not-admitted' : 'intake');
    expect(timeline[0]!.from_status).toBeNull();
    expect(timeline[0]!.at).toBe(e.reported_at);
    for (const [i, a] of timeline.entries()) {
      if (i > 0) expect(a.from_status, `${where} #${i} ${a.action}`).toBe(timeline[i - 1]!.to_status);
      if (MACHINE_ENTRIES.has(a.action)) expect([a.auto, a.display_name], where).toEqual([1, null]);
      else expect([a.auto, a.user_id, typeof a.display_name], where).toEqual([0, null, 'string']);
      if (a.action === 'auto-dispatch') expect([['reported', 'filed'], ['filed', 'dispatched'], ['reported', 'reported']]).toContainEqual([a.from_status, a.to_status]);
      else if (a.action === 'self-handled') expect([a.from_status, a.to_status]).toEqual(['reported', 'closed']);
      else if (a.action === 'deadline-warning' || a.action === 'deadline-overdue') expect(a.to_status).toBe(a.from_status);
      else if (i > 0) expect(MACHINE[a.from_status!][a.action as Action], `${where} ${a.from_status} -${a.action}->`).toBe(a.to_status);
    }
    expect(timeline.at(-1)!.to_status).toBe(e.status);
    // Separation of duties: the reporting grid worker neither handles nor verifies; the handler does not verify.
    const names = (action: string) => timeline.filter((a) => a.action === action).map((a) => a.display_name);
    const handlers = names('report');
    for (const v of [...names('verify'), ...names('rework')]) expect(handlers, where).not.toContain(v);
    if (e.source === 'grid_patrol' && e.self_handled === 0) {
      for (const p of [...handlers, ...names('start'), ...names('verify')]) expect(p, where).not.toBe(e.reporter_name);
    }

    if (e.status === 'not_admitted') {
      const r = referrals.get(e.item_code)!;
      expect([e.item_name, e.category, e.step, e.due_at]).toEqual([r.name, 'not_admitted', null, null]);
      expect(JSON.parse(e.refusal!)).toEqual({ reason: 'referred', receivingBody: r.receivingBody });
      continue;
    }
    const item = DEMO_CATALOG.find((x) => x.code === e.item_code)!;
    expect([e.item_name, e.category]).toEqual([item.name, item.category]);
    expect(item.urgencies).toContain(e.urgency);
    const limits = item.limits[e.urgency]!;

    // The step and its clock follow from the status and the item's limits.
    expect(e.step, where).toBe(STEP_OF[e.status]);
    expect(e.deadline_at === null, where).toBe(e.step === null);
    expect(e.warn_at === null).toBe(e.step === null);
    expect(e.step_started_at === null).toBe(e.step === null);
    if (e.step && e.extension_count === 0) {
      expect(e.deadline_at, where).toBe(add(e.step_started_at!, limits[e.step]));
      expect(e.warn_at).toBe(fractionPoint(new Date(e.step_started_at!), limits[e.step], 0.8, cal).toISOString());
    }
    if (e.step) {
      const overdue = Date.parse(e.deadline_at!) + 1000 < asOf;
      const warning = !overdue && Date.parse(e.warn_at!) + 1000 < asOf && Date.parse(e.warn_at!) < Date.parse(e.deadline_at!);
      expect(e.deadline_state, where).toBe(overdue ? 'overdue' : warning ? 'warning' : 'ok');
    } else {
      expect(e.deadline_state).toBe('ok');
    }

    // The milestones follow the timeline.
    const last = (action: string) => timeline.filter((a) => a.action === action).at(-1)?.at ?? null;
    expect(e.closed_at === null).toBe(e.status !== 'closed');
    if (e.status === 'closed') expect(e.closed_at).toBe(last(e.self_handled ? 'self-handled' : 'close'));
    expect(e.filed_at !== null, where).toBe(AFTER_FILING.has(e.status));
    expect(e.dispatched_at !== null, where).toBe(AFTER_DISPATCH.has(e.status) || (e.status === 'filed' && last('return') !== null));
    expect(e.handled_at).toBe(e.self_handled ? e.reported_at : last('report'));
    expect(e.verified_at).toBe(last('verify'));
    expect(e.auto_dispatched).toBe(timeline.some((a) => a.action === 'auto-dispatch' && a.to_status === 'dispatched') ? 1 : 0);
    expect(e.supervised).toBe(last('supervise') === null ? 0 : 1);
    expect(e.rework_count).toBe(timeline.filter((a) => a.action === 'rework').length);
    expect(e.extension_count).toBe(timeline.filter((a) => a.action === 'approve-extension').length);
    expect(e.result === null).toBe(last('report') === null && e.self_handled === 0);
    expect(e.refusal === null).toBe(e.status !== 'rejected');
    if (e.auto_dispatched) expect(item.autoDispatch?.urgencies).toContain(e.urgency);
    if (e.self_handled) expect([item.selfHandle, e.source]).toEqual([true, 'grid_patrol']);

    // The closing deadline: chained from the report, recounted from the dispatch.
    if (e.extension_count === 0) {
      expect(e.due_at, where).toBe(e.dispatched_at && !e.self_handled ? add(e.dispatched_at, limits.handle, limits.verify) : add(e.reported_at, limits.file, limits.dispatch, limits.handle, limits.verify));
    }

    // The team: of the item's type, from the case's village, town or the county.
    if (e.team_id) {
      expect(AFTER_DISPATCH.has(e.status), where).toBe(true);
      const team = teams.get(e.team_id)!;
      expect(team.type).toBe(item.teamType);
      const village = regions.get(e.village_id)!;
      expect([e.village_id, e.town_id, village.parent_id && regions.get(village.parent_id)!.parent_id]).toContain(team.home_region_id);
    } else {
      expect(AFTER_DISPATCH.has(e.status) && e.self_handled === 0, where).toBe(false);
    }
  }
}
