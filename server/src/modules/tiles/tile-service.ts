import { createHash } from 'node:crypto';
import Flatbush from 'flatbush';
import type { Feature, FeatureCollection } from 'geojson';
import { GeoJSONVT, type GeoJSONVTFeature } from '@maplibre/geojson-vt';
import { fromVectorTileJs, GeoJSONWrapper } from '@maplibre/vt-pbf';
import { TILE_BUFFER, TILE_EXTENT, TILE_MAX_ZOOM, TILE_MIN_ZOOM, type TileLayer } from '../../../../shared/contracts/regions.js';
import { CostLru } from './cost-lru.js';
import type { RegionGroup, TilesRepo } from './tiles.repo.js';

export interface EncodedTile {
  body: Uint8Array;
  /** A strong ETag of the body: a tile that a boundary import left as it was keeps its tag. */
  etag: string;
}

export interface TileServiceLimits {
  /** Regions (polygon + label point each) held in geojson-vt indexes at once. */
  indexedRegions: number;
  /** Bytes of encoded tiles held at once. */
  tileBytes: number;
}

/**
 * A geojson-vt index holds ~10 KB a region once tiles from z0 down to z15 have been cut from it
 * (measured on the city preset: it keeps every tile on the way), so 30,000 regions (~120 towns'
 * micro-grids, a wide pan at street level) stay near 300 MB. Encoded tiles: 64 MiB.
 */
export const DEFAULT_TILE_LIMITS: TileServiceLimits = { indexedRegions: 30_000, tileBytes: 64 * 2 ** 20 };

/**
 * Simplification tolerance in tile units (1/4096 of a tile; geojson-vt's default is 3). Each
 * polygon is simplified on its own, so two neighbours may thin their shared border differently;
 * at 1 unit (1/8 of a pixel of a 512-pixel tile) the difference never shows as a gap or overlap,
 * while a county's outline at low zoom is still thinned.
 */
const TOLERANCE = 1;

/** An empty tile is remembered too (panning over the sea asks for many), at a nominal cost. */
const EMPTY_TILE_COST = 64;

interface LayerGroups {
  groups: RegionGroup[];
  /** Over the groups' extents; null when the layer has no regions. */
  index: Flatbush | null;
}

/**
 * Cuts the vector tiles of the static layers. Nothing is indexed up front: a province holds
 * 450,000 micro-grids, and one geojson-vt index over all of them would cost gigabytes and
 * seconds. Instead each layer is split by code prefix (county, or town for grids and
 * micro-grids: RegionGroup); a group's index is built on the first tile that reaches it (a
 * flatbush over the groups' extents says which), kept in an LRU bounded by regions, and a tile
 * on a border merges the features of every group it touches.
 * Encoded tiles are kept in an LRU bounded by bytes. The regions are read through the async
 * store; the indexing and cutting that follow run in one turn. Concurrent requests that need the
 * same layer or group share one read, and a read that an `invalidate` overtook is not kept.
 */
export class TileService {
  private readonly layers = new Map<TileLayer, Promise<LayerGroups>>();
  private readonly indexes: CostLru<string, GeoJSONVT>;
  private readonly building = new Map<string, Promise<GeoJSONVT>>();
  private readonly tiles: CostLru<string, EncodedTile | null>;
  /** Bumped by invalidate: what was read before it is not kept after it. */
  private generation = 0;

  constructor(
    private readonly repo: Pick<TilesRepo, 'groups' | 'regions'>,
    limits: TileServiceLimits = DEFAULT_TILE_LIMITS,
  ) {
    this.indexes = new CostLru(limits.indexedRegions);
    this.tiles = new CostLru(limits.tileBytes);
  }

  /** The encoded tile, or null when nothing of the layer falls in it (or it is below the layer's zoom). */
  async tile(layer: TileLayer, z: number, x: number, y: number): Promise<EncodedTile | null> {
    if (z < TILE_MIN_ZOOM[layer] || z > TILE_MAX_ZOOM) return null;
    const key = `${layer}/${z}/${x}/${y}`;
    const cached = this.tiles.get(key);
    if (cached !== undefined) return cached;
    const generation = this.generation;
    const tile = await this.cut(layer, z, x, y);
    if (generation === this.generation) this.tiles.set(key, tile, tile ? tile.body.byteLength : EMPTY_TILE_COST);
    return tile;
  }

  /** Forgets every index and tile (a boundary import changed the regions). */
  invalidate(): void {
    this.generation += 1;
    this.layers.clear();
    this.indexes.clear();
    this.building.clear();
    this.tiles.clear();
  }

  /** What is held, for the bench and the tests. */
  stats(): { indexes: number; indexedRegions: number; tiles: number; tileBytes: number } {
    return { indexes: this.indexes.size, indexedRegions: this.indexes.cost, tiles: this.tiles.size, tileBytes: this.tiles.cost };
  }

  private async cut(layer: TileLayer, z: number, x: number, y: number): Promise<EncodedTile | null> {
    const { groups, index } = await this.groupsOf(layer);
    if (!index) return null;
    const [minLon, minLat, maxLon, maxLat] = tileBounds(z, x, y, TILE_BUFFER / TILE_EXTENT);
    const reached = index.search(minLon, minLat, maxLon, maxLat).sort((a, b) => a - b);
    const indexes = await Promise.all(reached.map((i) => this.indexOf(layer, groups[i]!)));
    const polygons: GeoJSONVTFeature[] = [];
    const labels: GeoJSONVTFeature[] = [];
    for (const groupIndex of indexes) {
      const features: GeoJSONVTFeature[] = groupIndex.getTile(z, x, y)?.features ?? [];
      for (const f of features) {
        if (f.type !== 1) polygons.push(f);
        // A label belongs to the one tile its anchor is in: the buffer would repeat it in the
        // neighbours, and MapLibre places point symbols from inside the tile only.
        else if (f.geometry.every(([px, py]) => px >= 0 && px < TILE_EXTENT && py >= 0 && py < TILE_EXTENT)) labels.push(f);
      }
    }
    if (polygons.length === 0 && labels.length === 0) return null;
    const layers: Record<string, GeoJSONWrapper> = {};
    if (polygons.length > 0) layers[layer] = vtLayer(layer, polygons);
    if (labels.length > 0) layers[`${layer}_label`] = vtLayer(`${layer}_label`, labels);
    const body = fromVectorTileJs({ layers });
    return { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
  }

  private groupsOf(layer: TileLayer): Promise<LayerGroups> {
    const held = this.layers.get(layer);
    if (held) return held;
    const read = this.readGroups(layer);
    this.layers.set(layer, read);
    // a failed read is not kept: the next request reads again
    read.catch(() => {
      if (this.layers.get(layer) === read) this.layers.delete(layer);
    });
    return read;
  }

  private async readGroups(layer: TileLayer): Promise<LayerGroups> {
    const groups = await this.repo.groups(layer);
    let index: Flatbush | null = null;
    if (groups.length > 0) {
      index = new Flatbush(groups.length);
      for (const [minLon, minLat, maxLon, maxLat] of groups.map((g) => g.bbox)) index.add(minLon, minLat, maxLon, maxLat);
      index.finish();
    }
    return { groups, index };
  }

  private indexOf(layer: TileLayer, group: RegionGroup): Promise<GeoJSONVT> {
    const key = `${layer}/${group.key}`;
    const held = this.indexes.get(key);
    if (held) return Promise.resolve(held);
    let pending = this.building.get(key);
    if (!pending) {
      const generation = this.generation;
      const build = this.buildIndex(layer, group.key).then(({ index, regions }) => {
        if (generation === this.generation) this.indexes.set(key, index, regions);
        return index;
      });
      const settled = () => {
        if (this.building.get(key) === build) this.building.delete(key);
      };
      build.then(settled, settled);
      this.building.set(key, build);
      pending = build;
    }
    return pending;
  }

  private async buildIndex(layer: TileLayer, groupKey: string): Promise<{ index: GeoJSONVT; regions: number }> {
    const regions = await this.repo.regions(layer, groupKey);
    const features: Feature[] = [];
    for (const r of regions) {
      // Properties only, no feature id: a vector tile's id is an integer and ours are text;
      // the console promotes `id` instead.
      features.push({ type: 'Feature', geometry: r.geometry, properties: { id: r.id, code: r.code, name: r.name, parentId: r.parentId, level: layer, kind: r.kind } });
      features.push({ type: 'Feature', geometry: { type: 'Point', coordinates: [r.labelLon, r.labelLat] }, properties: { id: r.id, name: r.name, level: layer } });
    }
    const data: FeatureCollection = { type: 'FeatureCollection', features };
    const index = new GeoJSONVT(data, { maxZoom: TILE_MAX_ZOOM, extent: TILE_EXTENT, buffer: TILE_BUFFER, tolerance: TOLERANCE, wrap: false });
    return { index, regions: regions.length };
  }
}

/**
 * One vector-tile layer of geojson-vt features gathered from several indexes: what vt-pbf's
 * fromGeojsonVt builds per layer, which takes whole geojson-vt tiles rather than features.
 */
function vtLayer(name: string, features: GeoJSONVTFeature[]): GeoJSONWrapper {
  const wrapper = new GeoJSONWrapper(features, { version: 2, extent: TILE_EXTENT });
  wrapper.name = name;
  return wrapper;
}

/**
 * [minLon, minLat, maxLon, maxLat] of web-mercator tile z/x/y grown on each side by `margin`
 * (a fraction of the tile's side).
 */
export function tileBounds(z: number, x: number, y: number, margin = 0): [number, number, number, number] {
  const n = 2 ** z;
  const lon = (tx: number) => (tx / n) * 360 - 180;
  const lat = (ty: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * ty) / n))) * 180) / Math.PI;
  return [lon(x - margin), lat(y + 1 + margin), lon(x + 1 + margin), lat(y - margin)];
}
