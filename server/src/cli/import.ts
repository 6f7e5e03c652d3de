import { Store } from '../db/store.js';
import { readFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_TOLERANCES, GRID_IMPORT_LEVELS, gridImportOptionsSchema, rosterKindSchema, type GridImportLevel, type ImportReport } from '../../../shared/contracts/imports.js';
import { databaseFile } from '../config.js';
import { systemClock } from '../core/clock.js';
import { openDatabase } from '../db/connection.js';
import { AuditRepo } from '../modules/audit/audit.repo.js';
import { BoundaryFileError } from '../modules/imports/boundary-file.js';
import { FieldMappingError, NoCountyError } from '../modules/imports/grid-plan.js';
import { GRID_PROBLEM_TEXT, ROSTER_PROBLEM_TEXT } from '../modules/imports/problem-text.js';
import { ImportsRepo } from '../modules/imports/imports.repo.js';
import { ImportsService, RefusedPlanError, sourceOf, StalePlanError, type PlannedImport } from '../modules/imports/imports.service.js';
import { RosterFileError } from '../modules/imports/roster-plan.js';

const USAGE = `Usage: npm run import -- grids FILE --level LEVEL [--data DIR] [options]
       npm run import -- roster FILE [--data DIR] [--kind workers|roster|teams]

Imports a county's own boundaries or rosters into DIR/gridcommand.db (default DIR: ./data).
Everything is checked first and a report printed per feature or row; the import is written
all or nothing, in one transaction, only when there is no problem. Stop the server first, or
import through the console (系统管理 › 数据导入), which rebuilds the live map and the locator.

grids: GeoJSON (FeatureCollection) or a zipped Shapefile (.shp .dbf .prj; reprojected to WGS84
from the .prj). CGCS2000 (EPSG:4490) is taken as WGS84 (they differ by centimetres).
  --level LEVEL            towns, villages, grids or micro-grids
  --code FIELD             attribute holding the code (default: code, 编码, 网格编码, …)
  --name FIELD             attribute holding the name (default: name, 名称, …)
  --parent FIELD           attribute holding the parent's code (default: parent, 上级编码, …;
                           towns may omit it: their parent is the county)
  --crs CRS                coordinates when the file names none: EPSG:4549 (CGCS2000 3-degree
                           Gauss-Kruger CM 120E), another EPSG code of CGCS2000, a proj string or WKT
  --keep-missing           keep regions of the level that the file does not list (default: the
                           file is the whole level; regions it leaves out are removed, refused
                           while cases, households, rosters or regions below reference them)
  --county-code CODE       with --county-name: a database without a county (the first import of a
  --county-name NAME       real county) gets one, the outline of the towns imported
  --overlap-tolerance M2   overlap allowed between two siblings (default ${DEFAULT_TOLERANCES.overlapM2} m²)
  --gap-tolerance M2       area of a parent its children may leave uncovered (default ${DEFAULT_TOLERANCES.gapM2} m²)
  --outside-tolerance M2   area of a child allowed outside its parent (default ${DEFAULT_TOLERANCES.outsideM2} m²)

roster: CSV (UTF-8 with or without BOM, or GBK) or XLSX; columns in docs/IMPORT.md.
  --kind KIND              workers, roster (5包1) or teams (default: from sheet names or headers)

  --json                   print the report as JSON on stdout
  -h, --help               show this help

Exit status: 0 written, 1 refused (the report says why; nothing written), 2 wrong usage or a
file that cannot be read.
`;

const LEVELS: Record<string, GridImportLevel> = { towns: 'town', villages: 'village', grids: 'grid', 'micro-grids': 'microgrid', ...Object.fromEntries(GRID_IMPORT_LEVELS.map((l) => [l, l])) };

function usage(message: string): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(2);
}

let parsed;
try {
  parsed = parseArgs({
    options: {
      data: { type: 'string' },
      level: { type: 'string' },
      code: { type: 'string' },
      name: { type: 'string' },
      parent: { type: 'string' },
      crs: { type: 'string' },
      kind: { type: 'string' },
      'keep-missing': { type: 'boolean' },
      'county-code': { type: 'string' },
      'county-name': { type: 'string' },
      'overlap-tolerance': { type: 'string' },
      'gap-tolerance': { type: 'string' },
      'outside-tolerance': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
} catch (err) {
  usage((err as Error).message);
}
const { values, positionals } = parsed;
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const [what, path, ...extra] = positionals;
if (what !== 'grids' && what !== 'roster') usage('say what to import: grids or roster');
if (!path) usage('FILE is required');
if (extra.length > 0) usage(`unexpected: ${extra.join(' ')}`);

let bytes: Uint8Array;
try {
  bytes = readFileSync(resolve(path));
} catch (err) {
  process.stderr.write(`cannot read ${path}: ${(err as Error).message}\n`);
  process.exit(2);
}

const tolerance = (flag: string, raw: string | undefined) => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!/^\d+(\.\d+)?$/.test(raw) || !Number.isFinite(n)) usage(`--${flag} must be a number of square metres ≥ 0 (got "${raw}")`);
  return n;
};

const tty = process.stderr.isTTY;
let shown = '';
const progress = (phase: string, fraction: number) => {
  const line = `${phase} ${Math.floor(fraction * 100)}%`;
  if (line === shown) return;
  shown = line;
  // a rewritten line on a terminal; whole lines at each tenth in a log
  if (tty) process.stderr.write(`\r${line.padEnd(30)}`);
  else if (fraction === 1 || Math.floor(fraction * 100) % 10 === 0) process.stderr.write(`${line}\n`);
};

const file = databaseFile(resolve(values.data ?? 'data'));
const db = openDatabase(file);
const store = Store.onSqlite(db);
const service = new ImportsService({ store, repo: new ImportsRepo(store), audit: new AuditRepo(store, systemClock), clock: systemClock });
const actor = { username: `cli:${userInfo().username}`, role: null, userId: null, client: 'npm run import' };
const source = sourceOf(basename(path), bytes);

try {
  let planned: PlannedImport;
  if (what === 'grids') {
    const level = values.level ? LEVELS[values.level] : undefined;
    if (!level) usage(`--level must be one of towns, villages, grids, micro-grids${values.level ? ` (got "${values.level}")` : ''}`);
    const parsedOptions = gridImportOptionsSchema.safeParse({
      level,
      codeField: values.code,
      nameField: values.name,
      parentField: values.parent,
      crs: values.crs,
      keepMissing: values['keep-missing'] ?? false,
      countyCode: values['county-code'],
      countyName: values['county-name'],
      overlapToleranceM2: tolerance('overlap-tolerance', values['overlap-tolerance']),
      gapToleranceM2: tolerance('gap-tolerance', values['gap-tolerance']),
      outsideToleranceM2: tolerance('outside-tolerance', values['outside-tolerance']),
    });
    if (!parsedOptions.success) usage(parsedOptions.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join('\n'));
    const options = parsedOptions.data;
    planned = await service.planGrids(bytes, options, (phase, f) => progress(`checking ${phase}`, f));
  } else {
    const kind = values.kind === undefined ? undefined : rosterKindSchema.safeParse(values.kind).data;
    if (values.kind !== undefined && !kind) usage(`--kind must be workers, roster or teams (got "${values.kind}")`);
    planned = await service.planRoster(bytes, basename(path), kind);
  }
  const report = planned.plan.report;
  if (tty && shown) process.stderr.write('\n');
  if (values.json) process.stdout.write(`${JSON.stringify({ ...report, ...(report.kind === 'grids' ? { preview: undefined } : {}) }, null, 2)}\n`);
  else printReport(report);
  // with problems, write() audits the refusal and throws RefusedPlanError
  await service.write(planned, source, actor, (f) => progress('writing', f));
  if (tty) process.stderr.write('\n');
  process.stderr.write(`Written to ${file}.\n`);
} catch (err) {
  if (err instanceof BoundaryFileError || err instanceof RosterFileError || err instanceof FieldMappingError || err instanceof NoCountyError) {
    process.stderr.write(`${tty && shown ? '\n' : ''}${path}: ${err.message}\n`);
    process.exitCode = 2;
  } else if (err instanceof StalePlanError) {
    process.stderr.write(`The database changed while checking; nothing written. Run the import again.\n`);
    process.exitCode = 1;
  } else if (err instanceof RefusedPlanError) {
    process.stderr.write(`Refused: ${err.message}; nothing written.\n`);
    process.exitCode = 1;
  } else throw err;
} finally {
  db.close();
}

function printReport(report: ImportReport): void {
  const out = (s: string) => process.stdout.write(`${s}\n`);
  if (report.kind === 'grids') {
    out(`${report.features} features, level ${report.level}, coordinates: ${report.crs}`);
    out(`fields: code=${report.mapping.code} name=${report.mapping.name} parent=${report.mapping.parent ?? '(county)'} · available: ${report.fields.join(', ')}`);
    out(`would insert ${report.inserts}, update ${report.updates}, remove ${report.removes.length}`);
    if (report.problems.length === 0) return;
    out(`\n${report.problems.length} problem(s):`);
    out(['feature', 'code', 'problem', 'where (lon, lat)', 'area m²', 'other'].join('\t'));
    for (const p of report.problems) {
      out([p.feature ?? '-', p.code ?? '-', `${p.problem} ${GRID_PROBLEM_TEXT[p.problem]}`, p.where ? p.where.join(', ') : '-', p.areaM2 ?? '-', p.other ?? '-'].join('\t'));
    }
    return;
  }
  out(`encoding: ${report.encoding}`);
  for (const s of report.sheets) out(`${s.kind}: ${s.rows} rows, would insert ${s.inserts}, update ${s.updates}`);
  if (report.problems.length === 0) return;
  out(`\n${report.problems.length} problem(s):`);
  out(['sheet', 'row', 'field', 'problem', 'value'].join('\t'));
  for (const p of report.problems) out([p.sheet, p.row ?? '-', p.field ?? '-', `${p.problem} ${ROSTER_PROBLEM_TEXT[p.problem]}`, p.value ?? '-'].join('\t'));
}
