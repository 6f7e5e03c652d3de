import { area } from '@turf/area';
import type { Polygon } from 'geojson';
import type { RegionKind } from '../../../../shared/contracts/regions.js';
import { centroid, signedArea, type Pt } from './convex.js';
import { layoutCounty, toLonLat, type CountyLayout, type LayoutNode } from './layout.js';
import { PlaceNames } from './names.js';
import { Random } from './random.js';
import { tileLayout, type LatticeRing } from './tiling.js';

/** Fictional but GB/T 2260-shaped: 33 Zhejiang, 08 a prefecture, 99 a county code no one uses. */
export const COUNTY_CODE = '330899';
export const COUNTY_NAME = 'T县';

export type DemoLevel = 'province' | 'city' | 'county' | 'town' | 'village' | 'grid' | 'microgrid';

export interface DemoRegion {
  /** Equal to the code. */
  id: string;
  code: string;
  name: string;
  level: DemoLevel;
  /** Above the town the kind is the level (the name carries 县, 区 or 市). */
  kind: RegionKind | 'province' | 'city' | 'county';
  parent: DemoRegion | null;
  children: DemoRegion[];
  /** 1-based position among its siblings (the last three digits of its code for 街道, 社区, grids…). */
  ordinal: number;
  /** The stored outline: open ring on the 1e-6° lattice, counter-clockwise. */
  ring: LatticeRing;
  label: [number, number];
  bbox: [number, number, number, number];
  areaKm2: number;
  /** The exact convex cell in lon/lat, for placing points well inside the region. */
  shape: Pt[];
  /** The cell's seat (its Voronoi site): where a town hall or village office stands. */
  seat: Pt;
  /** 1 at the county seat, near 0 in the hills. */
  urban: number;
}

export interface DemoCounty {
  county: DemoRegion;
  towns: DemoRegion[];
  villages: DemoRegion[];
  grids: DemoRegion[];
  microGrids: DemoRegion[];
}

export interface CountyCounts {
  seed: number;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
}

/** Code ranges of the levels below the county (domain.md §6): the last digits of each code. */
export const CODE_RANGES = {
  street: [1, 99],
  town: [101, 199],
  township: [201, 399],
  community: [1, 199],
  village: [201, 399],
  grid: [1, 999],
  microgrid: [1, 999],
} as const;

/** How many of `towns` are 街道 and 乡: about a fifth streets, a quarter townships. */
export function townKinds(towns: number): { streets: number; townships: number } {
  const streets = Math.max(1, Math.round(towns * 0.2));
  const townships = Math.min(Math.round(towns * 0.27), towns - streets);
  return { streets, townships };
}

/** Builds the named, coded and tiled county T县 on its own. Pure: same counts and seed, same county. */
export function buildCounty(counts: CountyCounts): DemoCounty {
  const rng = new Random(counts.seed, 'geometry');
  const { streets } = townKinds(counts.towns);
  const layout = layoutCounty({ ...counts, streets }, rng);
  const rings = tileLayout(layout.county);
  const names = new PlaceNames(rng.fork('place-names'));
  return nameCounty(layout, rings, { code: COUNTY_CODE, name: COUNTY_NAME, parent: null }, names);
}

/** The region of a layout cell, with its stored ring from the tiling. */
export function regionOf(
  rings: Map<LayoutNode, LatticeRing>,
  node: LayoutNode,
  fields: Pick<DemoRegion, 'code' | 'name' | 'level' | 'kind' | 'ordinal'>,
  parent: DemoRegion | null,
): DemoRegion {
  const ring = rings.get(node)!;
  const shape = node.poly.map(toLonLat);
  const [lon, lat] = toLonLat(centroid(node.poly));
  let minLon = Infinity;
  let minLat = Infinity;
  let maxLon = -Infinity;
  let maxLat = -Infinity;
  for (const [x, y] of ring) {
    minLon = Math.min(minLon, x);
    minLat = Math.min(minLat, y);
    maxLon = Math.max(maxLon, x);
    maxLat = Math.max(maxLat, y);
  }
  const r: DemoRegion = {
    ...fields,
    id: fields.code,
    parent,
    children: [],
    ring,
    label: [round6(lon), round6(lat)],
    bbox: [minLon, minLat, maxLon, maxLat],
    areaKm2: area(toGeoJson(ring)) / 1e6,
    shape,
    seat: toLonLat(node.site),
    urban: node.urban,
  };
  parent?.children.push(r);
  return r;
}

/**
 * Names and codes a laid-out, tiled county and everything in it: the county gets `code` and
 * `name`, its towns etc. the county's code plus three digits per level.
 */
export function nameCounty(
  layout: CountyLayout,
  rings: Map<LayoutNode, LatticeRing>,
  self: { code: string; name: string; parent: DemoRegion | null },
  names: PlaceNames,
): DemoCounty {
  const { streets, townships } = townKinds(layout.county.children.length);
  const region = (node: LayoutNode, fields: Pick<DemoRegion, 'code' | 'name' | 'level' | 'kind' | 'ordinal'>, parent: DemoRegion | null) => regionOf(rings, node, fields, parent);
  const county = region(layout.county, { code: self.code, name: self.name, level: 'county', kind: 'county', ordinal: self.parent ? self.parent.children.length + 1 : 1 }, self.parent);

  // Towns: the pinned 街道 come first in the layout; of the rest, the emptiest become 乡.
  const townNodes = layout.county.children;
  const streetNodes = townNodes.slice(0, streets);
  const rest = townNodes.slice(streets);
  const byDensity = [...rest].sort((a, b) => meanDensity(a) - meanDensity(b));
  const townshipSet = new Set(byDensity.slice(0, townships));
  const clockwise = (a: LayoutNode, b: LayoutNode) => bearing(layout.seat, a.site) - bearing(layout.seat, b.site);
  const towns: DemoRegion[] = [];
  const townLayouts = new Map<DemoRegion, LayoutNode>();
  const addTowns = (nodes: LayoutNode[], kind: 'street' | 'town' | 'township') => {
    const [first, last] = CODE_RANGES[kind];
    if (nodes.length > last - first + 1) throw new RangeError(`too many ${kind}s for their code range`);
    nodes.sort(clockwise).forEach((node, i) => {
      const name = kind === 'street' ? streetName(names, layout.seat, node.site) : `${names.rural2()}${kind === 'town' ? '镇' : '乡'}`;
      const townRegion = region(node, { code: self.code + pad3(first + i), name, level: 'town', kind, ordinal: i + 1 }, county);
      towns.push(townRegion);
      townLayouts.set(townRegion, node);
    });
  };
  addTowns(streetNodes, 'street');
  addTowns(
    rest.filter((n) => !townshipSet.has(n)),
    'town',
  );
  addTowns(
    rest.filter((n) => townshipSet.has(n)),
    'township',
  );

  const villages: DemoRegion[] = [];
  const grids: DemoRegion[] = [];
  const microGrids: DemoRegion[] = [];
  for (const town of towns) {
    const node = townLayouts.get(town)!;
    const ordered = [...node.children].sort((a, b) => dist(node.site, a.site) - dist(node.site, b.site));
    // In a 街道 the built-up places are communities (社区); a 镇 keeps one community at its seat.
    const communities = new Set<LayoutNode>();
    if (town.kind === 'street') {
      const urbanFirst = [...ordered].sort((a, b) => b.urban - a.urban);
      urbanFirst.forEach((v, i) => {
        if (i === 0 || v.urban >= 0.25) communities.add(v);
      });
    } else if (town.kind === 'town' && ordered.length >= 5) communities.add(ordered[0]!);
    const stem = town.name.slice(0, -1);
    let c = 0;
    let v = 0;
    for (const vn of ordered) {
      const isCommunity = communities.has(vn);
      const [first, last] = CODE_RANGES[isCommunity ? 'community' : 'village'];
      const n = isCommunity ? ++c : ++v;
      if (first + n - 1 > last) throw new RangeError(`town ${town.name} has more villages than its code range allows; raise --towns`);
      const name = isCommunity ? `${town.kind === 'town' && names.reserve(stem + '社区') ? stem : names.urban2()}社区` : `${names.rural2()}村`;
      const village = region(vn, { code: town.code + pad3(first + n - 1), name, level: 'village', kind: isCommunity ? 'community' : 'village', ordinal: n }, town);
      villages.push(village);
      [...vn.children]
        .sort((a, b) => dist(vn.site, a.site) - dist(vn.site, b.site))
        .forEach((gn, gi) => {
          if (gi + 1 > CODE_RANGES.grid[1]) throw new RangeError('a village has more than 999 grids; raise --villages');
          const grid = region(gn, { code: village.code + pad3(gi + 1), name: `${village.name}第${gi + 1}网格`, level: 'grid', kind: 'grid', ordinal: gi + 1 }, village);
          grids.push(grid);
          [...gn.children]
            .sort((a, b) => dist(gn.site, a.site) - dist(gn.site, b.site))
            .forEach((mn, mi) => {
              if (mi + 1 > CODE_RANGES.microgrid[1]) throw new RangeError('a grid has more than 999 micro-grids; raise --grids');
              microGrids.push(
                region(mn, { code: grid.code + pad3(mi + 1), name: `${grid.name}第${mi + 1}微网格`, level: 'microgrid', kind: 'microgrid', ordinal: mi + 1 }, grid),
              );
            });
        });
    }
  }
  return { county, towns, villages, grids, microGrids };
}

/** GeoJSON Polygon of an open lattice ring (RFC 7946: closed, outer ring counter-clockwise). */
export function toGeoJson(ring: LatticeRing): Polygon {
  return { type: 'Polygon', coordinates: [[...ring, ring[0]!].map(([x, y]) => [x, y])] };
}

export const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
const pad3 = (n: number) => String(n).padStart(3, '0');
const dist = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);
const meanDensity = (n: LayoutNode) => n.mass / signedArea(n.poly);

/** Compass bearing from `a` to `b`, 0 = north, clockwise, in [0, 2π). */
function bearing(a: Pt, b: Pt): number {
  const t = Math.atan2(b[0] - a[0], b[1] - a[1]);
  return t < 0 ? t + 2 * Math.PI : t;
}

/** 城东 / 城南 / 城西 / 城北 by the street's direction from the county seat, else an urban name. */
function streetName(names: PlaceNames, seat: Pt, site: Pt): string {
  const quarter = Math.round(bearing(seat, site) / (Math.PI / 2)) % 4;
  const candidate = ['城北', '城东', '城南', '城西'][quarter]!;
  return `${names.reserve(candidate) ? candidate : names.urban2()}街道`;
}
