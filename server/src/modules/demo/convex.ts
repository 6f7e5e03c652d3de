import type { Random } from './random.js';

/**
 * Plane geometry on convex polygons in a local kilometre frame. Every region of the demo
 * county is built as a Voronoi cell clipped to its convex parent, so convex is all we need:
 * a half-plane clip keeps a polygon convex, and a convex polygon holds its own centroid.
 */
export type Pt = readonly [number, number];
/** Open ring (first point not repeated), counter-clockwise. */
export type ConvexPolygon = Pt[];

/** Points closer than this (km, i.e. 1 µm) are one point: only float noise tells them apart. */
const SAME_POINT_KM = 1e-9;

export function signedArea(poly: readonly Pt[]): number {
  let s = 0;
  for (let i = 0; i < poly.length; i++) {
    const [x1, y1] = poly[i]!;
    const [x2, y2] = poly[(i + 1) % poly.length]!;
    s += x1 * y2 - x2 * y1;
  }
  return s / 2;
}

export function centroid(poly: readonly Pt[]): Pt {
  const [ox, oy] = poly[0]!;
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Relative to the first vertex, so large coordinates do not eat the precision.
  for (let i = 0; i < poly.length; i++) {
    const x1 = poly[i]![0] - ox;
    const y1 = poly[i]![1] - oy;
    const x2 = poly[(i + 1) % poly.length]![0] - ox;
    const y2 = poly[(i + 1) % poly.length]![1] - oy;
    const cross = x1 * y2 - x2 * y1;
    a += cross;
    cx += (x1 + x2) * cross;
    cy += (y1 + y2) * cross;
  }
  if (a === 0) return poly[0]!;
  return [ox + cx / (3 * a), oy + cy / (3 * a)];
}

/**
 * Keeps the part of `poly` where `side(p) <= 0` (Sutherland–Hodgman against one line).
 * `side` must be affine in p, e.g. a signed distance to the line.
 */
export function clipHalfPlane(poly: readonly Pt[], side: (p: Pt) => number): ConvexPolygon {
  const out: Pt[] = [];
  const push = (p: Pt) => {
    const last = out[out.length - 1];
    if (!last || Math.abs(last[0] - p[0]) > SAME_POINT_KM || Math.abs(last[1] - p[1]) > SAME_POINT_KM) out.push(p);
  };
  for (let i = 0; i < poly.length; i++) {
    const p = poly[i]!;
    const q = poly[(i + 1) % poly.length]!;
    const dp = side(p);
    const dq = side(q);
    if (dp <= 0) push(p);
    if ((dp < 0 && dq > 0) || (dp > 0 && dq < 0)) {
      const t = dp / (dp - dq);
      push([p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t]);
    }
  }
  const first = out[0];
  const last = out[out.length - 1];
  if (out.length > 1 && first && last && Math.abs(last[0] - first[0]) <= SAME_POINT_KM && Math.abs(last[1] - first[1]) <= SAME_POINT_KM) out.pop();
  return out.length >= 3 ? out : [];
}

/**
 * The Voronoi cell of every site, clipped to the convex `parent`. O(k²) half-plane clips per
 * parent: a parent never has more than a few dozen children, and this avoids any dependence
 * on a triangulation library's handling of collinear or duplicate sites.
 */
export function voronoiCells(parent: ConvexPolygon, sites: readonly Pt[]): ConvexPolygon[] {
  return sites.map((s, i) => {
    let cell: ConvexPolygon = [...parent];
    for (let j = 0; j < sites.length && cell.length > 0; j++) {
      if (j === i) continue;
      const o = sites[j]!;
      const mx = (s[0] + o[0]) / 2;
      const my = (s[1] + o[1]) / 2;
      const dx = o[0] - s[0];
      const dy = o[1] - s[1];
      // Positive on the far side of the bisector, i.e. closer to the other site.
      cell = clipHalfPlane(cell, (p) => (p[0] - mx) * dx + (p[1] - my) * dy);
    }
    return cell;
  });
}

/** Convex hull (monotone chain), counter-clockwise. */
export function convexHull(points: readonly Pt[]): ConvexPolygon {
  const pts = [...points].sort((p, q) => p[0] - q[0] || p[1] - q[1]);
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return lower.slice(0, -1).concat(upper.slice(0, -1));
}

/** A sampler of uniform points inside a convex polygon (fan triangulation weighted by area). */
export class ConvexSampler {
  private readonly cumulative: number[] = [];
  private readonly total: number;

  constructor(private readonly poly: readonly Pt[]) {
    let sum = 0;
    const [ox, oy] = poly[0]!;
    for (let i = 1; i + 1 < poly.length; i++) {
      const [x1, y1] = poly[i]!;
      const [x2, y2] = poly[i + 1]!;
      sum += Math.abs((x1 - ox) * (y2 - oy) - (x2 - ox) * (y1 - oy)) / 2;
      this.cumulative.push(sum);
    }
    this.total = sum;
  }

  sample(rng: Random): Pt {
    const r = rng.next() * this.total;
    let k = this.cumulative.findIndex((c) => c > r);
    if (k < 0) k = this.cumulative.length - 1;
    const a = this.poly[0]!;
    const b = this.poly[k + 1]!;
    const c = this.poly[k + 2]!;
    let u = rng.next();
    let v = rng.next();
    if (u + v > 1) {
      u = 1 - u;
      v = 1 - v;
    }
    return [a[0] + u * (b[0] - a[0]) + v * (c[0] - a[0]), a[1] + u * (b[1] - a[1]) + v * (c[1] - a[1])];
  }
}

/** The polygon scaled by `factor` about its centroid: points drawn from it keep off the edges. */
export function shrink(poly: readonly Pt[], factor: number): ConvexPolygon {
  const [cx, cy] = centroid(poly);
  return poly.map(([x, y]) => [cx + (x - cx) * factor, cy + (y - cy) * factor] as Pt);
}
