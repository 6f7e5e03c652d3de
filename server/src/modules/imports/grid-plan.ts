import Flatbush from 'flatbush';
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon';
import { booleanValid } from '@turf/boolean-valid';
import { kinks } from '@turf/kinks';
import type { Geometry, Polygon, Position } from 'geojson';
import type { GridImportLevel, GridImportOptions, GridImportReport, GridProblem } from '../../../../shared/contracts/imports.js';
import type { RegionKind } from '../../../../shared/contracts/regions.js';
import type { BoundaryFile } from './boundary-file.js';
import { areaM2, bboxOf, interiorPoint, intersection, minus, round6, unionOf, type Area, type BBox } from './geometry.js';

/** A region already in the database, as the checks need it. */
export interface StoredRegion {
  id: string;
  code: string;
  name: string;
  kind: RegionKind | 'county';
  parentId: string | null;
  geometry: Polygon;
  label: [number, number];
}

/** One row the write will insert or update (ids stay stable by code: a new region's id is its code). */
export interface RegionWrite {
  id: string;
  action: 'insert' | 'update';
  level: GridImportLevel | 'county';
  kind: RegionKind | 'county';
  code: string;
  name: string;
  parentId: string | null;
  geometry: Polygon;
  label: [number, number];
  bbox: BBox;
  areaKm2: number;
}

export interface GridPlanInput {
  file: BoundaryFile;
  options: GridImportOptions;
  /** Regions of the imported level now in the database. */
  existing: StoredRegion[];
  /** Regions of the level above (the county for towns). */
  parents: StoredRegion[];
  /** Regions of the level below (their boundaries must stay inside the new ones). */
  children: StoredRegion[];
  /** Codes of regions of other levels (a code is unique across the table). */
  otherLevelCodes: Set<string>;
  /** What still references each of these regions (empty when nothing does). */
  references(ids: string[]): Promise<Map<string, string>>;
}

export interface GridPlan {
  report: GridImportReport;
  rows: RegionWrite[];
  removeIds: string[];
}

/** The field mapping names an attribute the file does not have: a file-level error, with the ones it has. */
export class FieldMappingError extends Error {
  constructor(
    readonly role: 'code' | 'name' | 'parent',
    readonly asked: string | null,
    readonly available: string[],
  ) {
    super(`${asked ? `field "${asked}" not found` : `no ${role} field found`}; the file has: ${available.join(', ') || '(no attributes)'}`);
  }
}

/** Towns into a database without a county, and no county code and name to create it with. */
export class NoCountyError extends Error {
  constructor() {
    super('the database holds no county: give its code and name (--county-code, --county-name) to create it from the towns');
  }
}

/**
 * Attribute names tried in order when no mapping is given (case-insensitive). `parentId` last:
 * the layers this server serves (GET /api/v1/geo/…) name the parent by its id, which is its code
 * (the demo county's ids and every imported region's are their codes), so a layer exported,
 * edited in a GIS and imported again maps itself.
 */
const DEFAULT_FIELDS = {
  code: ['code', 'region_code', 'grid_code', 'id', 'bm', '编码', '代码', '区划代码', '网格编码', '编号'],
  name: ['name', 'region_name', 'grid_name', 'mc', '名称', '网格名称', '名字'],
  parent: ['parent', 'parent_code', 'parentcode', 'pcode', 'sjbm', '上级编码', '上级代码', '所属编码', '父级编码', 'parentId', 'parent_id'],
} as const;

/** China's extent with a margin, WGS84: coordinates outside are in the wrong system or the wrong place. */
const CHINA: BBox = [73, 3, 136, 54];

export type Progress = (phase: 'geometry' | 'overlap' | 'parent' | 'gap', fraction: number) => void;

const tick = () => new Promise<void>((done) => setImmediate(done));

function resolveField(role: 'code' | 'name' | 'parent', asked: string | undefined, fields: string[]): string | null {
  if (asked) {
    if (!fields.includes(asked)) throw new FieldMappingError(role, asked, fields);
    return asked;
  }
  const lower = new Map(fields.map((f) => [f.toLowerCase(), f]));
  for (const candidate of DEFAULT_FIELDS[role]) {
    const hit = lower.get(candidate.toLowerCase());
    if (hit) return hit;
  }
  return null;
}

const text = (v: unknown) => (v === null || v === undefined ? '' : String(v).trim());

function kindOf(level: GridImportLevel, name: string): RegionKind {
  if (level === 'town') return name.endsWith('街道') ? 'street' : name.endsWith('乡') ? 'township' : 'town';
  if (level === 'village') return name.endsWith('社区') ? 'community' : 'village';
  return level;
}

/** The one Polygon of a geometry, or why there is none (a file may hold anything where a geometry belongs). */
function polygonOf(geometry: Geometry | null): Polygon | string {
  if (!geometry || typeof geometry !== 'object') return 'no geometry';
  if (geometry.type === 'Polygon') return geometry;
  if (geometry.type === 'MultiPolygon') {
    if (!Array.isArray(geometry.coordinates)) return 'MultiPolygon without coordinates';
    if (geometry.coordinates.length === 1) return { type: 'Polygon', coordinates: geometry.coordinates[0]! };
    return `MultiPolygon of ${geometry.coordinates.length} parts`;
  }
  return typeof geometry.type === 'string' ? geometry.type.slice(0, 40) : 'no geometry type';
}

/**
 * The polygon with every position as `[lon, lat]`, or null when a ring or a position is not
 * numbers. A file may hold anything in a geometry (extra ordinates, nested junk thousands of
 * levels deep): only plain numbers go on into the plan, its preview and the stored regions.
 */
function planar(polygon: Polygon): Polygon | null {
  if (!Array.isArray(polygon.coordinates)) return null;
  const rings: Position[][] = [];
  for (const ring of polygon.coordinates as unknown[]) {
    if (!Array.isArray(ring) || !ring.every((p) => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))) return null;
    rings.push(ring.map((p: number[]) => [p[0]!, p[1]!]));
  }
  return { type: 'Polygon', coordinates: rings };
}

/** Ring and coordinate problems of one polygon; an empty list means the topology checks can use it. */
function ringProblems(polygon: Polygon): Array<Pick<GridProblem, 'problem' | 'where' | 'other'>> {
  const out: Array<Pick<GridProblem, 'problem' | 'where' | 'other'>> = [];
  const at = (p: Position | undefined): [number, number] | null => (p && Number.isFinite(p[0]) && Number.isFinite(p[1]) ? [p[0]!, p[1]!] : null);
  if (!Array.isArray(polygon.coordinates) || polygon.coordinates.length === 0) return [{ problem: 'ring_too_short', where: null, other: '0' }];
  // `other` names the ring only when it is a hole ("hole 2"); the outer ring is the feature itself
  for (const [r, ring] of polygon.coordinates.entries()) {
    const hole = r === 0 ? null : `hole ${r}`;
    if (!Array.isArray(ring) || ring.some((p) => !Array.isArray(p) || !Number.isFinite(p[0]) || !Number.isFinite(p[1]))) {
      out.push({ problem: 'not_lonlat', where: null, other: hole });
      continue;
    }
    const bad = ring.find(([x, y]) => Math.abs(x!) > 180 || Math.abs(y!) > 90);
    if (bad) {
      out.push({ problem: 'not_lonlat', where: null, other: `${bad[0]}, ${bad[1]}` });
      continue;
    }
    const away = ring.find(([x, y]) => x! < CHINA[0] || y! < CHINA[1] || x! > CHINA[2] || y! > CHINA[3]);
    if (away) out.push({ problem: 'outside_china', where: at(away), other: hole });
    if (ring.length < 4) out.push({ problem: 'ring_too_short', where: at(ring[0]), other: hole });
    const first = ring[0];
    const last = ring[ring.length - 1];
    if (ring.length > 0 && (first![0] !== last![0] || first![1] !== last![1])) out.push({ problem: 'ring_unclosed', where: at(first), other: hole });
  }
  if (out.length > 0) return out;
  const crossings = kinks(polygon).features;
  if (crossings.length > 0) {
    const p = crossings[0]!.geometry.coordinates;
    return [{ problem: 'self_intersection', where: [round6(p[0]!), round6(p[1]!)], other: null }];
  }
  if (!booleanValid(polygon)) return [{ problem: 'invalid_geometry', where: at(polygon.coordinates[0]![0]), other: null }];
  return [];
}

const m2 = (n: number) => Math.round(n * 10) / 10;

/**
 * Validates a boundary file against the database and plans the write. Nothing here writes:
 * the caller writes `rows` and removes `removeIds` in one transaction only when
 * `report.problems` is empty. Topology runs on the features whose rings are sound; candidate
 * pairs for overlaps come from an R-tree of their boxes (flatbush), never all pairs.
 */
export async function planGridImport(input: GridPlanInput, onProgress: Progress = () => undefined): Promise<GridPlan> {
  const { file, options, existing, children } = input;
  const { level } = options;
  const problems: GridProblem[] = [];
  const report = (p: Omit<GridProblem, 'areaM2' | 'where' | 'other'> & Partial<GridProblem>) =>
    problems.push({ where: null, areaM2: null, other: null, ...p });
  const county = level === 'town' && input.parents.length === 0 ? newCounty(file, options, report) : null;
  const parents = county ? [county.stored] : input.parents;
  const codeField = resolveField('code', options.codeField, file.fields);
  if (!codeField) throw new FieldMappingError('code', null, file.fields);
  const nameField = resolveField('name', options.nameField, file.fields);
  if (!nameField) throw new FieldMappingError('name', null, file.fields);
  const parentField = resolveField('parent', options.parentField, file.fields);
  if (!parentField && !(level === 'town' && parents.length === 1)) throw new FieldMappingError('parent', null, file.fields);

  const existingByCode = new Map(existing.map((r) => [r.code, r]));
  const parentByCode = new Map(parents.map((r) => [r.code, r]));
  const parentById = new Map(parents.map((r) => [r.id, r]));

  interface Item {
    feature: number;
    code: string;
    name: string;
    parent: StoredRegion | null;
    polygon: Polygon | null;
    sound: boolean;
  }
  const items: Item[] = [];
  const firstOfCode = new Map<string, number>();
  const total = file.features.length;
  for (const [i, f] of file.features.entries()) {
    const feature = i + 1;
    const code = text(f.properties[codeField]);
    const name = text(f.properties[nameField]);
    const parentCode = parentField ? text(f.properties[parentField]) : '';
    if (!code) report({ feature, code: null, problem: 'code_missing', other: codeField });
    else if (firstOfCode.has(code)) report({ feature, code, problem: 'code_duplicate', other: `#${firstOfCode.get(code)}` });
    else firstOfCode.set(code, feature);
    if (code && input.otherLevelCodes.has(code)) report({ feature, code, problem: 'code_other_level' });
    if (!name) report({ feature, code: code || null, problem: 'name_missing', other: nameField });
    let parent: StoredRegion | null = null;
    if (!parentField) parent = parents[0]!;
    else if (!parentCode) report({ feature, code: code || null, problem: 'parent_missing', other: parentField });
    else {
      parent = parentByCode.get(parentCode) ?? null;
      if (!parent) report({ feature, code: code || null, problem: 'parent_unknown', other: parentCode });
    }
    const polygon = polygonOf(f.geometry);
    let sound = false;
    if (typeof polygon === 'string') report({ feature, code: code || null, problem: 'not_polygon', other: polygon });
    else {
      const rings = ringProblems(polygon);
      for (const r of rings) report({ feature, code: code || null, ...r });
      sound = rings.length === 0;
    }
    items.push({ feature, code, name, parent, polygon: typeof polygon === 'string' ? null : planar(polygon), sound });
    if (i % 200 === 0) {
      onProgress('geometry', i / total);
      await tick();
    }
  }
  onProgress('geometry', 1);

  // The level as it will stand: the file's sound features, plus the regions it leaves out when they are kept.
  const inFile = new Set(items.map((it) => it.code));
  const left = existing.filter((r) => !inFile.has(r.code));
  interface Member {
    item: Item | null;
    code: string;
    parentId: string | null;
    geometry: Polygon;
    bbox: BBox;
  }
  const members: Member[] = items
    .filter((it) => it.sound && it.polygon)
    .map((it) => ({ item: it, code: it.code, parentId: it.parent?.id ?? null, geometry: it.polygon!, bbox: bboxOf(it.polygon!) }));
  if (options.keepMissing) for (const r of left) members.push({ item: null, code: r.code, parentId: r.parentId, geometry: r.geometry, bbox: bboxOf(r.geometry) });

  // Overlaps between siblings: candidates from the R-tree, then the exact intersection.
  if (members.length > 0) {
    const index = new Flatbush(members.length);
    for (const m of members) index.add(m.bbox[0], m.bbox[1], m.bbox[2], m.bbox[3]);
    index.finish();
    for (const [i, a] of members.entries()) {
      for (const j of index.search(...a.bbox)) {
        if (j <= i) continue;
        const b = members[j]!;
        if (!a.item && !b.item) continue;
        const shared = intersection(a.geometry, b.geometry);
        const size = areaM2(shared);
        if (shared && size > options.overlapToleranceM2) {
          const [mine, theirs] = a.item ? [a, b] : [b, a];
          report({ feature: mine.item!.feature, code: mine.code, problem: 'overlap', where: interiorPoint(shared), areaM2: m2(size), other: theirs.code });
        }
      }
      if (i % 100 === 0) {
        onProgress('overlap', i / members.length);
        await tick();
      }
    }
  }
  onProgress('overlap', 1);

  // Children outside their parent; regions already below a changed region outside its new boundary.
  const childrenOf = new Map<string, StoredRegion[]>();
  for (const c of children) if (c.parentId) childrenOf.set(c.parentId, [...(childrenOf.get(c.parentId) ?? []), c]);
  for (const [i, m] of members.entries()) {
    if (!m.item) continue;
    const parent = m.item.parent;
    if (parent) {
      const outside = minus(m.geometry, parent.geometry);
      const size = areaM2(outside);
      if (outside && size > options.outsideToleranceM2) {
        report({ feature: m.item.feature, code: m.code, problem: 'outside_parent', where: interiorPoint(outside), areaM2: m2(size), other: parent.code });
      }
    }
    const stored = existingByCode.get(m.code);
    for (const child of stored ? (childrenOf.get(stored.id) ?? []) : []) {
      const outside = minus(child.geometry, m.geometry);
      const size = areaM2(outside);
      if (outside && size > options.outsideToleranceM2) {
        report({ feature: m.item.feature, code: m.code, problem: 'children_outside', where: interiorPoint(outside), areaM2: m2(size), other: child.code });
      }
    }
    if (i % 100 === 0) {
      onProgress('parent', i / members.length);
      await tick();
    }
  }
  onProgress('parent', 1);

  // Gaps: each parent's area covered by none of its children. A parent with a child whose
  // rings failed is not judged: that child's own problems are the report, not a false gap.
  const byParent = new Map<string, Member[]>();
  for (const m of members) if (m.parentId) byParent.set(m.parentId, [...(byParent.get(m.parentId) ?? []), m]);
  const judged = new Set(items.filter((it) => !it.sound).map((it) => it.parent?.id));
  for (const [i, parent] of parents.entries()) {
    const kids = byParent.get(parent.id) ?? [];
    if (judged.has(parent.id)) continue;
    const covered = unionOf(kids.map((k) => k.geometry as Area));
    const gap = covered ? minus(parent.geometry, covered) : parent.geometry;
    const size = areaM2(gap);
    if (gap && size > options.gapToleranceM2) {
      report({ feature: null, code: parent.code, problem: 'gap', where: interiorPoint(gap), areaM2: m2(size), other: parentById.get(parent.id)?.name ?? null });
    }
    if (i % 50 === 0) {
      onProgress('gap', i / parents.length);
      await tick();
    }
  }
  onProgress('gap', 1);

  // Regions the file leaves out are removed, unless something still points at them.
  const removeIds = options.keepMissing ? [] : left.map((r) => r.id);
  const refs = await input.references(removeIds);
  for (const r of left) {
    const why = refs.get(r.id);
    if (!options.keepMissing && why) report({ feature: null, code: r.code, problem: 'in_use', other: why });
  }

  // Only sound polygons are measured: a ring problem was reported (so the plan is refused) and its
  // coordinates may not even be numbers.
  const rows: RegionWrite[] = items
    .filter((it) => it.polygon && it.parent && it.sound)
    .map((it) => {
      const stored = existingByCode.get(it.code);
      const geometry = it.polygon!;
      const size = areaM2(geometry);
      // an updated region keeps its kind and its label point while the point still lies inside
      const keepLabel = stored && it.sound && booleanPointInPolygon(stored.label, geometry);
      return {
        id: stored?.id ?? it.code,
        action: stored ? 'update' : 'insert',
        level,
        kind: stored?.kind ?? kindOf(level, it.name),
        code: it.code,
        name: it.name,
        parentId: it.parent!.id,
        geometry,
        label: keepLabel ? stored.label : interiorPoint(geometry),
        bbox: bboxOf(geometry),
        areaKm2: Math.round(size / 1e3) / 1e3,
      };
    });
  problems.sort((a, b) => (a.feature ?? Infinity) - (b.feature ?? Infinity));
  return {
    rows: county ? [county.row, ...rows] : rows,
    removeIds,
    report: {
      kind: 'grids',
      level,
      fields: file.fields,
      mapping: { code: codeField, name: nameField, parent: parentField },
      crs: file.crs,
      features: total,
      inserts: rows.filter((r) => r.action === 'insert').length,
      updates: rows.filter((r) => r.action === 'update').length,
      createsCounty: county ? { code: county.row.code, name: county.row.name } : null,
      removes: left.filter(() => !options.keepMissing).map((r) => r.code),
      problems,
      preview: {
        type: 'FeatureCollection',
        features: items.filter((it) => it.polygon).map((it) => ({ type: 'Feature', geometry: it.polygon, properties: { feature: it.feature, code: it.code, name: it.name } })),
      },
    },
  };
}

/**
 * The county of a first import: the outline of the union of the file's sound town boundaries.
 * Holes in the union are gaps between towns, which the gap check then reports on the county's
 * code; a union of several parts is no one county (the table holds one polygon per region).
 */
function newCounty(file: BoundaryFile, options: GridImportOptions, report: (p: Omit<GridProblem, 'areaM2' | 'where' | 'other'> & Partial<GridProblem>) => void): { stored: StoredRegion; row: RegionWrite } {
  if (!options.countyCode || !options.countyName) throw new NoCountyError();
  const code = options.countyCode;
  const sound = file.features.map((f) => polygonOf(f.geometry)).filter((p): p is Polygon => typeof p !== 'string' && ringProblems(p).length === 0);
  const whole = unionOf(sound);
  let geometry: Polygon = { type: 'Polygon', coordinates: [] };
  if (whole?.type === 'Polygon') geometry = whole;
  else if (whole) {
    const parts = whole.coordinates.map((c): Polygon => ({ type: 'Polygon', coordinates: c })).sort((a, b) => areaM2(b) - areaM2(a));
    geometry = parts[0]!;
    report({ feature: null, code, problem: 'not_polygon', where: interiorPoint(parts[1]!), other: `MultiPolygon of ${parts.length} parts` });
  }
  const outline: Polygon = { type: 'Polygon', coordinates: geometry.coordinates.slice(0, 1) };
  const stored: StoredRegion = { id: code, code, name: options.countyName, kind: 'county', parentId: null, geometry: outline, label: [0, 0] };
  const row: RegionWrite = {
    id: code,
    action: 'insert',
    level: 'county',
    kind: 'county',
    code,
    name: options.countyName,
    parentId: null,
    geometry: outline,
    label: outline.coordinates.length ? interiorPoint(outline) : [0, 0],
    bbox: outline.coordinates.length ? bboxOf(outline) : [0, 0, 0, 0],
    areaKm2: Math.round(areaM2(outline) / 1e3) / 1e3,
  };
  return { stored, row };
}
