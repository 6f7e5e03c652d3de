import Flatbush from 'flatbush';
import { toLonLat, type LayoutNode } from './layout.js';

/**
 * Turns the nested convex cells of the layout into stored polygons that tile exactly.
 *
 * Rounding each polygon to 6 decimals on its own would open slivers: a village corner that
 * lies on its town's edge rounds off that edge, and the neighbouring town knows nothing of it.
 * So the county is treated as one planar graph instead:
 *   1. micro-grid vertices that are the same point up to float noise become one vertex;
 *   2. every vertex lying on another micro-grid's edge is inserted into that edge (T-junctions),
 *      so neighbours walk the same vertices in opposite directions;
 *   3. each vertex is rounded once to the 1e-6° lattice (points that meet there merge);
 *   4. every parent is the union of its children: their edges minus the ones walked both ways.
 * Siblings then share edges vertex for vertex, and every level is exactly the union of the one
 * below; after rounding nothing needs a tolerance.
 */

/** Float noise between two computations of one Voronoi vertex is ~1e-13 km; real vertices are metres apart. */
const SAME_POINT_KM = 1e-7;
const HASH_CELL_KM = 1e-5;
const MICRO_DEGREES = 1e6;

/** Open ring of [lon, lat] on the 1e-6° lattice, counter-clockwise. */
export type LatticeRing = Array<[number, number]>;

export function tileLayout(root: LayoutNode): Map<LayoutNode, LatticeRing> {
  const leaves: LayoutNode[] = [];
  const walk = (n: LayoutNode) => (n.children.length === 0 ? leaves.push(n) : n.children.forEach(walk));
  walk(root);

  const vertices = new VertexRegistry();
  let rings = leaves.map((leaf) => dedupe(leaf.poly.map(([x, y]) => vertices.id(x, y))));
  rings = insertTJunctions(rings, vertices);

  // Round once per vertex; vertices that land on the same lattice point become one.
  const lattice: Array<[number, number]> = [];
  const canonical = new Int32Array(vertices.size);
  const byLatticePoint = new Map<string, number>();
  for (let v = 0; v < vertices.size; v++) {
    const [lon, lat] = toLonLat([vertices.x[v]!, vertices.y[v]!]);
    const point: [number, number] = [Math.round(lon * MICRO_DEGREES), Math.round(lat * MICRO_DEGREES)];
    const key = `${point[0]}:${point[1]}`;
    const first = byLatticePoint.get(key);
    if (first === undefined) byLatticePoint.set(key, v);
    canonical[v] = first ?? v;
    lattice[v] = point;
  }
  rings = rings.map((r) => dedupe(r.map((v) => canonical[v]!)));

  checkPlanar(rings);

  const result = new Map<LayoutNode, number[]>();
  leaves.forEach((leaf, i) => result.set(leaf, rings[i]!));
  const unite = (n: LayoutNode): number[] => {
    const existing = result.get(n);
    if (existing) return existing;
    const ring = union(n.children.map(unite));
    result.set(n, ring);
    return ring;
  };
  unite(root);

  const out = new Map<LayoutNode, LatticeRing>();
  for (const [node, ring] of result) {
    const points = ring.map((v) => lattice[v]!);
    if (latticeArea(points) <= 0) throw new Error(`demo tiling: ${node.level} ring is not counter-clockwise`);
    out.set(
      node,
      points.map(([x, y]) => [x / MICRO_DEGREES, y / MICRO_DEGREES]),
    );
  }
  return out;
}

/** Deduplicates points closer than SAME_POINT_KM with a hash grid. */
class VertexRegistry {
  readonly x: number[] = [];
  readonly y: number[] = [];
  private readonly grid = new Map<string, number[]>();

  get size(): number {
    return this.x.length;
  }

  id(x: number, y: number): number {
    const cx = Math.floor(x / HASH_CELL_KM);
    const cy = Math.floor(y / HASH_CELL_KM);
    for (let dx = -1; dx <= 1; dx++) {
      for (let dy = -1; dy <= 1; dy++) {
        for (const v of this.grid.get(`${cx + dx}:${cy + dy}`) ?? []) {
          if (Math.abs(this.x[v]! - x) <= SAME_POINT_KM && Math.abs(this.y[v]! - y) <= SAME_POINT_KM) return v;
        }
      }
    }
    const v = this.x.length;
    this.x.push(x);
    this.y.push(y);
    const key = `${cx}:${cy}`;
    const bucket = this.grid.get(key);
    if (bucket) bucket.push(v);
    else this.grid.set(key, [v]);
    return v;
  }
}

function insertTJunctions(rings: number[][], vertices: VertexRegistry): number[][] {
  const index = new Flatbush(vertices.size);
  for (let v = 0; v < vertices.size; v++) index.add(vertices.x[v]!, vertices.y[v]!, vertices.x[v]!, vertices.y[v]!);
  index.finish();
  return rings.map((ring) => {
    const out: number[] = [];
    ring.forEach((a, i) => {
      const b = ring[(i + 1) % ring.length]!;
      out.push(a);
      const ax = vertices.x[a]!;
      const ay = vertices.y[a]!;
      const dx = vertices.x[b]! - ax;
      const dy = vertices.y[b]! - ay;
      const len2 = dx * dx + dy * dy;
      const onEdge: Array<{ v: number; t: number }> = [];
      const hits = index.search(
        Math.min(ax, ax + dx) - SAME_POINT_KM,
        Math.min(ay, ay + dy) - SAME_POINT_KM,
        Math.max(ax, ax + dx) + SAME_POINT_KM,
        Math.max(ay, ay + dy) + SAME_POINT_KM,
      );
      for (const v of hits) {
        if (v === a || v === b) continue;
        const px = vertices.x[v]! - ax;
        const py = vertices.y[v]! - ay;
        const t = (px * dx + py * dy) / len2;
        if (t <= 0 || t >= 1) continue;
        const dist = Math.abs(px * dy - py * dx) / Math.sqrt(len2);
        if (dist <= SAME_POINT_KM) onEdge.push({ v, t });
      }
      onEdge.sort((p, q) => p.t - q.t);
      for (const { v } of onEdge) out.push(v);
    });
    return out;
  });
}

/** Drops repeated vertices and the back-and-forth spikes that a merge can leave. */
function dedupe(ring: number[]): number[] {
  const out: number[] = [];
  for (const v of ring) {
    if (out[out.length - 1] === v) continue;
    if (out.length >= 2 && out[out.length - 2] === v) {
      out.pop();
      continue;
    }
    out.push(v);
  }
  let changed = true;
  while (changed && out.length >= 3) {
    changed = false;
    if (out[0] === out[out.length - 1]) {
      out.pop();
      changed = true;
    } else if (out[1] === out[out.length - 1]) {
      out.shift();
      out.pop();
      changed = true;
    } else if (out[0] === out[out.length - 2]) {
      out.pop();
      out.pop();
      changed = true;
    }
  }
  if (out.length < 3) throw new Error('demo tiling: a polygon collapsed when rounded');
  return out;
}

const edgeKey = (a: number, b: number) => a * 4194304 + b;

/**
 * Every directed edge is walked by at most one micro-grid, and the edges walked only one way
 * (the county boundary) form one closed ring. Anything else is a gap or an overlap.
 */
function checkPlanar(rings: number[][]): void {
  const seen = new Set<number>();
  for (const ring of rings) {
    ring.forEach((a, i) => {
      const key = edgeKey(a, ring[(i + 1) % ring.length]!);
      if (seen.has(key)) throw new Error('demo tiling: two micro-grids overlap along an edge');
      seen.add(key);
    });
  }
  union(rings);
}

/** The boundary of a set of rings that tile a simple polygon, as one ring. */
function union(rings: number[][]): number[] {
  if (rings.length === 1) return rings[0]!;
  const edges = new Set<number>();
  for (const ring of rings) ring.forEach((a, i) => edges.add(edgeKey(a, ring[(i + 1) % ring.length]!)));
  const next = new Map<number, number>();
  let start = -1;
  for (const ring of rings) {
    ring.forEach((a, i) => {
      const b = ring[(i + 1) % ring.length]!;
      if (edges.has(edgeKey(b, a))) return;
      if (next.has(a)) throw new Error('demo tiling: a region boundary touches itself');
      next.set(a, b);
      if (start < 0) start = a;
    });
  }
  const out: number[] = [];
  let v = start;
  do {
    out.push(v);
    const w = next.get(v);
    if (w === undefined) throw new Error('demo tiling: a region boundary is not closed');
    v = w;
  } while (v !== start && out.length <= next.size);
  if (out.length !== next.size) throw new Error('demo tiling: a region is not one piece without holes');
  return out;
}

function latticeArea(points: Array<[number, number]>): number {
  let s = 0;
  const [ox, oy] = points[0]!;
  for (let i = 0; i < points.length; i++) {
    const [x1, y1] = points[i]!;
    const [x2, y2] = points[(i + 1) % points.length]!;
    s += (x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy);
  }
  return s;
}
