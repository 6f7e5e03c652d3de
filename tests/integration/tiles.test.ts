import { VectorTile } from '@mapbox/vector-tile';
import intersect from '@turf/intersect';
import type { Feature, Geometry, MultiPolygon, Polygon, Position } from 'geojson';
import { PbfReader } from 'pbf';
import { beforeAll, describe, expect, it } from 'vitest';
import { TILE_BUFFER, TILE_EXTENT, TILE_LAYERS, TILE_MIN_ZOOM, type TileLayer } from '../../shared/contracts/regions.js';
import type { ImportJob } from '../../shared/contracts/imports.js';
import type { Store } from '../../server/src/db/store.js';
import { api, cleanupAfterAll, loginAs, startTestServer, type TestServer } from './harness.js';
import { bytesOf, clone, levelAsGeoJsonIn, siblings } from './imports-fixtures.js';
import { SMALL_PLATFORM, seedPlatform } from './platform-fixture.js';

const { later, tempDir } = cleanupAfterAll();

/** What the server's regions say a tile must hold: every region of the layer, from the geo API or the table. */
interface Region {
  id: string;
  props: { id: string; code: string; name: string; parentId: string; level: TileLayer; kind: string };
  geometry: Polygon | MultiPolygon;
  label: [number, number];
  bbox: [number, number, number, number];
}

interface Fetched {
  status: number;
  etag: string | null;
  body: Buffer;
}

async function fetchTile(server: TestServer, path: string, headers: Record<string, string> = {}): Promise<Fetched> {
  const res = await fetch(new URL(`/api/v1/tiles/${path}`, server.url), { headers: { authorization: `Bearer ${server.token}`, ...headers } });
  return { status: res.status, etag: res.headers.get('etag'), body: Buffer.from(await res.arrayBuffer()) };
}

// Web-mercator tile coordinates, written out here rather than taken from the server's code.
const tileX = (lon: number, z: number) => ((lon + 180) / 360) * 2 ** z;
const tileY = (lat: number, z: number) => {
  const phi = (lat * Math.PI) / 180;
  return ((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * 2 ** z;
};
const lonOf = (tx: number, z: number) => (tx / 2 ** z) * 360 - 180;
const latOf = (ty: number, z: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / 2 ** z))) * 180) / Math.PI;

/** The tile's rectangle in lon/lat, grown (or shrunk, when negative) by `units` of the 4096 on each side. */
function tileRect(z: number, x: number, y: number, units: number): { bbox: [number, number, number, number]; polygon: Feature<Polygon> } {
  const m = units / TILE_EXTENT;
  const [w, s, e, n] = [lonOf(x - m, z), latOf(y + 1 + m, z), lonOf(x + 1 + m, z), latOf(y - m, z)];
  return { bbox: [w, s, e, n], polygon: { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [[[w, s], [e, s], [e, n], [w, n], [w, s]]] } } };
}

const overlaps = (a: number[], b: number[]) => a[0]! <= b[2]! && b[0]! <= a[2]! && a[1]! <= b[3]! && b[1]! <= a[3]!;

function intersects(region: Region, rect: ReturnType<typeof tileRect>): boolean {
  if (!overlaps(region.bbox, rect.bbox)) return false;
  const shape: Feature<Polygon | MultiPolygon> = { type: 'Feature', properties: {}, geometry: region.geometry };
  return intersect({ type: 'FeatureCollection', features: [shape, rect.polygon] }) !== null;
}

function bboxOf(geometry: Polygon | MultiPolygon): [number, number, number, number] {
  const points: Position[] = geometry.type === 'Polygon' ? geometry.coordinates.flat() : geometry.coordinates.flat(2);
  const xs = points.map((p) => p[0]!);
  const ys = points.map((p) => p[1]!);
  return [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)];
}

/** The layer's regions: GET /api/v1/geo/{level} for the levels it serves, the regions table for cities and counties. */
async function regionsOf(server: TestServer, layer: TileLayer): Promise<Region[]> {
  if (layer === 'city' || layer === 'county') {
    const rows = await server.store.all<{ id: string; code: string; name: string; parent_id: string | null; kind: string; geometry: string; label_lon: number; label_lat: number }>(
      'SELECT id, code, name, parent_id, kind, geometry, label_lon, label_lat FROM regions WHERE level = ?',
      layer,
    );
    return rows.map((r) => {
      const geometry = JSON.parse(r.geometry) as Polygon | MultiPolygon;
      return { id: r.id, props: { id: r.id, code: r.code, name: r.name, parentId: r.parent_id ?? '', level: layer, kind: r.kind }, geometry, label: [r.label_lon, r.label_lat], bbox: bboxOf(geometry) };
    });
  }
  const res = await api<{ features: Array<{ geometry: Polygon; properties: Region['props'] & { labelLon: number; labelLat: number } }> }>(server.url, `/api/v1/geo/${layer}`);
  expect(res.status).toBe(200);
  return res.body.features.map(({ geometry, properties: p }) => ({
    id: p.id,
    props: { id: p.id, code: p.code, name: p.name, parentId: p.parentId, level: p.level as TileLayer, kind: p.kind },
    geometry,
    label: [p.labelLon, p.labelLat],
    bbox: bboxOf(geometry),
  }));
}

interface Decoded {
  polygons: Array<{ props: Record<string, unknown>; geometry: Geometry }>;
  labels: Array<{ props: Record<string, unknown>; at: Position }>;
}

function decode(body: Buffer, layer: TileLayer, z: number, x: number, y: number): Decoded {
  const tile = new VectorTile(new PbfReader(body));
  expect(Object.keys(tile.layers).every((name) => name === layer || name === `${layer}_label`)).toBe(true);
  const out: Decoded = { polygons: [], labels: [] };
  const polygons = tile.layers[layer];
  for (let i = 0; polygons && i < polygons.length; i++) {
    const f = polygons.feature(i);
    expect(f.extent).toBe(TILE_EXTENT);
    out.polygons.push({ props: f.properties, geometry: f.toGeoJSON(x, y, z).geometry });
  }
  const labels = tile.layers[`${layer}_label`];
  for (let i = 0; labels && i < labels.length; i++) {
    const g = labels.feature(i).toGeoJSON(x, y, z).geometry;
    expect(g.type).toBe('Point');
    out.labels.push({ props: labels.feature(i).properties, at: (g as { coordinates: Position }).coordinates });
  }
  return out;
}

function vertices(g: Geometry): Position[] {
  if (g.type === 'Polygon') return g.coordinates.flat();
  if (g.type === 'MultiPolygon') return g.coordinates.flat(2);
  throw new Error(`a ${g.type} in a polygon layer`);
}

/**
 * The tile against the GeoJSON clipped to it. A region that overlaps the tile (shrunk by a few
 * units, so that simplification by geojson-vt's tolerance cannot decide it) is in the tile; a
 * region that does not reach the tile grown by its buffer is not; one that only touches the
 * buffer may be either. Every vertex lies in the buffered tile (the clip), properties are the
 * region's, and the labels are the anchors inside the tile (those within a unit of an edge may
 * fall to either neighbour).
 */
async function expectTileMatches(server: TestServer, regions: Region[], layer: TileLayer, z: number, x: number, y: number): Promise<Decoded> {
  const inner = tileRect(z, x, y, -4);
  const outer = tileRect(z, x, y, TILE_BUFFER + 1);
  const must = regions.filter((r) => intersects(r, inner));
  const may = new Set(regions.filter((r) => intersects(r, outer)).map((r) => r.id));
  const anchorsIn = regions.filter((r) => {
    const [px, py] = [(tileX(r.label[0], z) - x) * TILE_EXTENT, (tileY(r.label[1], z) - y) * TILE_EXTENT];
    return px >= 1 && px < TILE_EXTENT - 1 && py >= 1 && py < TILE_EXTENT - 1;
  });
  const anchorsNear = new Set(
    regions
      .filter((r) => {
        const [px, py] = [(tileX(r.label[0], z) - x) * TILE_EXTENT, (tileY(r.label[1], z) - y) * TILE_EXTENT];
        return px >= -1 && px < TILE_EXTENT + 1 && py >= -1 && py < TILE_EXTENT + 1;
      })
      .map((r) => r.id),
  );

  const res = await fetchTile(server, `${layer}/${z}/${x}/${y}.mvt`);
  const where = `${layer}/${z}/${x}/${y}`;
  if (may.size === 0) {
    expect(res.status, where).toBe(204);
    expect(res.body.byteLength).toBe(0);
    return { polygons: [], labels: [] };
  }
  if (must.length > 0) expect(res.status, where).toBe(200);
  if (res.status === 204) return { polygons: [], labels: [] };
  const decoded = decode(res.body, layer, z, x, y);
  const ids = decoded.polygons.map((p) => p.props.id as string);
  expect(new Set(ids).size, `${where}: one feature per region`).toBe(ids.length);
  for (const r of must) expect(ids, `${where}: ${r.id} overlaps the tile`).toContain(r.id);
  for (const id of ids) expect(may.has(id), `${where}: ${id} does not reach the buffered tile`).toBe(true);

  const byId = new Map(regions.map((r) => [r.id, r]));
  const [w, s, e, n] = outer.bbox;
  for (const p of decoded.polygons) {
    expect(p.props, where).toEqual(byId.get(p.props.id as string)!.props);
    for (const [lon, lat] of vertices(p.geometry)) {
      expect(lon! >= w && lon! <= e && lat! >= s && lat! <= n, `${where}: vertex ${lon},${lat} of ${String(p.props.id)} outside the buffered tile`).toBe(true);
    }
  }

  const labelIds = decoded.labels.map((l) => l.props.id as string);
  for (const r of anchorsIn) expect(labelIds, `${where}: label of ${r.id}`).toContain(r.id);
  for (const l of decoded.labels) {
    const r = byId.get(l.props.id as string)!;
    expect(anchorsNear.has(r.id), `${where}: label of ${r.id} is outside the tile`).toBe(true);
    expect(l.props).toEqual({ id: r.id, name: r.props.name, level: layer });
    // one tile unit at this zoom, in degrees of longitude: the anchor after rounding to the grid
    const unit = 360 / 2 ** z / TILE_EXTENT;
    expect(Math.abs(l.at[0]! - r.label[0])).toBeLessThanOrEqual(unit);
    expect(Math.abs(l.at[1]! - r.label[1])).toBeLessThanOrEqual(unit);
  }
  return decoded;
}

const ZOOMS: Record<TileLayer, number[]> = { city: [4, 8, 11], county: [5, 9, 12], town: [8, 11, 13], village: [9, 12, 14], grid: [10, 13, 15], microgrid: [12, 14, 16] };

/** The tiles to check at zoom z: the middle of the map, a few label anchors, and the points where counties meet (or the county's edge). */
function tilesAt(z: number, regions: Region[], edges: Position[]): Array<[number, number]> {
  const points: Position[] = [...edges];
  const step = Math.max(1, Math.floor(regions.length / 3));
  for (let i = 0; i < regions.length; i += step) points.push(regions[i]!.label);
  const tiles = new Map<string, [number, number]>();
  for (const [lon, lat] of points) {
    const t: [number, number] = [Math.floor(tileX(lon!, z)), Math.floor(tileY(lat!, z))];
    tiles.set(t.join('/'), t);
  }
  return [...tiles.values()];
}

/** Vertices that two counties' outlines share: where a tile crosses a county border. */
async function countyBorderPoints(store: Store): Promise<Position[]> {
  const rows = await store.all<{ code: string; geometry: string }>("SELECT code, geometry FROM regions WHERE level = 'county' ORDER BY code");
  const owners = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const p of vertices(JSON.parse(r.geometry) as Geometry)) {
      const key = `${p[0]!.toFixed(7)},${p[1]!.toFixed(7)}`;
      owners.set(key, (owners.get(key) ?? new Set()).add(r.code));
    }
  }
  const shared = [...owners].filter(([, codes]) => codes.size >= 2).map(([key]) => key.split(',').map(Number));
  return rows.length === 1 ? vertices(JSON.parse(rows[0]!.geometry) as Geometry).slice(0, 2) : shared.filter((_, i) => i % Math.max(1, Math.floor(shared.length / 4)) === 0).slice(0, 4);
}

function checksTilesOf(name: string, start: () => Promise<TestServer>, { counties }: { counties: number }) {
  describe(`vector tiles: ${name}`, () => {
    let server: TestServer;
    let borders: Position[];
    beforeAll(async () => {
      server = await start();
      later(() => server.stop());
      borders = await countyBorderPoints(server.store);
    });

    for (const layer of TILE_LAYERS) {
      it(`${layer}: every tile holds exactly the regions and label anchors the GeoJSON puts in it`, async () => {
        const regions = await regionsOf(server, layer);
        let checked = 0;
        for (const z of ZOOMS[layer]) {
          for (const [x, y] of tilesAt(z, regions, borders)) {
            await expectTileMatches(server, regions, layer, z, x, y);
            checked++;
          }
        }
        if (regions.length > 0) expect(checked).toBeGreaterThan(3);
      });
    }

    if (counties > 1) {
      it('merges the counties a tile crosses: a micro-grid tile on a county border holds both', async () => {
        expect(borders.length).toBeGreaterThan(0);
        const z = 14;
        const countiesIn = await Promise.all(
          borders.map(async ([lon, lat]) => {
            const [x, y] = [Math.floor(tileX(lon!, z)), Math.floor(tileY(lat!, z))];
            const res = await fetchTile(server, `microgrid/${z}/${x}/${y}.mvt`);
            return new Set(decode(res.body, 'microgrid', z, x, y).polygons.map((p) => (p.props.code as string).slice(0, 6))).size;
          }),
        );
        expect(Math.max(...countiesIn)).toBeGreaterThanOrEqual(2);
      });
    }

    it('answers 204 with no body below a layer’s minimum zoom and where the layer has nothing', async () => {
      const below = await fetchTile(server, `microgrid/${TILE_MIN_ZOOM.microgrid - 1}/0/0.mvt`);
      expect([below.status, below.body.byteLength]).toEqual([204, 0]);
      // the South Atlantic
      const sea = await fetchTile(server, `town/12/${Math.floor(tileX(-20, 12))}/${Math.floor(tileY(-30, 12))}.mvt`);
      expect([sea.status, sea.body.byteLength]).toEqual([204, 0]);
    });
  });
}

checksTilesOf('the small county', () => startTestServer(), { counties: 1 });

checksTilesOf('a small city of three counties', async () => {
  const dataDir = seedPlatform(tempDir());
  return startTestServer({ dataDir });
}, { counties: SMALL_PLATFORM.counties ?? 1 });

describe('vector tiles: the HTTP side', () => {
  let server: TestServer;
  let path: string;
  beforeAll(async () => {
    server = await startTestServer();
    later(() => server.stop());
    const town = (await server.store.get<{ label_lon: number; label_lat: number }>("SELECT label_lon, label_lat FROM regions WHERE level = 'town' ORDER BY code LIMIT 1"))!;
    path = `town/12/${Math.floor(tileX(town.label_lon, 12))}/${Math.floor(tileY(town.label_lat, 12))}.mvt`;
  });

  it('serves a Mapbox vector tile with a strong ETag, revalidated with 304', async () => {
    const res = await fetch(new URL(`/api/v1/tiles/${path}`, server.url), { headers: { authorization: `Bearer ${server.token}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile');
    expect(res.headers.get('cache-control')).toBe('no-cache');
    const etag = res.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    const again = await fetchTile(server, path, { 'if-none-match': etag });
    expect([again.status, again.body.byteLength, again.etag]).toEqual([304, 0, etag]);
    const stale = await fetchTile(server, path, { 'if-none-match': '"other"' });
    expect(stale.status).toBe(200);
  });

  it.each([
    ['province/3/1/1.mvt', 'layer', 'not_allowed'],
    ['town/23/1/1.mvt', 'z', 'too_big'],
    ['town/3/8/1.mvt', 'x', 'too_big'],
    ['town/3/1/8.mvt', 'y', 'too_big'],
    ['town/3/1/1.5.mvt', 'y', 'bad_format'],
    ['town/-1/0/0.mvt', 'z', 'bad_format'],
    ['town/1e1/0/0.mvt', 'z', 'bad_format'],
    ['town/03/0/0.mvt', 'z', 'bad_format'],
  ])('refuses %s with a 400 naming %s, in both languages', async (p, field, code) => {
    for (const [lang, word] of [['zh-CN', '路径参数有误'], ['en', 'path']] as const) {
      const res = await api<{ error: { code: string; message: string; fields: Array<{ field: string; code: string; message: string }> } }>(server.url, `/api/v1/tiles/${p}`, { headers: { 'accept-language': lang } });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'invalid_params', fields: [{ field, code }] });
      expect(res.body.error.message.toLowerCase()).toContain(word);
    }
  });

  it('answers 401 without a session', async () => {
    const res = await fetch(new URL(`/api/v1/tiles/${path}`, server.url));
    expect(res.status).toBe(401);
  });

  it('serves the new polygons right after a boundary import', async () => {
    const admin = await loginAs(server.url, 'demo-sysadmin');
    const fc = await levelAsGeoJsonIn(server.store, 'microgrid');
    const [a, b] = siblings(fc);
    const codeA = fc.features[a]!.properties['编码']!;
    const codeB = fc.features[b]!.properties['编码']!;
    const [lon, lat] = fc.features[a]!.geometry.coordinates[0]![0]!;
    const z = 15;
    const [x, y] = [Math.floor(tileX(lon!, z)), Math.floor(tileY(lat!, z))];
    const tilePath = `microgrid/${z}/${x}/${y}.mvt`;
    const before = await fetchTile(server, tilePath);
    expect(before.status).toBe(200);
    const shapeOf = (d: Decoded, id: string) => d.polygons.find((p) => p.props.id === id)?.geometry;
    const aBefore = shapeOf(decode(before.body, 'microgrid', z, x, y), codeA);
    expect(aBefore).toBeDefined();

    // the county redrew the two: A's ground now belongs to B and the other way round
    const swapped = clone(fc);
    [swapped.features[a]!.geometry, swapped.features[b]!.geometry] = [swapped.features[b]!.geometry, swapped.features[a]!.geometry];
    const started = await api<ImportJob>(server.url, '/api/v1/imports/grids?level=microgrid', {
      method: 'POST',
      body: bytesOf(swapped),
      token: admin,
      headers: { 'content-type': 'application/geo+json', 'x-file-name': encodeURIComponent('微网格.geojson') },
    });
    expect(started.status).toBe(202);
    let job = started.body;
    while (job.state === 'validating') {
      await new Promise((r) => setTimeout(r, 20));
      job = (await api<ImportJob>(server.url, `/api/v1/imports/${job.id}`, { token: admin })).body;
    }
    expect(job.state).toBe('ready');
    expect((await api(server.url, `/api/v1/imports/${job.id}/write`, { method: 'POST', token: admin })).status).toBe(200);

    const after = await fetchTile(server, tilePath, { 'if-none-match': before.etag! });
    expect(after.status).toBe(200);
    expect(after.etag).not.toBe(before.etag);
    expect(shapeOf(decode(after.body, 'microgrid', z, x, y), codeB)).toEqual(aBefore);
  });
});
