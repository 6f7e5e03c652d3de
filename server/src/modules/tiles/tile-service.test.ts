import { VectorTile } from '@mapbox/vector-tile';
import { PbfReader } from 'pbf';
import { describe, expect, it } from 'vitest';
import { TILE_MIN_ZOOM, type TileLayer } from '../../../../shared/contracts/regions.js';
import { TileService, tileBounds } from './tile-service.js';
import type { RegionGroup, TileRegion, TilesRepo } from './tiles.repo.js';

/** Two counties side by side, each one square micro-grid of 0.01° with its label at the centre. */
function square(code: string, lon: number, lat: number): TileRegion {
  const d = 0.01;
  return {
    id: code,
    code,
    name: `网格${code.slice(-2)}`,
    parentId: code.slice(0, 15),
    kind: 'microgrid',
    geometry: { type: 'Polygon', coordinates: [[[lon, lat], [lon + d, lat], [lon + d, lat + d], [lon, lat + d], [lon, lat]]] },
    labelLon: lon + d / 2,
    labelLat: lat + d / 2,
  };
}

class FakeRepo implements Pick<TilesRepo, 'groups' | 'regions'> {
  readonly reads: string[] = [];
  constructor(private readonly byCounty: Record<string, TileRegion[]>) {}
  async groups(layer: TileLayer): Promise<RegionGroup[]> {
    if (layer !== 'microgrid') return [];
    return Object.entries(this.byCounty).map(([key, rs]) => {
      const cs = rs.flatMap((r) => (r.geometry.type === 'Polygon' ? r.geometry.coordinates[0]! : []));
      return { key, features: rs.length, bbox: [Math.min(...cs.map((c) => c[0]!)), Math.min(...cs.map((c) => c[1]!)), Math.max(...cs.map((c) => c[0]!)), Math.max(...cs.map((c) => c[1]!))] };
    });
  }
  async regions(layer: TileLayer, key: string): Promise<TileRegion[]> {
    this.reads.push(`${layer}/${key}`);
    return this.byCounty[key] ?? [];
  }
}

const tileOf = (lon: number, lat: number, z: number): [number, number] => {
  const n = 2 ** z;
  const phi = (lat * Math.PI) / 180;
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(phi) + 1 / Math.cos(phi)) / Math.PI) / 2) * n)];
};

const ids = (body: Uint8Array, layer: string) => {
  const l = new VectorTile(new PbfReader(body)).layers[layer];
  return Array.from({ length: l?.length ?? 0 }, (_, i) => l!.feature(i).properties.id);
};

describe('TileService', () => {
  const a = square('330101001001001001', 120.0, 30.0);
  const b = square('330102001001001001', 120.5, 30.0);

  it('reads only the counties a tile reaches, builds each once, and merges counties into one tile', async () => {
    const repo = new FakeRepo({ '330101': [a], '330102': [b] });
    const tiles = new TileService(repo);
    const [x, y] = tileOf(120.005, 30.005, 14);
    const one = (await tiles.tile('microgrid', 14, x, y))!;
    expect(ids(one.body, 'microgrid')).toEqual([a.id]);
    expect(ids(one.body, 'microgrid_label')).toEqual([a.id]);
    expect(repo.reads).toEqual(['microgrid/330101']);
    // the other county is read when a tile first reaches it; below the micro-grid zoom nothing is cut
    const [x8, y8] = tileOf(120.25, 30.0, 8);
    expect(ids((await tiles.tile('microgrid', 12, ...tileOf(120.505, 30.005, 12)))!.body, 'microgrid')).toEqual([b.id]);
    expect(repo.reads).toEqual(['microgrid/330101', 'microgrid/330102']);
    expect(TILE_MIN_ZOOM.microgrid).toBeGreaterThan(8);
    expect(await tiles.tile('microgrid', 8, x8, y8)).toBeNull();
    // the same tile again: from the tile cache, same ETag
    expect(await tiles.tile('microgrid', 14, x, y)).toBe(one);
  });

  it('merges the features of two counties that meet in a tile', async () => {
    const c = square('330102001001001002', 120.01, 30.0); // shares a's east edge, in the other county
    const repo = new FakeRepo({ '330101': [a], '330102': [c] });
    const [x, y] = tileOf(120.01, 30.005, 13);
    expect(ids((await new TileService(repo).tile('microgrid', 13, x, y))!.body, 'microgrid').sort()).toEqual([a.id, c.id]);
  });

  it('answers null for an empty tile and below the layer’s zoom, and rebuilds after invalidate', async () => {
    const repo = new FakeRepo({ '330101': [a] });
    const tiles = new TileService(repo);
    expect(await tiles.tile('microgrid', 14, 0, 0)).toBeNull();
    expect(await tiles.tile('microgrid', TILE_MIN_ZOOM.microgrid - 1, ...tileOf(120.005, 30.005, TILE_MIN_ZOOM.microgrid - 1))).toBeNull();
    expect(await tiles.tile('town', 14, 0, 0)).toBeNull();
    const at = tileOf(120.005, 30.005, 14);
    await tiles.tile('microgrid', 14, ...at);
    tiles.invalidate();
    expect(tiles.stats()).toEqual({ indexes: 0, indexedRegions: 0, tiles: 0, tileBytes: 0 });
    await tiles.tile('microgrid', 14, ...at);
    expect(repo.reads).toEqual(['microgrid/330101', 'microgrid/330101']);
  });

  it('requests that arrive together share one read of a group', async () => {
    const repo = new FakeRepo({ '330101': [a] });
    const tiles = new TileService(repo);
    const at = tileOf(120.005, 30.005, 14);
    const [one, two] = await Promise.all([tiles.tile('microgrid', 14, ...at), tiles.tile('microgrid', 15, at[0] * 2, at[1] * 2)]);
    expect(ids(one!.body, 'microgrid')).toEqual([a.id]);
    expect(ids(two!.body, 'microgrid')).toEqual([a.id]);
    expect(repo.reads).toEqual(['microgrid/330101']);
  });

  it('keeps nothing read before an invalidate that overtook it', async () => {
    const repo = new FakeRepo({ '330101': [a] });
    const tiles = new TileService(repo);
    const pending = tiles.tile('microgrid', 14, ...tileOf(120.005, 30.005, 14));
    tiles.invalidate();
    expect(ids((await pending)!.body, 'microgrid')).toEqual([a.id]);
    // the tile was cut from groups read before the invalidate: answered, not cached
    expect(tiles.stats()).toMatchObject({ tiles: 0, tileBytes: 0 });
  });

  it('keeps no more indexed regions than its budget', async () => {
    const repo = new FakeRepo({ '330101': [a], '330102': [b] });
    const tiles = new TileService(repo, { indexedRegions: 1, tileBytes: 1 });
    await tiles.tile('microgrid', 14, ...tileOf(120.005, 30.005, 14));
    await tiles.tile('microgrid', 14, ...tileOf(120.505, 30.005, 14));
    expect(tiles.stats()).toMatchObject({ indexes: 1, indexedRegions: 1, tiles: 0 });
  });

  it('tileBounds gives the tile’s corners, grown by a margin', () => {
    expect(tileBounds(0, 0, 0)).toEqual([-180, expect.closeTo(-85.0511, 3), 180, expect.closeTo(85.0511, 3)]);
    const [w, , e] = tileBounds(1, 1, 0, 0.5);
    expect([w, e]).toEqual([-90, 270]);
  });
});
