import { performance } from 'node:perf_hooks';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import type { Polygon } from 'geojson';
import type { Db } from '../../db/connection.js';
import { Random } from './random.js';

/**
 * Demo patrol tracks (issue 16 part 2): what the field app's position reports of the grid workers
 * would have left in `team_positions` over the last days before the seed's clock, stamped with the
 * worker (`worker_id`) as the position route stamps a linked account's reports. Each active worker
 * with a team walks the micro-grids they serve (worker_micro_grids; the grid's when none are
 * assigned) on some of those days: one patrol of 30–90 min between 08:30 and 15:00 China time,
 * a fix every 3 min (±20 s) at a walking pace, bouncing off the micro-grid's edge, with a few
 * minutes' ride from one micro-grid to the next. Deterministic: its own random stream of the
 * seed, times from `asOf` only.
 *
 * Written with the seed's connection inside its transaction; returns the rows and time it added.
 */
export function seedDemoPatrols(db: Db, options: { seed: number; asOf: Date; patrolDays: number }): { positions: number; ms: number } {
  const started = performance.now();
  if (options.patrolDays <= 0) return { positions: 0, ms: 0 };
  const rng = new Random(options.seed, 'patrols');
  const micro = new Map<string, { polygon: Polygon; bbox: [number, number, number, number] }>();
  const shapeOf = (id: string) => {
    let shape = micro.get(id);
    if (!shape) {
      const r = db.prepare('SELECT geometry, min_lon, min_lat, max_lon, max_lat FROM regions WHERE id = ?').get(id) as { geometry: string; min_lon: number; min_lat: number; max_lon: number; max_lat: number };
      shape = { polygon: JSON.parse(r.geometry) as Polygon, bbox: [r.min_lon, r.min_lat, r.max_lon, r.max_lat] };
      micro.set(id, shape);
    }
    return shape;
  };
  const workers = db
    .prepare(
      `SELECT w.id, w.employment, g.id AS grid_id,
              COALESCE(w.team_id, (SELECT t.id FROM teams t WHERE t.type = 'grid_worker' AND t.home_region_id = g.parent_id ORDER BY t.id LIMIT 1)) AS team_id
         FROM workers w JOIN regions g ON g.id = w.grid_id
        WHERE w.status = 'active'
        ORDER BY w.id`,
    )
    .all() as Array<{ id: string; employment: string; grid_id: string; team_id: string | null }>;
  const served = new Map<string, string[]>();
  for (const r of db.prepare('SELECT worker_id, micro_grid_id FROM worker_micro_grids ORDER BY worker_id, micro_grid_id').all() as Array<{ worker_id: string; micro_grid_id: string }>) {
    served.set(r.worker_id, [...(served.get(r.worker_id) ?? []), r.micro_grid_id]);
  }
  const gridMicro = new Map<string, string[]>();
  for (const r of db.prepare("SELECT id, parent_id FROM regions WHERE level = 'microgrid' ORDER BY id").all() as Array<{ id: string; parent_id: string }>) {
    gridMicro.set(r.parent_id, [...(gridMicro.get(r.parent_id) ?? []), r.id]);
  }
  const insert = db.prepare('INSERT INTO team_positions (team_id, lon, lat, accuracy, at, received_at, user_id, worker_id) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)');
  // midnight China time of the seed's day: patrols fall on the whole days before it
  const today = Math.floor((options.asOf.getTime() + 8 * 3_600_000) / 86_400_000) * 86_400_000 - 8 * 3_600_000;
  let positions = 0;
  for (const w of workers) {
    const area = served.get(w.id) ?? gridMicro.get(w.grid_id) ?? [];
    if (w.team_id === null || area.length === 0) continue;
    for (let d = options.patrolDays; d >= 1; d--) {
      if (!rng.chance(w.employment === 'full_time' ? 0.85 : 0.5)) continue;
      let at = today - d * 86_400_000 + rng.int(8 * 60 + 30, 15 * 60) * 60_000;
      const end = at + rng.int(30, 90) * 60_000;
      // the micro-grids of this patrol, in a shuffled order, at least one
      const route = rng.shuffle([...area]).slice(0, rng.int(1, Math.min(3, area.length)));
      const share = (end - at) / route.length;
      for (const id of route) {
        const shape = shapeOf(id);
        let p = pointInside(shape, rng);
        if (p === null) continue;
        let heading = rng.range(0, 2 * Math.PI);
        const leave = at + share;
        while (at < leave) {
          insert.run(w.team_id, round7(p[0]), round7(p[1]), rng.int(4, 25), new Date(at).toISOString(), new Date(at + rng.int(1, 15) * 1000).toISOString(), w.id);
          positions++;
          heading += rng.range(-0.6, 0.6);
          p = step(shape, p, heading, rng.range(120, 220), () => (heading = rng.range(0, 2 * Math.PI)));
          at += 180_000 + rng.int(-20, 20) * 1000;
        }
        // a few minutes' ride to the next micro-grid (within the 10 min of one span)
        at += rng.int(2, 6) * 60_000;
      }
    }
  }
  return { positions, ms: Math.round(performance.now() - started) };
}

const round7 = (x: number) => Math.round(x * 1e7) / 1e7;
const M_PER_DEG_LAT = 111_195;

/** A random point inside the micro-grid (rejection sampling in its box), null when 50 draws miss. */
function pointInside(shape: { polygon: Polygon; bbox: [number, number, number, number] }, rng: Random): [number, number] | null {
  const [x0, y0, x1, y1] = shape.bbox;
  for (let i = 0; i < 50; i++) {
    const p: [number, number] = [rng.range(x0, x1), rng.range(y0, y1)];
    if (booleanPointInPolygon(p, shape.polygon)) return p;
  }
  return null;
}

/** `metres` along `heading` (radians from north); off the micro-grid's edge it turns (up to 5 times), else stays. */
function step(shape: { polygon: Polygon }, p: [number, number], heading: number, metres: number, turn: () => number): [number, number] {
  let h = heading;
  for (let i = 0; i < 5; i++) {
    const q: [number, number] = [p[0] + (Math.sin(h) * metres) / (M_PER_DEG_LAT * Math.cos((p[1] * Math.PI) / 180)), p[1] + (Math.cos(h) * metres) / M_PER_DEG_LAT];
    if (booleanPointInPolygon(q, shape.polygon)) return q;
    h = turn();
  }
  return p;
}
