/**
 * `npm run bench -- --only tiles`: vector-tile latency at province scale against the county
 * (docs/PERFORMANCE.md, "Maps at province scale").
 * Product: the real server (bench/children/product-server.ts) over a copy of the demo county, then
 * over a copy of the province (`demo:seed --preset zhejiang`: ~90 counties, ~85,000 grids,
 * ~450,000 micro-grids), asked for the same pan path: at each zoom from 8 to 15 a 3 × 3 view
 * around T县's centre, then panned east a column at a time, every layer the zoom shows
 * (TILE_MIN_ZOOM); one request at a time, timed from the request to the last byte. Cold: the first
 * pass on a fresh server (indexes built on the way); warm: the same path again.
 * Baseline: the raw library in this process, no HTTP and no caches of ours: one geojson-vt index
 * per layer over the same regions (those the path reaches; built before timing), each tile cut
 * and encoded with vt-pbf.
 * The figure is province ÷ county of the product's p95.
 */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { GeoJSONVT } from '@maplibre/geojson-vt';
import { fromGeojsonVt } from '@maplibre/vt-pbf';
import type { Feature, Geometry } from 'geojson';
import { TILE_BUFFER, TILE_EXTENT, TILE_LAYERS, TILE_MAX_ZOOM, TILE_MIN_ZOOM, type TileLayer } from '../../shared/contracts/regions.js';
import { Cleanup, copyCounty, percentile, startChild, type Benchmark, type Sample } from '../support.js';
import type { Ready } from '../live-path/sides.js';
import { provinceData } from './province.js';

interface Tile {
  layer: TileLayer;
  z: number;
  x: number;
  y: number;
}

/** The pan: at each zoom a 3 × 3 view around (lon, lat), then `steps` columns east, every layer the zoom shows. */
export function panPath(lon: number, lat: number, steps: number, zooms: readonly number[] = [8, 9, 10, 11, 12, 13, 14, 15]): Tile[] {
  const out: Tile[] = [];
  for (const z of zooms) {
    const n = 2 ** z;
    const cx = Math.floor(((lon + 180) / 360) * n);
    const phi = (lat * Math.PI) / 180;
    const cy = Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n);
    const layers = TILE_LAYERS.filter((l) => TILE_MIN_ZOOM[l] <= z);
    for (let col = cx - 1; col <= cx + 1 + steps; col++) {
      for (let row = cy - 1; row <= cy + 1; row++) for (const layer of layers) out.push({ layer, z, x: col, y: row });
    }
  }
  return out;
}

interface Pass {
  ms: number[];
  empty: number;
  bytes: number;
}

async function httpPass(ready: Ready, path: readonly Tile[]): Promise<Pass> {
  const pass: Pass = { ms: [], empty: 0, bytes: 0 };
  for (const t of path) {
    const t0 = performance.now();
    const res = await fetch(new URL(`api/v1/tiles/${t.layer}/${t.z}/${t.x}/${t.y}.mvt`, ready.url), { headers: { authorization: `Bearer ${ready.token}` } });
    const body = await res.arrayBuffer();
    pass.ms.push(performance.now() - t0);
    if (res.status === 204) pass.empty++;
    else if (res.status !== 200) throw new Error(`tile ${t.layer}/${t.z}/${t.x}/${t.y}: ${res.status}`);
    pass.bytes += body.byteLength;
  }
  return pass;
}

function lonLatBounds(t: Tile): [number, number, number, number] {
  const n = 2 ** t.z;
  const m = TILE_BUFFER / TILE_EXTENT;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [((t.x - m) / n) * 360 - 180, lat(t.y + 1 + m), ((t.x + 1 + m) / n) * 360 - 180, lat(t.y - m)];
}

/**
 * The raw library on the same regions: per layer, one geojson-vt index over every region whose
 * box meets the path's tiles of that layer (untimed), then each tile of the path cut and encoded.
 */
function rawPasses(dbFile: string, path: readonly Tile[]): { cold: Pass; warm: Pass; regions: number } {
  const db = new Database(dbFile, { readonly: true });
  const indexes = new Map<TileLayer, GeoJSONVT>();
  let regions = 0;
  try {
    for (const layer of TILE_LAYERS) {
      const boxes = path.filter((t) => t.layer === layer).map(lonLatBounds);
      if (boxes.length === 0) continue;
      const [w, s, e, n] = [Math.min(...boxes.map((b) => b[0])), Math.min(...boxes.map((b) => b[1])), Math.max(...boxes.map((b) => b[2])), Math.max(...boxes.map((b) => b[3]))];
      const rows = db
        .prepare('SELECT id, code, name, parent_id, kind, geometry, label_lon, label_lat FROM regions WHERE level = ? AND max_lon >= ? AND min_lon <= ? AND max_lat >= ? AND min_lat <= ?')
        .all(layer, w, e, s, n) as Array<{ id: string; code: string; name: string; parent_id: string | null; kind: string; geometry: string; label_lon: number; label_lat: number }>;
      regions += rows.length;
      const features: Feature[] = rows.flatMap((r) => [
        { type: 'Feature', geometry: JSON.parse(r.geometry) as Geometry, properties: { id: r.id, code: r.code, name: r.name, parentId: r.parent_id ?? '', level: layer, kind: r.kind } },
        { type: 'Feature', geometry: { type: 'Point', coordinates: [r.label_lon, r.label_lat] }, properties: { id: r.id, name: r.name, level: layer } },
      ]);
      indexes.set(layer, new GeoJSONVT({ type: 'FeatureCollection', features }, { maxZoom: TILE_MAX_ZOOM, extent: TILE_EXTENT, buffer: TILE_BUFFER, wrap: false }));
    }
  } finally {
    db.close();
  }
  const pass = (): Pass => {
    const out: Pass = { ms: [], empty: 0, bytes: 0 };
    for (const t of path) {
      const t0 = performance.now();
      const tile = indexes.get(t.layer)?.getTile(t.z, t.x, t.y);
      const bytes = tile ? fromGeojsonVt({ [t.layer]: tile }, { version: 2, extent: TILE_EXTENT }).byteLength : 0;
      out.ms.push(performance.now() - t0);
      if (!tile) out.empty++;
      out.bytes += bytes;
    }
    return out;
  };
  return { cold: pass(), warm: pass(), regions };
}

interface SideResult {
  cold: Pass;
  warm: Pass;
  rawCold: Pass;
  rawWarm: Pass;
  rawRegions: number;
  rssMb: number;
  heapMb: number;
}

async function measure(dataDir: string, path: readonly Tile[], log: (line: string) => void): Promise<SideResult> {
  const cleanup = new Cleanup();
  try {
    const dir = copyCounty(dataDir, cleanup);
    const product = await startChild<Ready>('bench/children/product-server.ts', [dir], cleanup, 900_000);
    const cold = await httpPass(product.ready, path);
    const warm = await httpPass(product.ready, path);
    const { memory } = await product.ask<{ memory: NodeJS.MemoryUsage }>({ type: 'memory', gc: true });
    // the server's memory is released before the raw baseline builds its indexes
    await product.stop();
    const raw = rawPasses(join(dir, 'gridcommand.db'), path);
    log(`  ${path.length} tiles: product cold p95 ${percentile(cold.ms, 95).toFixed(1)} ms, warm p95 ${percentile(warm.ms, 95).toFixed(1)} ms; raw cold p95 ${percentile(raw.cold.ms, 95).toFixed(1)} ms over ${raw.regions} regions`);
    return { cold, warm, rawCold: raw.cold, rawWarm: raw.warm, rawRegions: raw.regions, rssMb: memory.rss / 2 ** 20, heapMb: memory.heapUsed / 2 ** 20 };
  } finally {
    await cleanup.run();
  }
}

/** T县's centre, read from the county itself: the pan path is the same on both databases. */
function countyCentre(dataDir: string): [number, number] {
  const db = new Database(join(dataDir, 'gridcommand.db'), { readonly: true });
  try {
    const c = db.prepare("SELECT label_lon AS lon, label_lat AS lat FROM regions WHERE level = 'county' AND code = '330899'").get() as { lon: number; lat: number };
    return [c.lon, c.lat];
  } finally {
    db.close();
  }
}

const p = (xs: number[], q: number) => percentile(xs, q);
const passNote = (name: string, r: Pass) => `${name}: p50 ${p(r.ms, 50).toFixed(2)} ms, ${r.empty} empty of ${r.ms.length}, ${(r.bytes / 2 ** 20).toFixed(1)} MiB`;

export const tilesBench: Benchmark = {
  key: 'tiles',
  title: 'vector tiles over a pan path, province against county',
  async run(ctx) {
    const [lon, lat] = countyCentre(ctx.county.started);
    const path = panPath(lon, lat, ctx.quick ? 2 : 6);
    const province = await provinceData(ctx.quick, ctx.log);
    ctx.log(`  county (${ctx.county.started})`);
    const county = await measure(ctx.county.started, path, ctx.log);
    ctx.log(`  province (${province})`);
    const prov = await measure(province, path, ctx.log);
    const tiles = `${path.length} tiles, z8–z15`;
    const samples: Sample[] = [];
    for (const [phase, c, pr, rc, rp] of [
      ['cold', county.cold, prov.cold, county.rawCold, prov.rawCold],
      ['warm', county.warm, prov.warm, county.rawWarm, prov.rawWarm],
    ] as const) {
      samples.push(
        {
          id: `tiles.${phase}.p95.county`,
          measure: `tile p95, ${phase}, county (raw: geojson-vt + vt-pbf in process)`,
          unit: 'ms',
          baseline: p(rc.ms, 95),
          product: p(c.ms, 95),
          target: { kind: 'stated' },
          note: `${tiles}; product ${passNote('county', c)}; raw ${passNote('county', rc)}`,
        },
        {
          id: `tiles.${phase}.p95.province`,
          measure: `tile p95, ${phase}, province (raw: geojson-vt + vt-pbf in process)`,
          unit: 'ms',
          baseline: p(rp.ms, 95),
          product: p(pr.ms, 95),
          target: { kind: 'stated' },
          note: `product ${passNote('province', pr)}; raw ${passNote('province', rp)} over ${prov.rawRegions} regions`,
        },
        {
          id: `tiles.${phase}.p95.ratio`,
          measure: `tile p95, ${phase}: province (product) ÷ county (baseline)`,
          unit: 'ms',
          baseline: p(c.ms, 95),
          product: p(pr.ms, 95),
          target: { kind: 'ratio-max', value: phase === 'cold' ? 3 : 1.5 },
        },
      );
    }
    samples.push({
      id: 'tiles.memory',
      measure: 'server heap after the pan (county baseline, province product)',
      unit: 'MiB',
      baseline: county.heapMb,
      product: prov.heapMb,
      target: { kind: 'stated' },
      note: `RSS ${county.rssMb.toFixed(0)} MiB county, ${prov.rssMb.toFixed(0)} MiB province`,
    });
    return samples;
  },
};
