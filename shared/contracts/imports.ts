import { z } from 'zod';

/**
 * Imports of a county's own data (GIS boundaries and rosters): the same validation and report
 * for `npm run import` and the console's data-import screen (docs/IMPORT.md).
 */

/** The four levels a boundary file can hold, as the CLI and the console name them. */
export const GRID_IMPORT_LEVELS = ['town', 'village', 'grid', 'microgrid'] as const;
export const gridImportLevelSchema = z.enum(GRID_IMPORT_LEVELS);
export type GridImportLevel = z.infer<typeof gridImportLevelSchema>;

/**
 * Tolerances of the topology checks, in square metres. Digitised boundaries rarely meet to the
 * millimetre: slivers below these are accepted, anything above is a problem of the feature.
 */
export const DEFAULT_TOLERANCES = { overlapM2: 10, gapM2: 100, outsideM2: 10 } as const;

const fieldName = z.string().trim().min(1).max(64);
const tolerance = z.number().finite().min(0).max(1e9);

export const gridImportOptionsSchema = z
  .object({
    level: gridImportLevelSchema,
    /** Attribute holding the region's code; default: the first of code/CODE/编码/… present. */
    codeField: fieldName.optional(),
    nameField: fieldName.optional(),
    /** Attribute holding the parent's code; towns may omit it (their parent is the county). */
    parentField: fieldName.optional(),
    /** Coordinate system when the file does not say (`EPSG:4549`, a proj string or WKT); default WGS84. */
    crs: z.string().trim().min(1).max(4000).optional(),
    /**
     * A database without a county (a real county's first import): towns create it as the union
     * of their boundaries, with this code and name. Ignored once a county exists.
     */
    countyCode: z.string().trim().regex(/^[0-9A-Za-z]{2,40}$/).optional(),
    countyName: z.string().trim().min(1).max(64).optional(),
    /** Keep regions of the level that the file does not list (default: the file is the whole level). */
    keepMissing: z.boolean().default(false),
    overlapToleranceM2: tolerance.default(DEFAULT_TOLERANCES.overlapM2),
    gapToleranceM2: tolerance.default(DEFAULT_TOLERANCES.gapM2),
    outsideToleranceM2: tolerance.default(DEFAULT_TOLERANCES.outsideM2),
  })
  .strict();
export type GridImportOptions = z.infer<typeof gridImportOptionsSchema>;
export type GridImportOptionsInput = z.input<typeof gridImportOptionsSchema>;

/** What can be wrong with one feature of a boundary file (or a region it would leave behind). */
export const GRID_PROBLEMS = [
  'not_polygon', // geometry missing, or not a (single-part) Polygon
  'ring_unclosed', // first and last positions differ
  'ring_too_short', // fewer than 4 positions
  'self_intersection', // a ring crosses itself (kinks)
  'invalid_geometry', // not valid by OGC rules for another reason (hole outside its shell…)
  'not_lonlat', // coordinates are not longitude/latitude degrees (projected metres without a .prj?)
  'outside_china', // coordinates outside China after reprojection
  'code_missing',
  'code_duplicate', // two features with the same code
  'code_other_level', // the code belongs to a region of another level
  'name_missing',
  'parent_missing',
  'parent_unknown', // no region of the level above has that code
  'overlap', // overlaps a sibling beyond the tolerance
  'outside_parent', // extends outside its parent beyond the tolerance
  'gap', // part of a parent covered by none of its children, beyond the tolerance
  'children_outside', // regions already below this one would fall outside its new boundary
  'in_use', // a region the file leaves out is still referenced (cases, households, rosters…)
] as const;
export type GridProblemCode = (typeof GRID_PROBLEMS)[number];

export interface GridProblem {
  /** 1-based position of the feature in the file; null for a region not in the file (a parent's gap, a region left out). */
  feature: number | null;
  code: string | null;
  problem: GridProblemCode;
  /** A position to look at, WGS84 [lon, lat]. */
  where: [number, number] | null;
  /** Area concerned, m² (overlap, gap, outside). */
  areaM2: number | null;
  /** The other party: the overlapping sibling's or the parent's code, the duplicate's feature number, what references a region. */
  other: string | null;
}

export interface GridImportFeature {
  feature: number;
  code: string;
  name: string;
  parentCode: string;
  /** Already in the database (kept id, updated) or new. */
  action: 'insert' | 'update';
  areaKm2: number;
}

export interface GridImportReport {
  kind: 'grids';
  level: GridImportLevel;
  /** Attribute names found in the file, for the field mapping. */
  fields: string[];
  mapping: { code: string; name: string; parent: string | null };
  /** How the coordinates were read: `WGS84`, `CGCS2000 (EPSG:4490) as WGS84`, a .prj's projection… */
  crs: string;
  features: number;
  inserts: number;
  updates: number;
  /** The county this import creates (towns into a database without one), else null. */
  createsCounty: { code: string; name: string } | null;
  /** Regions of the level the file leaves out, removed on write (none with keepMissing). */
  removes: string[];
  problems: GridProblem[];
  /** The features as read (WGS84), for a preview map; faulty ones are named in problems. */
  preview: { type: 'FeatureCollection'; features: Array<{ type: 'Feature'; geometry: unknown; properties: { feature: number; code: string; name: string } }> };
}

export const ROSTER_KINDS = ['workers', 'roster', 'teams'] as const;
export const rosterKindSchema = z.enum(ROSTER_KINDS);
export type RosterKind = z.infer<typeof rosterKindSchema>;

export const ROSTER_PROBLEMS = [
  'required',
  'bad_value',
  'duplicate',
  'unknown_region',
  'unknown_header',
  'no_rows',
  // the workers sheet's record columns (issue 16)
  'left_on_required', // status 离职 without a leaving date
  'left_on_not_left', // a leaving date for a worker whose status (in the file) is not 离职
  'date_order', // leaving date before the start date
  'unknown_team', // 所属队伍: no team with that id
  'micro_grid_outside', // 服务微网格编码: no such micro-grid, or not one of the row's grid
  'unknown_account', // 登录账号: no account with that username holding the field_worker role
  'account_taken', // 登录账号: linked to another worker, or named by two rows
  'outside_scope', // the grid office's import: the row's grid is outside the caller's towns
] as const;
export type RosterProblemCode = (typeof ROSTER_PROBLEMS)[number];

export interface RosterProblem {
  sheet: RosterKind;
  /** Row number as a spreadsheet shows it (the header is row 1); null for the sheet as a whole. */
  row: number | null;
  /** The column as the file's header names it (a missing column: its English key). */
  field: string | null;
  problem: RosterProblemCode;
  value: string | null;
}

export interface RosterImportReport {
  kind: 'roster';
  /** How text was decoded (UTF-8, UTF-8 with BOM, GBK) or XLSX. */
  encoding: string;
  sheets: Array<{ kind: RosterKind; rows: number; inserts: number; updates: number }>;
  problems: RosterProblem[];
}

export type ImportReport = GridImportReport | RosterImportReport;

export const IMPORT_JOB_STATES = ['validating', 'refused', 'ready', 'writing', 'written', 'failed'] as const;
export type ImportJobState = (typeof IMPORT_JOB_STATES)[number];

/** A validation run of the console's import (polled: one administrator's job, not the room's feed). */
export interface ImportJob {
  id: string;
  kind: 'grids' | 'roster';
  fileName: string;
  state: ImportJobState;
  /** 0..1 of the current phase. */
  progress: number;
  phase: string;
  report: ImportReport | null;
  /**
   * Why a job failed before any report: `not_geojson`, `not_feature_collection`, `no_shapefile`,
   * `unknown_crs`, `unreadable`, `encoding`, `field_not_found`; `detail` says more (not localised).
   */
  error: { reason: string; detail: string } | null;
  /** Attribute names of a boundary file, also when a mapped field was not found in it. */
  fields: string[];
  /** Set once written. */
  writtenAt: string | null;
}

/** The query of `POST /api/v1/imports/grids` (the body is the file itself). */
export const gridUploadQuerySchema = z
  .object({
    level: gridImportLevelSchema,
    code: fieldName.optional(),
    name: fieldName.optional(),
    parent: fieldName.optional(),
    keepMissing: z.enum(['true', 'false']).optional(),
    countyCode: z.string().max(40).optional(),
    countyName: z.string().max(64).optional(),
    overlapToleranceM2: z.coerce.number().finite().min(0).max(1e9).optional(),
    gapToleranceM2: z.coerce.number().finite().min(0).max(1e9).optional(),
    outsideToleranceM2: z.coerce.number().finite().min(0).max(1e9).optional(),
  })
  .strict();

export const rosterUploadQuerySchema = z.object({ kind: rosterKindSchema.optional() }).strict();

export const importJobParamsSchema = z.object({ id: z.string().regex(/^IM[0-9A-Za-z_-]{8,40}$/) }).strict();

/** Header carrying the uploaded file's name (URI-encoded UTF-8), for the report only. */
export const IMPORT_FILENAME_HEADER = 'x-file-name';
