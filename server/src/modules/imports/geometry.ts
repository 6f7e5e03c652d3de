import { area } from '@turf/area';
import { difference } from '@turf/difference';
import { featureCollection, feature } from '@turf/helpers';
import { intersect } from '@turf/intersect';
import { union } from '@turf/union';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export type Area = Polygon | MultiPolygon;
export type BBox = [number, number, number, number];

export function bboxOf(geometry: Area): BBox {
  const b: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  const rings = geometry.type === 'Polygon' ? geometry.coordinates : geometry.coordinates.flat();
  for (const ring of rings) {
    for (const [x, y] of ring as Array<[number, number]>) {
      if (x < b[0]) b[0] = x;
      if (y < b[1]) b[1] = y;
      if (x > b[2]) b[2] = x;
      if (y > b[3]) b[3] = y;
    }
  }
  return b;
}

/** Geodesic area, m² (turf: spherical excess on the WGS84 mean radius). */
export const areaM2 = (geometry: Area | null): number => (geometry ? area(geometry) : 0);

const fc = (...gs: Area[]) => featureCollection(gs.map((g) => feature(g)));

/** a ∩ b, or null when they only touch. */
export function intersection(a: Area, b: Area): Area | null {
  return intersect(fc(a, b))?.geometry ?? null;
}

/** a minus b. */
export function minus(a: Area, b: Area): Area | null {
  return difference(fc(a, b))?.geometry ?? null;
}

export function unionOf(parts: Area[]): Area | null {
  if (parts.length === 0) return null;
  if (parts.length === 1) return parts[0]!;
  return union(fc(...parts))?.geometry ?? null;
}

/**
 * A point inside a polygon (for labels and for "where" in a report): the middle of the widest
 * run of a horizontal line through the polygon, tried at a few heights. A centroid can fall
 * outside a concave outline or a sliver.
 */
export function interiorPoint(geometry: Area): [number, number] {
  const polygons: Position[][][] = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  let best = null as { x: number; y: number; width: number } | null;
  for (const rings of polygons) {
    const [minX, minY, maxX, maxY] = bboxOf({ type: 'Polygon', coordinates: rings });
    if (!Number.isFinite(minX)) continue;
    for (const f of [0.5, 0.3, 0.7, 0.15, 0.85]) {
      const y = minY + (maxY - minY) * f;
      const xs: number[] = [];
      for (const ring of rings) {
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1, y1] = ring[i] as [number, number];
          const [x2, y2] = ring[i + 1] as [number, number];
          if (y1 === y2 || y < Math.min(y1, y2) || y >= Math.max(y1, y2)) continue;
          xs.push(x1 + ((y - y1) * (x2 - x1)) / (y2 - y1));
        }
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const width = xs[i + 1]! - xs[i]!;
        if (!best || width > best.width) best = { x: (xs[i]! + xs[i + 1]!) / 2, y, width };
      }
      if (best && best.width > (maxX - minX) * 0.25) break;
    }
  }
  if (best) return [round6(best.x), round6(best.y)];
  const first = polygons[0]?.[0]?.[0] ?? [0, 0];
  return [round6(first[0]!), round6(first[1]!)];
}

export const round6 = (n: number) => Math.round(n * 1e6) / 1e6;
