import { describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { openDatabase } from '../../db/connection.js';
import { RegionLocator } from '../geo/locator.js';
import { seedDemo, type DemoOptions } from './seed.js';

const OPTIONS: DemoOptions = {
  seed: 7,
  towns: 2,
  villages: 4,
  grids: 10,
  microGrids: 40,
  workers: 30,
  fullTimeWorkers: 10,
  householdsPerMicroGrid: 2,
  days: 1,
  eventsPerDay: 5,
  asOf: new Date('2026-11-25T00:00:00+08:00'),
};

interface Row {
  team_id: string;
  worker_id: string;
  lon: number;
  lat: number;
  at: string;
  received_at: string;
}

function positionsOf(options: DemoOptions) {
  const db = openDatabase(':memory:');
  seedDemo(db, options);
  const rows = db.prepare('SELECT team_id, worker_id, lon, lat, at, received_at FROM team_positions ORDER BY id').all() as Row[];
  return { db, rows };
}

describe('demo patrol tracks', () => {
  it('are none unless asked for (the test county and older seeds are unchanged)', () => {
    expect(positionsOf(OPTIONS).rows).toEqual([]);
  });

  it('are deterministic, stamped with active workers of a team, inside the micro-grids they serve, on the days before asOf', () => {
    const { db, rows } = positionsOf({ ...OPTIONS, patrolDays: 2 });
    expect(rows.length).toBeGreaterThan(100);
    expect(positionsOf({ ...OPTIONS, patrolDays: 2 }).rows).toEqual(rows);

    const workers = new Map(
      (db.prepare('SELECT id, status, team_id, grid_id FROM workers').all() as Array<{ id: string; status: string; team_id: string | null; grid_id: string }>).map((w) => [w.id, w]),
    );
    const served = new Map<string, Set<string>>();
    for (const r of db.prepare('SELECT worker_id, micro_grid_id FROM worker_micro_grids').all() as Array<{ worker_id: string; micro_grid_id: string }>) {
      served.set(r.worker_id, (served.get(r.worker_id) ?? new Set()).add(r.micro_grid_id));
    }
    const micro = db.prepare("SELECT id, parent_id, geometry, min_lon, min_lat, max_lon, max_lat FROM regions WHERE level = 'microgrid'").all() as Array<{
      id: string;
      parent_id: string;
      geometry: string;
      min_lon: number;
      min_lat: number;
      max_lon: number;
      max_lat: number;
    }>;
    const locator = new RegionLocator(micro.map((m) => ({ id: m.id, geometry: JSON.parse(m.geometry) as Polygon, bbox: [m.min_lon, m.min_lat, m.max_lon, m.max_lat] })));
    const gridOf = new Map(micro.map((m) => [m.id, m.parent_id]));
    const from = OPTIONS.asOf.getTime() - 2 * 86_400_000;
    for (const r of rows) {
      const w = workers.get(r.worker_id)!;
      expect(w.status).toBe('active');
      if (w.team_id !== null) expect(r.team_id).toBe(w.team_id);
      const at = Date.parse(r.at);
      expect(at).toBeGreaterThanOrEqual(from);
      expect(at).toBeLessThan(OPTIONS.asOf.getTime());
      expect(Date.parse(r.received_at)).toBeGreaterThan(at);
      const where = locator.locate(r.lon, r.lat)?.id;
      expect(where).toBeDefined();
      const mine = served.get(r.worker_id);
      if (mine) expect(mine.has(where!)).toBe(true);
      else expect(gridOf.get(where!)).toBe(w.grid_id);
    }
  });
});
