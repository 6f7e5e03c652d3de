import { area } from '@turf/area';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { featureCollection, polygon } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../db/connection.js';
import { toGeoJson, type DemoRegion } from './county.js';
import { demoOptionsProblem, type DemoOptions } from './demo-options.js';
import { generateDemo } from './generate.js';
import { seedDemo } from './seed.js';

/** A province of 2 cities × 3 counties, a few hundred micro-grids: every level, in a few seconds. */
const PROVINCE: DemoOptions = {
  seed: 11,
  cities: 2,
  counties: 6,
  towns: 14,
  villages: 42,
  grids: 120,
  microGrids: 400,
  workers: 200,
  fullTimeWorkers: 70,
  householdsPerMicroGrid: 1,
  days: 2,
  eventsPerDay: 120,
  asOf: new Date('2026-11-20T00:00:00+08:00'),
};

const data = generateDemo(PROVINCE);
const counties = data.parts.map((p) => p.county);
const all: DemoRegion[] = [...data.upper, ...counties.flatMap((c) => [c.county, ...c.towns, ...c.villages, ...c.grids, ...c.microGrids])];
const byLevel = (level: DemoRegion['level']) => all.filter((r) => r.level === level);

describe('a demo platform of several cities and counties', () => {
  it('has exactly the asked number of regions at every level', () => {
    expect(byLevel('province')).toHaveLength(1);
    expect(byLevel('city')).toHaveLength(2);
    expect(byLevel('county')).toHaveLength(6);
    expect(byLevel('town')).toHaveLength(PROVINCE.towns);
    expect(byLevel('village')).toHaveLength(PROVINCE.villages);
    expect(byLevel('grid')).toHaveLength(PROVINCE.grids);
    expect(byLevel('microgrid')).toHaveLength(PROVINCE.microGrids);
    expect(data.parts.flatMap((p) => p.workers)).toHaveLength(PROVINCE.workers);
    expect(data.parts.flatMap((p) => p.workers).filter((w) => w.employment === 'full_time')).toHaveLength(PROVINCE.fullTimeWorkers);
    expect(data.parts.flatMap((p) => p.households.all)).toHaveLength(PROVINCE.microGrids * PROVINCE.householdsPerMicroGrid);
  });

  it('codes every region uniquely, each level in its own format under its parent', () => {
    expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
    const formats: Record<DemoRegion['level'], RegExp> = {
      province: /^330000$/,
      city: /^33(0[1-9]|[1-9]\d)00$/,
      county: /^33\d\d(0[1-9]|[1-9]\d)$/,
      town: /^\d{9}$/,
      village: /^\d{12}$/,
      grid: /^\d{15}$/,
      microgrid: /^\d{18}$/,
    };
    for (const r of all) {
      expect(r.code, r.name).toMatch(formats[r.level]);
      expect(r.id).toBe(r.code);
      if (r.level === 'county') expect(r.code.slice(0, 4)).toBe(r.parent!.code.slice(0, 4));
      else if (r.parent && r.level !== 'city') expect(r.code.slice(0, -3)).toBe(r.parent.code);
    }
    expect(new Set(byLevel('county').map((c) => c.name)).size).toBe(6);
    for (const c of byLevel('county')) expect(c.name).toMatch(/^..?[县区市]$/);
  });

  it('chains every region up to the province', () => {
    for (const r of all) {
      let top = r;
      let steps = 0;
      while (top.parent) {
        expect(top.parent.children).toContain(top);
        top = top.parent;
        steps += 1;
      }
      expect(top).toBe(data.root);
      expect(steps).toBe(['province', 'city', 'county', 'town', 'village', 'grid', 'microgrid'].indexOf(r.level));
    }
  });

  it('makes every parent the union of its children: areas add up and children lie inside their county', () => {
    for (const parent of all.filter((r) => r.children.length > 0)) {
      const sum = parent.children.reduce((s, c) => s + c.areaKm2, 0);
      expect(Math.abs(sum - parent.areaKm2) / parent.areaKm2, parent.code).toBeLessThan(1e-6);
    }
    for (const c of counties) {
      const outline = toGeoJson(c.county.ring);
      for (const m of c.microGrids) expect(booleanPointInPolygon(m.label, outline), m.code).toBe(true);
    }
    // Province-like: counties of about 1,100–1,900 km².
    for (const c of byLevel('county')) expect(c.areaKm2).toBeGreaterThan(500);
    expect(data.root.areaKm2 / 6).toBeGreaterThan(1100);
    expect(data.root.areaKm2 / 6).toBeLessThan(1900);
  });

  it('lets the counties meet along shared borders, without overlaps or gaps', () => {
    const shapes = byLevel('county').map((c) => polygon(toGeoJson(c.ring).coordinates));
    let neighbours = 0;
    for (let i = 0; i < shapes.length; i++) {
      const vertices = new Set(byLevel('county')[i]!.ring.map(([x, y]) => `${x},${y}`));
      for (let j = i + 1; j < shapes.length; j++) {
        const overlap = intersect(featureCollection([shapes[i]!, shapes[j]!]));
        // Rounding to 1e-6° leaves at most slivers of a few square metres.
        expect(overlap ? area(overlap) : 0).toBeLessThan(50);
        const shared = byLevel('county')[j]!.ring.filter(([x, y]) => vertices.has(`${x},${y}`)).length;
        if (shared >= 2) neighbours += 1;
      }
    }
    expect(neighbours).toBeGreaterThanOrEqual(5);
    // No gaps: the counties cover the province exactly.
    const sum = byLevel('county').reduce((s, c) => s + c.areaKm2, 0);
    expect(Math.abs(sum - data.root.areaKm2) / data.root.areaKm2).toBeLessThan(1e-6);
  });

  it('gives each county its own county-level teams and keeps team and worker ids unique', () => {
    const teams = data.parts.flatMap((p) => p.teams);
    expect(new Set(teams.map((t) => t.id)).size).toBe(teams.length);
    for (const t of teams) expect(t.id).toMatch(/^TM\d{4,}$/);
    for (const c of byLevel('county')) expect(teams.map((t) => t.name)).toContain(`${c.name}综合行政执法局机动中队`);
    const workers = data.parts.flatMap((p) => p.workers);
    expect(new Set(workers.map((w) => w.id)).size).toBe(workers.length);
    const phones = [...workers.map((w) => w.phone), ...teams.map((t) => t.leaderPhone)];
    expect(new Set(workers.map((w) => w.phone)).size).toBe(workers.length);
    expect(phones.length).toBeGreaterThan(0);
  });

  it('numbers the cases of all counties per day in report order, and one change log 1..N in time order', () => {
    const events = data.events;
    expect(events.length).toBeGreaterThan(150);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
    const countiesSeen = new Set(events.map((e) => e.microGrid.parent!.parent!.parent!.parent!.id));
    expect(countiesSeen.size).toBe(6);
    const perDay = new Map<string, typeof events>();
    for (const e of events) perDay.set(e.id.slice(2, 10), [...(perDay.get(e.id.slice(2, 10)) ?? []), e]);
    for (const [, list] of perDay) {
      const sorted = [...list].sort((a, b) => Number(a.id.slice(10)) - Number(b.id.slice(10)));
      sorted.forEach((e, i) => {
        expect(Number(e.id.slice(10))).toBe(i + 1);
        if (i > 0) expect(e.reportedAt.getTime()).toBeGreaterThanOrEqual(sorted[i - 1]!.reportedAt.getTime());
      });
    }
    const log = events.flatMap((e) => e.changes).sort((a, b) => a.seq - b.seq);
    log.forEach((c, i) => {
      expect(c.seq).toBe(i + 1);
      if (i > 0) expect(c.at).toBeGreaterThanOrEqual(log[i - 1]!.at);
    });
    for (const e of events) expect(e.seq).toBe(e.changes.at(-1)!.seq);
  });

  it('is deterministic: the same options give the same platform', () => {
    const again = generateDemo(PROVINCE);
    const fingerprint = (d: typeof data) =>
      JSON.stringify([
        d.upper.map((r) => [r.code, r.name, r.ring]),
        d.parts.map((p) => [p.county.county.code, p.county.county.name, p.county.microGrids.map((m) => m.ring), p.workers.map((w) => [w.id, w.name, w.phone])]),
        d.events.map((e) => [e.id, e.seq, e.microGrid.id, e.description]),
      ]);
    expect(fingerprint(again)).toBe(fingerprint(data));
  });

  it('answers impossible platforms with the option at fault', () => {
    expect(demoOptionsProblem({ ...PROVINCE, cities: 0 })).toMatch(/^counties above 1 need cities/);
    expect(demoOptionsProblem({ ...PROVINCE, cities: 7 })).toMatch(/^counties must be at least cities/);
    expect(demoOptionsProblem({ ...PROVINCE, towns: 5 })).toMatch(/^towns must be at least counties/);
    expect(demoOptionsProblem({ ...PROVINCE, towns: 6 * 150 + 1, villages: 2000 })).toMatch(/^towns must be at most 900 \(150 per county\)/);
    expect(demoOptionsProblem({ ...PROVINCE, counties: 1.5 })).toMatch(/^counties must be a whole number/);
    expect(demoOptionsProblem({ ...PROVINCE, cities: 100, counties: 100 })).toMatch(/^cities must be at most 99/);
    expect(demoOptionsProblem({ ...PROVINCE, eventsPerDay: 30_001 })).toMatch(/^eventsPerDay must be at most 30000/);
    expect(demoOptionsProblem(PROVINCE)).toBeNull();
  });
});

describe('T县 alone', () => {
  // Recorded by seeding these options with the generator before platforms existed (commit e07f1c6):
  // one county must stay row for row what it was.
  const SMALL: DemoOptions = {
    seed: 7,
    towns: 3,
    villages: 8,
    grids: 24,
    microGrids: 100,
    workers: 60,
    fullTimeWorkers: 24,
    householdsPerMicroGrid: 4,
    days: 2,
    eventsPerDay: 30,
    asOf: new Date('2026-11-20T00:00:00+08:00'),
  };
  const BEFORE_PLATFORMS = {
    regions: 'b6ce1c1a8f6bb89e',
    households: '50386e365287a294',
    workers: '8f3738c9e31506c6',
    micro_grid_roster: 'cb84edd7b35d1814',
    teams: 'c454fa4149099153',
    cameras: '95b98b3055889d34',
    events: '5ae1c2dd13c921cc',
    event_changes: 'f866a365dd6694cd',
    meta: '8e7dfe1f50e7013e',
  };

  it('seeds exactly the rows it seeded before platforms existed', () => {
    const db = openDatabase(':memory:');
    seedDemo(db, SMALL);
    const now: Record<string, string> = {};
    for (const table of Object.keys(BEFORE_PLATFORMS)) {
      // workers: the roster serving now, in the columns it had (migration 25 added the records' columns, filled by a
      // stream of their own, and the workers who left, numbered on after the roster with phones after everyone's)
      const columns = table === 'workers' ? 'id, name, gender, birth_year, education, phone, employment, grid_id' : '*';
      const where = table === 'workers' ? "WHERE status <> 'left'" : '';
      const rows = db.prepare(`SELECT ${columns} FROM ${table} ${where} ORDER BY 1`).raw().all();
      now[table] = createHash('sha1').update(JSON.stringify(rows)).digest('hex').slice(0, 16);
    }
    expect(now).toEqual(BEFORE_PLATFORMS);
    // the leavers: 10% of the 60 on top, after W00060, all left within the two years before asOf
    const leavers = db.prepare("SELECT id, left_on FROM workers WHERE status = 'left' ORDER BY id").all() as Array<{ id: string; left_on: string }>;
    expect(leavers.map((l) => l.id)).toEqual(['W00061', 'W00062', 'W00063', 'W00064', 'W00065', 'W00066']);
    expect(leavers.every((l) => l.left_on >= '2024-11-20' && l.left_on <= '2026-11-20')).toBe(true);
    expect(db.prepare("SELECT value FROM meta WHERE key = 'county_id'").pluck().get()).toBe('330899');
    expect(db.prepare("SELECT count(*) FROM regions WHERE level IN ('province', 'city')").pluck().get()).toBe(0);
  });
});
