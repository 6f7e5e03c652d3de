import { createHash } from 'node:crypto';
import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import polygonClipping from 'polygon-clipping';
import { beforeAll, describe, expect, it } from 'vitest';
import { TEAM_TYPES } from '../../../../shared/contracts/catalog.js';
import { EVENT_SOURCES, OPEN_STATUSES, type EventRecord } from '../../../../shared/contracts/events.js';
import { limitMinutes } from '../../../../shared/domain/time-limit.js';
import { openDatabase, type Db } from '../../db/connection.js';
import { DEMO_CATALOG } from './demo-catalog.js';
import { TEMPLATE_CODES } from './event-text.js';
import { demoOptionsProblem, isSeeded, seedDemo, type DemoOptions, type SeedSummary } from './seed.js';

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
    ['catalog_items', 'code'],
    ['events', 'id'],
    ['event_changes', 'seq'],
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
    const workers = db.prepare('SELECT * FROM workers').all() as Array<{ grid_id: string; employment: string; birth_year: number; education: string; phone: string }>;
    expect(workers).toHaveLength(SMALL.workers);
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

  it('stations teams of every type inside their home areas', () => {
    const teams = db.prepare('SELECT * FROM teams').all() as Array<{ type: string; home_region_id: string; status: string; lon: number; lat: number }>;
    expect(new Set(teams.map((t) => t.type))).toEqual(new Set(TEAM_TYPES));
    expect(summary.teams).toBe(teams.length);
    for (const t of teams) {
      expect(['available', 'busy', 'off_duty']).toContain(t.status);
      expect(booleanPointInPolygon([t.lon, t.lat], regions.get(t.home_region_id)!.polygon), `team at ${t.home_region_id}`).toBe(true);
    }
  });

  it('ships the 57-item catalog, each item with text templates', () => {
    const items = db.prepare('SELECT * FROM catalog_items ORDER BY sort').all() as Array<{ code: string; team_type: string; sort: number }>;
    expect(items).toHaveLength(57);
    expect(items.map((i) => i.code)).toEqual(DEMO_CATALOG.map((c) => c.code));
    expect(new Set(items.map((i) => i.code)).size).toBe(57);
    for (const [i, item] of items.entries()) {
      expect(item.code).toMatch(/^[A-I]\d{2}$/);
      expect(Number(item.code.slice(1))).toBe(i + 1);
      expect(item.sort).toBe(i + 1);
      expect(TEAM_TYPES).toContain(item.team_type);
    }
    expect([...TEMPLATE_CODES].sort()).toEqual(DEMO_CATALOG.map((c) => c.code).sort());
  });

  describe('event history', () => {
    let events: Array<Record<string, string | number | null>>;
    beforeAll(() => {
      events = db.prepare('SELECT * FROM events ORDER BY seq').all() as Array<Record<string, string | number | null>>;
    });

    it('has about days × eventsPerDay cases, numbered by a gap-free change log', () => {
      const expected = SMALL.days * SMALL.eventsPerDay;
      expect(events.length).toBeGreaterThanOrEqual(expected * 0.9);
      expect(events.length).toBeLessThanOrEqual(expected * 1.1);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      const changes = db.prepare('SELECT * FROM event_changes ORDER BY seq').all() as Array<{ seq: number; event_id: string; kind: string; at: string; snapshot: string }>;
      expect(changes.map((c) => c.seq)).toEqual(events.map((_, i) => i + 1));
      const meta = Object.fromEntries((db.prepare('SELECT key, value FROM meta').all() as Array<{ key: string; value: string }>).map((m) => [m.key, m.value]));
      expect(meta).toMatchObject({ demo_seed: '7', county_id: '330899', last_seq: String(events.length) });
      expect(JSON.parse(meta.demo_options!)).toMatchObject({ towns: 3, asOf: SMALL.asOf.toISOString() });
      expect(meta.generator_version).toBeTruthy();
      let previous = '';
      changes.forEach((c, i) => {
        const e = events[i]!;
        expect(c.event_id).toBe(e.id);
        expect(c.kind).toBe('seeded');
        expect(c.at).toBe(e.updated_at);
        expect(c.at >= previous).toBe(true);
        previous = c.at;
        const snap = JSON.parse(c.snapshot) as EventRecord;
        const item = DEMO_CATALOG.find((x) => x.code === e.item_code)!;
        expect(snap).toEqual({
          id: e.id,
          seq: e.seq,
          itemCode: e.item_code,
          itemName: item.name,
          category: item.category,
          description: e.description,
          source: e.source,
          urgency: e.urgency,
          status: e.status,
          location: { lon: e.lon, lat: e.lat },
          addressCode: e.address_code,
          address: e.address,
          microGridId: e.micro_grid_id,
          gridId: e.grid_id,
          villageId: e.village_id,
          townId: e.town_id,
          reporter: { name: e.reporter_name, phone: e.reporter_phone },
          reportedAt: e.reported_at,
          updatedAt: e.updated_at,
          deadlineAt: e.deadline_at,
          closedAt: e.closed_at,
        });
      });
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
        const micro = regions.get(e.micro_grid_id as string)!;
        const grid = regions.get(micro.parent_id!)!;
        const village = regions.get(grid.parent_id!)!;
        expect([grid.id, village.id, village.parent_id]).toEqual([e.grid_id, e.village_id, e.town_id]);
        expect(booleanPointInPolygon([e.lon as number, e.lat as number], micro.polygon), `${e.id} location`).toBe(true);
        if (e.address_code) {
          const h = households.get(e.address_code as string)!;
          expect([h.micro_grid_id, h.address, h.lon, h.lat]).toEqual([e.micro_grid_id, e.address, e.lon, e.lat]);
        } else {
          expect(e.address).toBe(`${regions.get(village.parent_id!)!.name} › ${village.name} › ${grid.name}`);
        }
      }
    });

    it('runs each case through the closed loop up to asOf: old ones closed on time, recent ones open', () => {
      const asOf = SMALL.asOf.getTime();
      const start = asOf - SMALL.days * 86_400_000;
      const finished = new Set(['closed', 'rejected', 'void']);
      for (const e of events) {
        const reported = Date.parse(e.reported_at as string);
        expect(reported).toBeGreaterThanOrEqual(start);
        expect(reported).toBeLessThan(asOf);
        expect(Date.parse(e.updated_at as string)).toBeGreaterThanOrEqual(reported);
        expect(Date.parse(e.updated_at as string)).toBeLessThan(asOf);
        const cstDay = new Date(reported + 8 * 3_600_000).toISOString().slice(0, 10).replaceAll('-', '');
        expect(e.id).toMatch(new RegExp(`^EV${cstDay}\\d{4}$`));
        expect(e.deadline_at === null).toBe(finished.has(e.status as string));
        expect(e.closed_at === null).toBe(e.status !== 'closed');
        if (e.deadline_at) {
          const item = DEMO_CATALOG.find((x) => x.code === e.item_code)!;
          expect(Date.parse(e.deadline_at as string) - reported).toBe(limitMinutes(item.handleLimit) * 60_000);
        }
      }
      const closed = events.filter((e) => e.status === 'closed');
      const onTime = closed.filter((e) => {
        const item = DEMO_CATALOG.find((x) => x.code === e.item_code)!;
        return Date.parse(e.closed_at as string) <= Date.parse(e.reported_at as string) + limitMinutes(item.handleLimit) * 60_000;
      });
      expect(onTime.length / closed.length).toBeGreaterThan(0.96);
      const old = events.filter((e) => Date.parse(e.reported_at as string) < asOf - 2 * 86_400_000);
      expect(old.filter((e) => finished.has(e.status as string)).length / old.length).toBeGreaterThan(0.9);
      const open = events.filter((e) => OPEN_STATUSES.includes(e.status as (typeof OPEN_STATUSES)[number]));
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
