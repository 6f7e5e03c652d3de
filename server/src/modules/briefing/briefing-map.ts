import { geoArea, geoDistance, geoMercator, geoPath } from 'd3-geo';
import type { Feature, FeatureCollection, Polygon } from 'geojson';
import { URGENCIES, type Urgency } from '../../../../shared/contracts/events.js';
import { URGENCY_LABELS } from '../../../../shared/domain/labels.js';

/**
 * The briefing's map picture (事件分布图): the outlines and names of the areas it ranks (towns, or
 * a city's counties, or a province's cities), and the period's cases as
 * urgency marks, drawn as SVG on the server from the regions table. A vector picture prints
 * crisp at any size and needs no browser, so the automatic briefing can draw it too.
 *
 * Colours follow the Chinese warning convention the console uses (red P0, orange P1, yellow P2,
 * blue P3), tuned for white paper, and every urgency has its own shape, so a black-and-white copy
 * still reads: ▲ P0, ◆ P1, ■ P2, ● P3. Filled: still open at the briefing's time; hollow: finished.
 */

export const MAP_WIDTH = 1000;
export const MAP_HEIGHT = 720;
const PAD = 28;
/** The legend strip under the map: the urgencies in one row, the fill rule and the scale bar in the next. */
const LEGEND_HEIGHT = 78;

/** Print colours of the urgencies (the console's, darkened where yellow would vanish on paper). */
export const PRINT_URGENCY_COLORS: Readonly<Record<Urgency, string>> = { P0: '#d7191c', P1: '#f07c00', P2: '#d9a800', P3: '#1f66d1' };

const FONT = "'Noto Sans CJK SC', 'Source Han Sans SC', 'WenQuanYi Micro Hei', sans-serif";

/** An area the picture outlines: a town, county or city. */
export interface MapArea {
  id: string;
  /** Its level, written on its outline as `data-<level>="<id>"`. */
  level: string;
  name: string;
  /** GeoJSON Polygon, as stored. */
  geometry: string;
  labelLon: number;
  labelLat: number;
}

export interface MapEvent {
  id: string;
  lon: number;
  lat: number;
  urgency: Urgency;
  open: boolean;
}

const escapeXml = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/**
 * d3-geo reads polygons on the sphere, where a ring's winding says which side is inside
 * (clockwise, the opposite of RFC 7946): a ring wound the other way means the whole globe but
 * the town. Such a polygon covers more than a hemisphere, so it is turned around.
 */
function spherical(feature: Feature<Polygon>): Feature<Polygon> {
  if (geoArea(feature) <= 2 * Math.PI) return feature;
  return { ...feature, geometry: { ...feature.geometry, coordinates: feature.geometry.coordinates.map((ring) => [...ring].reverse()) } };
}

const featureOf = (t: MapArea): Feature<Polygon, { id: string }> => spherical({ type: 'Feature', properties: { id: t.id }, geometry: JSON.parse(t.geometry) as Polygon }) as Feature<Polygon, { id: string }>;

const round = (n: number) => Math.round(n * 10) / 10;

/** An urgency's shape at (x, y): filled when open, hollow when finished. */
function shape(urgency: Urgency, open: boolean, x: number, y: number, data = ''): string {
  const color = PRINT_URGENCY_COLORS[urgency];
  const paint = open ? `fill="${color}" stroke="#1b1b1b" stroke-width="0.8"` : `fill="#ffffff" stroke="${color}" stroke-width="2.2"`;
  const s = 7.5;
  const attrs = `${data}${paint}`;
  const pts = (p: Array<[number, number]>) => p.map(([px, py]) => `${round(x + px)},${round(y + py)}`).join(' ');
  switch (urgency) {
    case 'P0':
      return `<polygon ${attrs} points="${pts([[0, -s * 1.2], [s * 1.05, s * 0.75], [-s * 1.05, s * 0.75]])}"/>`;
    case 'P1':
      return `<polygon ${attrs} points="${pts([[0, -s * 1.1], [s * 1.1, 0], [0, s * 1.1], [-s * 1.1, 0]])}"/>`;
    case 'P2':
      return `<rect ${attrs} x="${round(x - s * 0.8)}" y="${round(y - s * 0.8)}" width="${round(s * 1.6)}" height="${round(s * 1.6)}"/>`;
    case 'P3':
      return `<circle ${attrs} cx="${round(x)}" cy="${round(y)}" r="${round(s * 0.85)}"/>`;
  }
}

/** A round length for the scale bar (km), about a fifth of the picture's width. */
function scaleKm(kmPerPx: number): number {
  const target = (MAP_WIDTH / 5) * kmPerPx;
  return [0.5, 1, 2, 5, 10, 20, 50, 100].filter((d) => d <= target).pop() ?? 0.5;
}

/**
 * The SVG text of the map picture: the areas of `scope` fill the frame; `around` (their
 * neighbours) are drawn faintly behind them, so a part's picture still shows where it lies.
 */
export function drawBriefingMap(input: { scope: readonly MapArea[]; around: readonly MapArea[]; events: readonly MapEvent[]; title: string }): string {
  const scope = input.scope.map(featureOf);
  const frame: FeatureCollection<Polygon> = { type: 'FeatureCollection', features: scope };
  const projection = geoMercator();
  if (scope.length > 0) {
    projection.fitExtent(
      [
        [PAD, PAD],
        [MAP_WIDTH - PAD, MAP_HEIGHT - PAD - LEGEND_HEIGHT],
      ],
      frame,
    );
  }
  const path = geoPath(projection).digits(1);
  const inScope = new Set(input.scope.map((t) => t.id));
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${MAP_WIDTH} ${MAP_HEIGHT}" width="${MAP_WIDTH}" height="${MAP_HEIGHT}" role="img" aria-label="${escapeXml(input.title)}" font-family="${FONT}">`,
    `<title>${escapeXml(input.title)}</title>`,
    `<rect width="${MAP_WIDTH}" height="${MAP_HEIGHT}" fill="#ffffff"/>`,
  );

  out.push('<g data-layer="around" fill="#f3f3f1" stroke="#b9b9b4" stroke-width="0.8">');
  for (const t of input.around) if (!inScope.has(t.id)) out.push(`<path d="${path(featureOf(t)) ?? ''}"/>`);
  out.push('</g>');

  out.push('<g data-layer="areas" fill="#fbf8ef" stroke="#6d6452" stroke-width="1.4" stroke-linejoin="round">');
  for (const [i, t] of input.scope.entries()) out.push(`<path data-${t.level === 'town' ? 'town' : t.level === 'city' ? 'city' : 'county'}="${escapeXml(t.id)}" d="${path(scope[i]!) ?? ''}"/>`);
  out.push('</g>');

  // Events under the names would hide neither: names get a white halo and sit on top.
  out.push('<g data-layer="events">');
  const order = [...input.events].sort((a, b) => URGENCIES.indexOf(b.urgency) - URGENCIES.indexOf(a.urgency) || Number(a.open) - Number(b.open));
  for (const e of order) {
    const p = projection([e.lon, e.lat]);
    if (p) out.push(shape(e.urgency, e.open, p[0], p[1], `data-event="${escapeXml(e.id)}" data-urgency="${e.urgency}" data-open="${e.open}" `));
  }
  out.push('</g>');

  // Each name twice: a white outline under it, then the name, as two elements: PDF renderers do
  // not all honour paint-order, and one that ignores it paints the outline over the letters.
  const names = input.scope.flatMap((t) => {
    const p = projection([t.labelLon, t.labelLat]);
    return p ? [{ x: round(p[0]), y: round(p[1] + 8), name: escapeXml(t.name) }] : [];
  });
  out.push('<g data-layer="names" font-size="22" font-weight="700" text-anchor="middle">');
  for (const n of names) out.push(`<text x="${n.x}" y="${n.y}" fill="#ffffff" stroke="#ffffff" stroke-width="5" stroke-linejoin="round" aria-hidden="true">${n.name}</text>`);
  for (const n of names) out.push(`<text x="${n.x}" y="${n.y}" fill="#2f2a1f">${n.name}</text>`);
  out.push('</g>');

  out.push(legend(input.events));
  out.push(scaleBar(projection));
  out.push(northArrow());
  out.push('</svg>');
  return out.join('\n');
}

function legend(events: readonly MapEvent[]): string {
  const top = MAP_HEIGHT - PAD - LEGEND_HEIGHT + 12;
  const cy = top + 22;
  const items = URGENCIES.map((u, i) => {
    const n = events.filter((e) => e.urgency === u).length;
    const open = events.filter((e) => e.urgency === u && e.open).length;
    const x = PAD + 10 + i * 240;
    return `${shape(u, true, x, cy)}<text x="${x + 16}" y="${cy + 6}">${u} ${escapeXml(URGENCY_LABELS[u]['zh-CN'])} ${n} 件（在办 ${open}）</text>`;
  });
  return [
    `<g data-layer="legend" font-size="18" fill="#222222">`,
    `<path d="M${PAD},${top}H${MAP_WIDTH - PAD}" stroke="#8a8a8a" stroke-width="0.8"/>`,
    ...items,
    `<text x="${PAD}" y="${cy + 36}" font-size="16" fill="#444444">本时段接报事件\u3000实心：在办\u3000空心：已办结</text>`,
    '</g>',
  ].join('');
}

function scaleBar(projection: ReturnType<typeof geoMercator>): string {
  const [cx, cy] = [MAP_WIDTH / 2, MAP_HEIGHT / 2];
  const a = projection.invert?.([cx, cy]);
  const b = projection.invert?.([cx + 100, cy]);
  if (!a || !b) return '';
  const kmPerPx = (geoDistance(a, b) * 6371) / 100;
  if (!Number.isFinite(kmPerPx) || kmPerPx <= 0) return '';
  const km = scaleKm(kmPerPx);
  const px = km / kmPerPx;
  const x = MAP_WIDTH - PAD - px;
  const y = MAP_HEIGHT - PAD - 8;
  return [
    `<g data-layer="scale" stroke="#222222" stroke-width="2" fill="none">`,
    `<path d="M${round(x)},${y - 8}V${y}H${round(x + px)}V${y - 8}"/>`,
    `<text x="${round(x - 10)}" y="${y}" text-anchor="end" font-size="15" fill="#222222" stroke="none">${km} 公里</text>`,
    '</g>',
  ].join('');
}

function northArrow(): string {
  const x = MAP_WIDTH - PAD - 18;
  const y = PAD + 6;
  return `<g data-layer="north"><polygon points="${x},${y} ${x + 11},${y + 30} ${x},${y + 23} ${x - 11},${y + 30}" fill="#222222"/><text x="${x}" y="${y + 50}" text-anchor="middle" font-size="16" fill="#222222">北</text></g>`;
}
