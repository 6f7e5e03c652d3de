import { ConvexSampler, centroid, convexHull, signedArea, voronoiCells, type ConvexPolygon, type Pt } from './convex.js';
import { allocate, type Random } from './random.js';

/**
 * The shape of T县 before it has names or codes: a convex county cut into nested, convex
 * Voronoi cells (towns → villages → grids → micro-grids), in a local kilometre frame.
 *
 * Each level is a weighted centroidal Voronoi partition of its parent: weighted k-means over
 * random sample points, where the weight is a population density with a peak at the county
 * seat and a fertile valley across mountains. Cells therefore come out small where people
 * are dense (the seat's 街道 and their communities) and large in the hills.
 */

/** Origin of the local frame: inland Zhejiang, between Jinhua and the Qiantang hills. */
export const FRAME_ORIGIN = { lon: 119.95, lat: 29.15 } as const;
const KM_PER_DEG_LAT = 110.574;
const KM_PER_DEG_LON = 111.32 * Math.cos((FRAME_ORIGIN.lat * Math.PI) / 180);

export function toLonLat(p: Pt): [number, number] {
  return [FRAME_ORIGIN.lon + p[0] / KM_PER_DEG_LON, FRAME_ORIGIN.lat + p[1] / KM_PER_DEG_LAT];
}

export type LayoutLevel = 'province' | 'city' | 'county' | 'town' | 'village' | 'grid' | 'microgrid';

export interface LayoutNode {
  level: LayoutLevel;
  /** Convex cell, counter-clockwise, local km. */
  poly: ConvexPolygon;
  /** The Voronoi site, a point well inside the cell (used as the seat of a town or village). */
  site: Pt;
  /** Population weight of the cell: ∫ density over its area. */
  mass: number;
  /** 1 at the county seat, falling off with distance: how urban the place is. */
  urban: number;
  children: LayoutNode[];
}

export interface LayoutCounts {
  towns: number;
  /** How many of the towns are 街道 around the county seat; they come first among the towns. */
  streets: number;
  villages: number;
  grids: number;
  microGrids: number;
}

export interface CountyLayout {
  county: LayoutNode;
  /** The county seat (县城), where the 街道 lie. */
  seat: Pt;
}

const LLOYD_ITERATIONS = 7;

/**
 * Builds the nested partition with exactly the requested number of cells per level. `outline`:
 * the county's cell of a platform (layoutPlatform); without it, T县's own outline around the
 * frame's origin.
 */
export function layoutCounty(counts: LayoutCounts, rng: Random, outline?: ConvexPolygon): CountyLayout {
  const county = outline ?? countyOutline(rng);
  const seat: Pt = outline ? seatIn(outline, rng) : [rng.range(-6, 2), rng.range(-2, 6)];
  const valleyAngle = rng.range(0.35, 0.85); // the valley runs roughly south-west → north-east
  const [vx, vy] = [Math.cos(valleyAngle), Math.sin(valleyAngle)];
  const URBAN_SIGMA_KM = 3.2;
  const urbanness = (p: Pt) => Math.exp(-((p[0] - seat[0]) ** 2 + (p[1] - seat[1]) ** 2) / (2 * URBAN_SIGMA_KM ** 2));
  const density = (p: Pt) => {
    const offAxis = (p[0] - seat[0]) * -vy + (p[1] - seat[1]) * vx;
    const lowland = 0.15 + 0.85 * Math.exp(-(offAxis ** 2) / (2 * 9 ** 2));
    return lowland * (1 + 6 * urbanness(p));
  };

  const root: LayoutNode = { level: 'county', poly: county, site: centroid(county), mass: 0, urban: urbanness(centroid(county)), children: [] };
  // The 街道 share the county seat: their sites are pinned on a small ring around it, so the town
  // core is split between them; the other towns settle by Lloyd on a flattened density.
  const streets = Math.min(counts.streets, counts.towns);
  const turn = rng.range(0, 2 * Math.PI);
  const ringKm = streets > 1 ? 2 + 0.35 * streets : 0;
  const pinned: Pt[] = Array.from({ length: streets }, (_, i) => {
    const a = turn + (2 * Math.PI * i) / streets;
    return [seat[0] + ringKm * Math.cos(a), seat[1] + ringKm * Math.sin(a)];
  });
  root.children = partition(root.poly, counts.towns, { weight: (p) => Math.sqrt(density(p)), density, urbanness, level: 'town', rng, pinned });
  root.mass = root.children.reduce((s, c) => s + c.mass, 0);

  const spread = (parents: LayoutNode[], total: number, level: LayoutLevel) => {
    const shares = allocate(
      total,
      parents.map((p) => p.mass * rng.range(0.8, 1.25)),
    );
    parents.forEach((p, i) => {
      p.children = partition(p.poly, shares[i]!, { weight: density, density, urbanness, level, rng, pinned: [] });
    });
    return parents.flatMap((p) => p.children);
  };
  const villages = spread(root.children, counts.villages, 'village');
  const grids = spread(villages, counts.grids, 'grid');
  spread(grids, counts.microGrids, 'microgrid');
  return { county: root, seat };
}

/** An irregular convex county of 1,650–1,900 km², wider east–west than north–south. */
function countyOutline(rng: Random): ConvexPolygon {
  return irregularOutline(rng, [1650, 1900]);
}

/** An irregular convex polygon of an area in `km2` around the frame's origin, wider east–west than north–south. */
function irregularOutline(rng: Random, km2: [number, number]): ConvexPolygon {
  const corners: Pt[] = [];
  const n = 18;
  for (let i = 0; i < n; i++) {
    const t = ((i + rng.range(-0.3, 0.3)) / n) * 2 * Math.PI;
    const r = rng.range(0.8, 1.08);
    corners.push([29 * r * Math.cos(t), 21 * r * Math.sin(t)]);
  }
  const hull = convexHull(corners);
  const scale = Math.sqrt(rng.range(...km2) / signedArea(hull));
  return hull.map(([x, y]) => [x * scale, y * scale] as Pt);
}

/** A county seat of a platform's county: towards the middle of its cell, never on its edge. */
function seatIn(outline: ConvexPolygon, rng: Random): Pt {
  const c = centroid(outline);
  const p = new ConvexSampler(outline).sample(rng);
  return [c[0] + 0.35 * (p[0] - c[0]), c[1] + 0.35 * (p[1] - c[1])];
}

/** The cells of a platform above its counties, in the local kilometre frame of T县. */
export interface PlatformLayout {
  outline: ConvexPolygon;
  /** One entry per city (one for a lone city): its cell and its counties' cells. */
  cities: Array<{ poly: ConvexPolygon; site: Pt; counties: Array<{ poly: ConvexPolygon; site: Pt }> }>;
}

/** Counties of a Zhejiang-like province cover 1,100–1,300 km² on average (about 105,000 km² for 90). */
const COUNTY_KM2: [number, number] = [1150, 1300];

/**
 * Cuts a province (or a lone city) into cities and counties: centroidal Voronoi cells of an
 * even density, so neighbours share whole edges and every county is convex, ready for
 * layoutCounty. Cities get counties by their area.
 */
export function layoutPlatform(counts: { cities: number; counties: number }, rng: Random): PlatformLayout {
  const outline = irregularOutline(rng, [counts.counties * COUNTY_KM2[0], counts.counties * COUNTY_KM2[1]]);
  // A gentle west–east gradient: counties in the hills come out bigger than those on the plain.
  const tilt = rng.range(-0.012, 0.012);
  const even = (p: Pt) => Math.exp(tilt * p[0]);
  const flat = { weight: even, density: even, urbanness: () => 0, rng, pinned: [] };
  const cityCells = partition(outline, Math.max(1, counts.cities), { ...flat, level: 'city' });
  const perCity = allocate(
    counts.counties,
    cityCells.map((c) => signedArea(c.poly)),
  );
  return {
    outline,
    cities: cityCells.map((city, i) => ({
      poly: city.poly,
      site: city.site,
      counties: partition(city.poly, perCity[i]!, { ...flat, level: 'county' }).map((c) => ({ poly: c.poly, site: c.site })),
    })),
  };
}

/**
 * Weighted k-means (Lloyd) over samples of the parent, then the exact Voronoi cells of the
 * final sites clipped to the parent. k-means++ seeding keeps sites apart from the start.
 */
interface PartitionOptions {
  /** Weight of a sample in the Lloyd centroids. */
  weight: (p: Pt) => number;
  density: (p: Pt) => number;
  urbanness: (p: Pt) => number;
  level: LayoutLevel;
  rng: Random;
  /** Sites fixed in advance (they stay put and take the first cells). */
  pinned: readonly Pt[];
}

function partition(parent: ConvexPolygon, k: number, { weight, density, urbanness, level, rng, pinned }: PartitionOptions): LayoutNode[] {
  const area = signedArea(parent);
  if (k === 1) {
    const site = centroid(parent);
    return [{ level, poly: [...parent], site: pinned[0] ?? site, mass: area * density(site), urban: urbanness(site), children: [] }];
  }
  const sampler = new ConvexSampler(parent);
  const n = Math.max(400, 80 * k);
  const xs = new Float64Array(n);
  const ys = new Float64Array(n);
  const ws = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const p = sampler.sample(rng);
    xs[i] = p[0];
    ys[i] = p[1];
    ws[i] = weight(p);
  }

  const sites: Pt[] = [];
  const d2 = new Float64Array(n).fill(Infinity);
  const drawSample = (score: (i: number) => number) => {
    let total = 0;
    for (let i = 0; i < n; i++) total += score(i);
    let r = rng.next() * total;
    for (let i = 0; i < n; i++) {
      r -= score(i);
      if (r < 0) return i;
    }
    return n - 1;
  };
  for (let s = 0; s < k; s++) {
    let site: Pt;
    if (s < pinned.length) site = pinned[s]!;
    else {
      const i = s === 0 ? drawSample((j) => ws[j]!) : drawSample((j) => ws[j]! * d2[j]!);
      site = [xs[i]!, ys[i]!];
    }
    sites.push(site);
    for (let j = 0; j < n; j++) d2[j] = Math.min(d2[j]!, (xs[j]! - site[0]) ** 2 + (ys[j]! - site[1]) ** 2);
  }

  const owner = new Int32Array(n);
  const assign = () => {
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestD = Infinity;
      for (let s = 0; s < k; s++) {
        const d = (xs[i]! - sites[s]![0]) ** 2 + (ys[i]! - sites[s]![1]) ** 2;
        if (d < bestD) {
          bestD = d;
          best = s;
        }
      }
      owner[i] = best;
    }
  };
  for (let iter = 0; iter < LLOYD_ITERATIONS; iter++) {
    assign();
    const sx = new Float64Array(k);
    const sy = new Float64Array(k);
    const sw = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const o = owner[i]!;
      sx[o]! += xs[i]! * ws[i]!;
      sy[o]! += ys[i]! * ws[i]!;
      sw[o]! += ws[i]!;
    }
    for (let s = pinned.length; s < k; s++) if (sw[s]! > 0) sites[s] = [sx[s]! / sw[s]!, sy[s]! / sw[s]!];
  }

  const cells = voronoiCells(parent, sites);
  assign();
  return cells.map((poly, s) => {
    if (poly.length < 3) throw new Error(`demo layout: empty ${level} cell`);
    // Mass from the cell's own area and density at its samples: the next level's counts follow it.
    let dsum = 0;
    let dn = 0;
    for (let i = 0; i < n; i++) {
      if (owner[i] !== s) continue;
      dsum += density([xs[i]!, ys[i]!]);
      dn++;
    }
    const site = sites[s]!;
    const meanDensity = dn > 0 ? dsum / dn : density(site);
    return { level, poly, site, mass: signedArea(poly) * meanDensity, urban: urbanness(site), children: [] };
  });
}
