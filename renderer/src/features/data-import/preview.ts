import type { GridImportReport, GridProblem } from '../../../../shared/contracts/imports.js';

export interface PreviewShape {
  feature: number;
  code: string;
  name: string;
  /** SVG path data in the view's pixels. */
  d: string;
  faulty: boolean;
  /** [minX, minY, maxX, maxY] in the view's pixels, to zoom to. */
  box: [number, number, number, number];
}

export interface Preview {
  shapes: PreviewShape[];
  /** Problem positions in the view's pixels. */
  points: Array<{ x: number; y: number; problem: GridProblem['problem']; index: number }>;
}

type Ring = Array<[number, number]>;

const ringsOf = (geometry: unknown): Ring[] => {
  const g = geometry as { type?: string; coordinates?: unknown } | null;
  if (g?.type === 'Polygon') return g.coordinates as Ring[];
  if (g?.type === 'MultiPolygon') return (g.coordinates as Ring[][]).flat();
  return [];
};

const finite = (p: unknown): p is [number, number] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]);

/**
 * The features of a checked file drawn flat in a box of `width` × `height` pixels: longitude
 * scaled by the cosine of the middle latitude (at county scale as good as any projection, and
 * free of the spherical winding rules a geographic projection would impose on the rings).
 * Coordinates that are not degrees (an unprojected file) are left out, as is anything outside
 * the box that the rest of the file spans.
 */
export function buildPreview(report: GridImportReport, width: number, height: number, pad = 12): Preview {
  const faulty = new Set(report.problems.map((p) => p.feature).filter((f): f is number => f !== null));
  const inDegrees = (p: [number, number]) => Math.abs(p[0]) <= 180 && Math.abs(p[1]) <= 90;
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const f of report.preview.features) {
    for (const ring of ringsOf(f.geometry)) {
      for (const p of ring) {
        if (!finite(p) || !inDegrees(p)) continue;
        box[0] = Math.min(box[0]!, p[0]);
        box[1] = Math.min(box[1]!, p[1]);
        box[2] = Math.max(box[2]!, p[0]);
        box[3] = Math.max(box[3]!, p[1]);
      }
    }
  }
  if (!Number.isFinite(box[0])) return { shapes: [], points: [] };
  const [minX, minY, maxX, maxY] = box as [number, number, number, number];
  const k = Math.cos((((minY + maxY) / 2) * Math.PI) / 180);
  const spanX = Math.max((maxX - minX) * k, 1e-9);
  const spanY = Math.max(maxY - minY, 1e-9);
  const scale = Math.min((width - 2 * pad) / spanX, (height - 2 * pad) / spanY);
  const offX = (width - spanX * scale) / 2;
  const offY = (height - spanY * scale) / 2;
  const px = (p: [number, number]) => [offX + (p[0] - minX) * k * scale, offY + (maxY - p[1]) * scale] as const;
  const shapes = report.preview.features.map((f) => {
    const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
    const d = ringsOf(f.geometry)
      .map((ring) => {
        const pts = ring.filter((p) => finite(p) && inDegrees(p)).map(px);
        for (const [x, y] of pts) {
          b[0] = Math.min(b[0], x);
          b[1] = Math.min(b[1], y);
          b[2] = Math.max(b[2], x);
          b[3] = Math.max(b[3], y);
        }
        return pts.length < 2 ? '' : `M${pts.map(([x, y]) => `${x.toFixed(2)},${y.toFixed(2)}`).join('L')}Z`;
      })
      .join('');
    return { feature: f.properties.feature, code: f.properties.code, name: f.properties.name, d, faulty: faulty.has(f.properties.feature), box: b };
  });
  const points = report.problems.flatMap((p, index) => {
    if (!p.where || !inDegrees(p.where)) return [];
    const [x, y] = px(p.where);
    return x < 0 || y < 0 || x > width || y > height ? [] : [{ x, y, problem: p.problem, index }];
  });
  return { shapes, points };
}

/**
 * The view box that shows a selected shape with its neighbours: its box grown to at least a
 * sixth of the view (keeping the view's proportions), or the whole view without a selection.
 */
export function zoomBox(shape: PreviewShape | undefined, width: number, height: number): [number, number, number, number] {
  if (!shape || !Number.isFinite(shape.box[0])) return [0, 0, width, height];
  const [x0, y0, x1, y1] = shape.box;
  const w = Math.max((x1 - x0) * 3, width / 6, ((y1 - y0) * 3 * width) / height);
  const h = (w * height) / width;
  return [(x0 + x1) / 2 - w / 2, (y0 + y1) / 2 - h / 2, w, h];
}
