import { Store } from '../../server/src/db/store.js';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import proj4 from 'proj4';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Polygon } from 'geojson';
import { databaseFile } from '../../server/src/config.js';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { readBoundaryFile } from '../../server/src/modules/imports/boundary-file.js';
import { ImportsRepo } from '../../server/src/modules/imports/imports.repo.js';
import { ImportsService, RefusedPlanError, sourceOf } from '../../server/src/modules/imports/imports.service.js';
import { gridImportOptionsSchema, type GridImportReport, type GridProblemCode, type ImportJob, type RosterImportReport } from '../../shared/contracts/imports.js';
import { zippedShapefile } from '../fixtures/gis/shapefile.js';
import { api, cleanupAfterAll, intakeAt, loginAs, ROOT, SMALL_COUNTY, someItemCode, startTestServer, type TestServer } from './harness.js';
import { bowTie, bytesOf, clone, levelAsGeoJson, levelAsGeoJsonIn, scaled, siblings, type Fc } from './imports-fixtures.js';
import { valueOf } from './store-rows.js';

const { later, tempDir } = cleanupAfterAll();

/** CGCS2000 / 3-degree Gauss-Kruger CM 120E (EPSG:4549) as an ESRI .prj writes it. */
const GK_120E_PRJ =
  'PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';
const GK_120E = '+proj=tmerc +lat_0=0 +lon_0=120 +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs';

function seeded(): { db: Db; service: ImportsService; repo: ImportsRepo; dir: string } {
  const dir = tempDir();
  const db = openDatabase(databaseFile(dir));
  seedDemo(db, SMALL_COUNTY);
  later(() => db.close());
  const store = Store.onSqlite(db);
  const repo = new ImportsRepo(store);
  return { db, repo, dir, service: new ImportsService({ store, repo, audit: new AuditRepo(store, systemClock), clock: systemClock }) };
}

const actor = { username: 'test', userId: null, role: null };
const opts = (level: 'town' | 'village' | 'grid' | 'microgrid', more = {}) => gridImportOptionsSchema.parse({ level, ...more });

describe('boundary import: validation before anything is written', () => {
  let ctx: ReturnType<typeof seeded>;
  let micro: Fc;
  beforeAll(() => {
    ctx = seeded();
    micro = levelAsGeoJson(ctx.db, 'microgrid');
  });

  const otherGridThan = (fc: Fc, k: number) => fc.features.find((f) => f.properties['上级编码']!.slice(0, 12) !== fc.features[k]!.properties['上级编码']!.slice(0, 12))!.properties['上级编码']!;

  const faults: Array<[string, GridProblemCode, (fc: Fc) => { feature: number | null; code: string }]> = [
    ['a self-intersecting ring', 'self_intersection', (fc) => {
      fc.features[3]!.geometry = bowTie(fc.features[3]!.geometry);
      return { feature: 4, code: fc.features[3]!.properties['编码']! };
    }],
    ['an unclosed ring', 'ring_unclosed', (fc) => {
      fc.features[5]!.geometry.coordinates[0]!.pop();
      return { feature: 6, code: fc.features[5]!.properties['编码']! };
    }],
    ['an overlap between siblings', 'overlap', (fc) => {
      fc.features[7]!.geometry = scaled(fc.features[7]!.geometry, 1.2);
      return { feature: null, code: fc.features[7]!.properties['编码']! };
    }],
    ['a gap in the parent', 'gap', (fc) => {
      fc.features[9]!.geometry = scaled(fc.features[9]!.geometry, 0.8);
      return { feature: null, code: fc.features[9]!.properties['上级编码']! };
    }],
    ['a child outside its parent', 'outside_parent', (fc) => {
      fc.features[11]!.properties['上级编码'] = otherGridThan(fc, 11);
      return { feature: 12, code: fc.features[11]!.properties['编码']! };
    }],
    ['an unknown parent', 'parent_unknown', (fc) => {
      fc.features[13]!.properties['上级编码'] = '330899999999999';
      return { feature: 14, code: fc.features[13]!.properties['编码']! };
    }],
    ['a duplicate code', 'code_duplicate', (fc) => {
      fc.features[16]!.properties['编码'] = fc.features[15]!.properties['编码']!;
      return { feature: 17, code: fc.features[15]!.properties['编码']! };
    }],
    ['projected metres without a coordinate system', 'not_lonlat', (fc) => {
      const t = proj4('EPSG:4326', GK_120E);
      fc.features[20]!.geometry.coordinates = fc.features[20]!.geometry.coordinates.map((r) => r.map((p) => t.forward([p[0]!, p[1]!])));
      return { feature: 21, code: fc.features[20]!.properties['编码']! };
    }],
  ];

  it.each(faults)('%s is refused with a per-feature report and the regions unchanged', async (_name, problem, spoil) => {
    const before = await ctx.repo.regionsHash();
    const fc = clone(micro);
    const expected = spoil(fc);
    const planned = await ctx.service.planGrids(bytesOf(fc), opts('microgrid'));
    const report = planned.plan.report as GridImportReport;
    const hit = report.problems.find((p) => p.problem === problem && (p.code === expected.code || p.other === expected.code));
    expect(hit, JSON.stringify(report.problems)).toBeDefined();
    if (expected.feature !== null) expect(hit!.feature).toBe(expected.feature);
    if (problem === 'overlap' || problem === 'gap') expect(hit!.areaM2).toBeGreaterThan(10);
    await expect(ctx.service.write(planned, sourceOf('faulty.geojson', bytesOf(fc)), actor)).rejects.toThrow(RefusedPlanError);
    expect(await ctx.repo.regionsHash()).toBe(before);
  });

  it('refuses to remove a region that cases or households reference, names what does, and writes nothing', async () => {
    const before = await ctx.repo.regionsHash();
    const fc = clone(micro);
    const dropped = fc.features.shift()!;
    const planned = await ctx.service.planGrids(bytesOf(fc), opts('microgrid'));
    const inUse = planned.plan.report.kind === 'grids' ? planned.plan.report.problems.find((p) => p.problem === 'in_use') : undefined;
    expect(inUse).toMatchObject({ feature: null, code: dropped.properties['编码'] });
    expect(inUse!.other).toMatch(/households/);
    await expect(ctx.service.write(planned, sourceOf('f.geojson', bytesOf(fc)), actor)).rejects.toThrow(RefusedPlanError);
    expect(await ctx.repo.regionsHash()).toBe(before);
  });

  it('names the fields a file has when the mapping names one it lacks', async () => {
    await expect(ctx.service.planGrids(bytesOf(micro), opts('microgrid', { codeField: 'WGBM' }))).rejects.toThrow(/field "WGBM" not found; the file has: 编码, 名称, 上级编码/);
  });

  it('checks the county scale (3,739 micro-grids shaped like the paper) without comparing every pair', async () => {
    // the default demo county is the paper's size; its own micro-grids pass their own checks
    const dir = tempDir();
    const db = openDatabase(databaseFile(dir));
    later(() => db.close());
    seedDemo(db, { ...SMALL_COUNTY, towns: 12, villages: 230, grids: 781, microGrids: 3739, workers: 3361, fullTimeWorkers: 836, householdsPerMicroGrid: 0, days: 0, eventsPerDay: 0 });
    const store = Store.onSqlite(db);
    const service = new ImportsService({ store, repo: new ImportsRepo(store), audit: new AuditRepo(store, systemClock), clock: systemClock });
    const phases = new Set<string>();
    const planned = await service.planGrids(bytesOf(levelAsGeoJson(db, 'microgrid')), opts('microgrid'), (phase) => phases.add(phase));
    const report = planned.plan.report as GridImportReport;
    expect(report.features).toBe(3739);
    expect(report.problems).toEqual([]);
    expect([...phases]).toEqual(['geometry', 'overlap', 'parent', 'gap']);
  });
});

describe('boundary import: a real county into an empty database', () => {
  it('creates the county from its towns, then takes villages, grids and micro-grids from the top down', async () => {
    const source = seeded();
    const files = Object.fromEntries((['town', 'village', 'grid', 'microgrid'] as const).map((l) => [l, bytesOf(levelAsGeoJson(source.db, l))]));
    const dir = tempDir();
    const db = openDatabase(databaseFile(dir));
    later(() => db.close());
    const store = Store.onSqlite(db);
    const service = new ImportsService({ store, repo: new ImportsRepo(store), audit: new AuditRepo(store, systemClock), clock: systemClock });
    await expect(service.planGrids(files.town!, opts('town'))).rejects.toThrow(/no county/);

    const county = { countyCode: '330899', countyName: 'T县' };
    // a town shrunk away from its neighbours: the towns are no longer one area, so no one county
    const apart = levelAsGeoJson(source.db, 'town');
    apart.features[0]!.geometry = scaled(apart.features[0]!.geometry, 0.9);
    const refused = (await service.planGrids(bytesOf(apart), opts('town', county))).plan.report as GridImportReport;
    expect(refused.problems).toContainEqual(expect.objectContaining({ feature: null, code: '330899', problem: 'not_polygon', other: 'MultiPolygon of 2 parts' }));
    expect(db.prepare('SELECT COUNT(*) AS n FROM regions').get()).toEqual({ n: 0 });

    for (const level of ['town', 'village', 'grid', 'microgrid'] as const) {
      const planned = await service.planGrids(files[level]!, opts(level, county));
      const report = planned.plan.report as GridImportReport;
      expect(report.problems, level).toEqual([]);
      expect(report.createsCounty).toEqual(level === 'town' ? { code: '330899', name: 'T县' } : null);
      await service.write(planned, sourceOf(`${level}.geojson`, files[level]!), actor);
    }
    const levels = db.prepare('SELECT level, COUNT(*) AS n FROM regions GROUP BY level ORDER BY level').all();
    expect(levels).toEqual(source.db.prepare('SELECT level, COUNT(*) AS n FROM regions GROUP BY level ORDER BY level').all());
  });
});

describe('boundary import: coordinate systems', () => {
  it('reads EPSG:4549 (CGCS2000 3-degree Gauss-Kruger CM 120E) back to a known point', async () => {
    // On the central meridian, the northing is the meridian arc: 3,320,113.398 m at 30°N (GRS80).
    const fc = { type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4549' } }, features: [{ type: 'Feature', properties: { code: 'X' }, geometry: { type: 'Polygon', coordinates: [[[500000, 3320113.398], [501000, 3320113.398], [501000, 3321000], [500000, 3320113.398]]] } }] };
    const read = await readBoundaryFile(bytesOf(fc));
    const [lon, lat] = (read.features[0]!.geometry as Polygon).coordinates[0]![0]!;
    expect(lon).toBeCloseTo(120, 7);
    expect(lat).toBeCloseTo(30, 7);
    expect(read.crs).toBe('EPSG:4549');
  });

  it('imports a zipped Shapefile in CGCS2000 Gauss-Kruger, reprojected from its .prj, and writes it', async () => {
    const { db, service, repo } = seeded();
    const villages = levelAsGeoJson(db, 'village');
    const toGk = proj4('EPSG:4326', GK_120E);
    const records = villages.features.map((f) => ({
      polygon: { type: 'Polygon' as const, coordinates: f.geometry.coordinates.map((r) => r.map((p) => toGk.forward([p[0]!, p[1]!]))) },
      attributes: { CODE: f.properties['编码']!, NAME: f.properties['名称']!, PARENT: f.properties['上级编码']! },
    }));
    const zip = zippedShapefile('villages', records, GK_120E_PRJ);
    const before = await repo.regionsHash();
    const planned = await service.planGrids(zip, opts('village'));
    const report = planned.plan.report as GridImportReport;
    expect(report.crs).toBe('CGCS2000_3_Degree_GK_CM_120E → WGS84');
    expect(report.mapping).toEqual({ code: 'CODE', name: 'NAME', parent: 'PARENT' });
    expect(report.problems).toEqual([]);
    expect(report.updates).toBe(villages.features.length);
    await service.write(planned, sourceOf('villages.zip', zip), actor);
    // same places to within a millimetre or so: the stored first vertex is the original one
    const first = villages.features[0]!;
    const stored = JSON.parse((db.prepare('SELECT geometry FROM regions WHERE code = ?').get(first.properties['编码']) as { geometry: string }).geometry) as Polygon;
    const [lon0, lat0] = first.geometry.coordinates[0]![0]!;
    const ring = stored.coordinates[0]!;
    const match = ring.find(([x, y]) => Math.abs(x! - lon0!) < 1e-7 && Math.abs(y! - lat0!) < 1e-7);
    expect(match, `${lon0},${lat0} not in ${JSON.stringify(ring.slice(0, 3))}`).toBeDefined();
    // the names came through the .dbf as UTF-8 Chinese
    expect((db.prepare('SELECT name FROM regions WHERE code = ?').get(first.properties['编码']) as { name: string }).name).toBe(first.properties['名称']);
    expect(await repo.regionsHash()).not.toBe(before);
  });
});

describe('boundary import through the running server', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    later(() => server.stop());
    admin = await loginAs(server.url, 'demo-sysadmin');
  });

  const upload = (body: Buffer, query: string, token = admin) =>
    api<ImportJob>(server.url, `/api/v1/imports/grids?${query}`, { method: 'POST', body, token, headers: { 'content-type': 'application/geo+json', 'x-file-name': encodeURIComponent('微网格.geojson') } });
  /** Polls the job as the console does until its validation ends. */
  async function settled(id: string): Promise<ImportJob> {
    for (;;) {
      const { body } = await api<ImportJob>(server.url, `/api/v1/imports/${id}`, { token: admin });
      if (body.state !== 'validating') return body;
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  it('writes a valid file, and the next intake lands in the new polygons', async () => {
    const fc = await levelAsGeoJsonIn(server.store, 'microgrid');
    const [a, b] = siblings(fc);
    const codeA = fc.features[a]!.properties['编码']!;
    const codeB = fc.features[b]!.properties['编码']!;
    // a point of A as it stands: before the import it is in A
    const { labelLon: lon, labelLat: lat } = (await api<{ features: Array<{ properties: { code: string; labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid')).body.features.find(
      (f) => f.properties.code === codeA,
    )!.properties;
    const item = await someItemCode(server.url);
    const before = await api<{ microGridId: string }>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(item, { lon, lat }) });
    expect(before.body.microGridId).toBe(codeA);

    // the county redrew the two: A's ground now belongs to B and the other way round
    const swapped = clone(fc);
    [swapped.features[a]!.geometry, swapped.features[b]!.geometry] = [swapped.features[b]!.geometry, swapped.features[a]!.geometry];
    const started = await upload(bytesOf(swapped), 'level=microgrid');
    expect(started.status).toBe(202);
    const ready = await settled(started.body.id);
    expect(ready.state).toBe('ready');
    const written = await api<ImportJob>(server.url, `/api/v1/imports/${ready.id}/write`, { method: 'POST', token: admin });
    expect(written.status).toBe(200);
    expect(written.body.state).toBe('written');

    const after = await api<{ microGridId: string }>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(item, { lon, lat }) });
    expect(after.status).toBe(201);
    expect(after.body.microGridId).toBe(codeB);
    // the served GeoJSON is the new one too
    const served = (await api<{ features: Array<{ properties: { code: string }; geometry: Polygon }> }>(server.url, '/api/v1/geo/microgrid')).body.features.find((f) => f.properties.code === codeB)!;
    expect(served.geometry).toEqual(fc.features[a]!.geometry);
    // the case filed before keeps its micro-grid
    const audit = (await server.store.get<{ username: string; result: string; details: string }>("SELECT username, result, details FROM audit_log WHERE action = 'data:import' ORDER BY seq DESC LIMIT 1"))!;
    expect(audit).toMatchObject({ username: 'demo-sysadmin', result: 'success' });
    expect(JSON.parse(audit.details)).toMatchObject({ fileName: '微网格.geojson', level: 'microgrid', updates: fc.features.length });
  });

  it('refuses to write a faulty file (409 with the count), audited, regions unchanged', async () => {
    const repo = new ImportsRepo(server.store);
    const before = await repo.regionsHash();
    const fc = await levelAsGeoJsonIn(server.store, 'microgrid');
    fc.features[2]!.properties['上级编码'] = 'nope';
    const started = await upload(bytesOf(fc), 'level=microgrid');
    const done = await settled(started.body.id);
    expect(done.state).toBe('refused');
    const problems = (done.report as GridImportReport).problems;
    // the feature, and the hole it leaves in the grid it really lies in
    expect(problems).toEqual([
      expect.objectContaining({ feature: 3, problem: 'parent_unknown', other: 'nope' }),
      expect.objectContaining({ feature: null, problem: 'gap', code: fc.features[2]!.properties['编码']!.slice(0, 15) }),
    ]);
    const write = await api<{ error: { code: string; problems: number } }>(server.url, `/api/v1/imports/${done.id}/write`, { method: 'POST', token: admin });
    expect(write.status).toBe(409);
    expect(write.body.error).toMatchObject({ code: 'import_refused', problems: 2 });
    expect(await repo.regionsHash()).toBe(before);
    const audit = await server.store.get("SELECT result, reason FROM audit_log WHERE action = 'data:import' ORDER BY seq DESC LIMIT 1");
    expect(audit).toEqual({ result: 'failure', reason: 'invalid_file' });
  });

  it('refuses a coordinate that is an object as not_lonlat, instead of failing the job on it (found by the fuzz)', async () => {
    const layer = (await api<{ features: Array<{ geometry: Polygon }> }>(server.url, '/api/v1/geo/town')).body;
    // `{ "toString": {} }` cannot even be turned into a number: measuring the polygon threw
    (layer.features[0]!.geometry.coordinates[0]![3] as unknown[])[0] = { toString: {} };
    const started = await upload(Buffer.from(JSON.stringify(layer)), 'level=town&keepMissing=true');
    const done = await settled(started.body.id);
    expect(done.state, JSON.stringify(done).slice(0, 500)).toBe('refused');
    expect((done.report as GridImportReport).problems).toEqual([expect.objectContaining({ feature: 1, problem: 'not_lonlat' })]);
  });

  it('refuses a geometry that is no object, or a MultiPolygon without coordinates, as not_polygon (found by the fuzz)', async () => {
    const layer = (await api<{ features: Array<{ geometry: unknown }> }>(server.url, '/api/v1/geo/town')).body;
    layer.features[0]!.geometry = true;
    layer.features[1]!.geometry = { type: 'MultiPolygon', coordinates: null };
    const started = await upload(Buffer.from(JSON.stringify(layer)), 'level=town&keepMissing=true');
    const done = await settled(started.body.id);
    expect(done.state, JSON.stringify(done).slice(0, 500)).toBe('refused');
    expect((done.report as GridImportReport).problems).toEqual(
      expect.arrayContaining([expect.objectContaining({ feature: 1, problem: 'not_polygon' }), expect.objectContaining({ feature: 2, problem: 'not_polygon' })]),
    );
  });

  it('keeps a job readable when a geometry holds deeply nested junk (found by the fuzz)', async () => {
    const layer = (await api<{ features: Array<{ geometry: { coordinates: unknown } }> }>(server.url, '/api/v1/geo/town')).body;
    // 20,000 levels: more than JSON.stringify can take on a default stack (as text: the test cannot stringify it either)
    const deep = '{"a":'.repeat(20_000) + '1' + '}'.repeat(20_000);
    layer.features[0]!.geometry.coordinates = '__DEEP__';
    // and an extra ordinate that is no number, on an otherwise sound ring
    (layer.features[1]!.geometry.coordinates as unknown[][][])[0]![0]!.push('__DEEP__');
    const started = await upload(Buffer.from(JSON.stringify(layer).replaceAll('"__DEEP__"', deep)), 'level=town&keepMissing=true');
    const done = await settled(started.body.id);
    expect(done.state, JSON.stringify(done).slice(0, 500)).toBe('refused');
    expect((done.report as GridImportReport).problems).toEqual(expect.arrayContaining([expect.objectContaining({ feature: 1, problem: 'ring_too_short' })]));
    const again = await api<ImportJob>(server.url, `/api/v1/imports/${done.id}`, { token: admin });
    expect(again.status).toBe(200);
  });

  it('fails a job whose mapping names a missing field, listing the fields the file has', async () => {
    const started = await upload(bytesOf(await levelAsGeoJsonIn(server.store, 'grid')), 'level=grid&code=WGBM');
    const done = await settled(started.body.id);
    expect(done).toMatchObject({ state: 'failed', error: { reason: 'field_not_found' }, fields: ['编码', '名称', '上级编码'] });
  });

  it('checks and writes a roster CSV sent as the raw body', async () => {
    const grid = await valueOf<string>(server.store, "SELECT code FROM regions WHERE level = 'grid' ORDER BY code LIMIT 1");
    const csv = `工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码\nW80001,孙丽,女,1972,大专,13905710041,兼职,${grid}\n`;
    const started = await api<ImportJob>(server.url, '/api/v1/imports/roster', { method: 'POST', body: csv, token: admin, headers: { 'content-type': 'text/csv', 'x-file-name': 'workers.csv' } });
    expect(started.status).toBe(202);
    const done = await settled(started.body.id);
    expect(done).toMatchObject({ state: 'ready', kind: 'roster', report: { encoding: 'UTF-8', sheets: [{ kind: 'workers', rows: 1, inserts: 1 }] } });
    expect((await api(server.url, `/api/v1/imports/${done.id}/write`, { method: 'POST', token: admin })).status).toBe(200);
    expect(await server.store.get("SELECT name FROM workers WHERE id = 'W80001'")).toEqual({ name: '孙丽' });
  });

  it('refuses an empty body (400) and a type that is no import file (415)', async () => {
    expect((await upload(Buffer.alloc(0), 'level=grid')).status).toBe(400);
    const png = await api<{ error: { code: string } }>(server.url, '/api/v1/imports/grids?level=grid', { method: 'POST', body: Buffer.from([0x89, 0x50]), token: admin, headers: { 'content-type': 'image/png' } });
    expect(png.status).toBe(415);
  });

  it('lets only the system administrator import, refused before the body is read', async () => {
    const res = await upload(Buffer.from('{}'), 'level=grid', server.token);
    expect(res.status).toBe(403);
    const other = await api(server.url, '/api/v1/imports/IMaaaaaaaaaaaa', { token: server.token });
    expect(other.status).toBe(403);
  });
});

describe('roster import', () => {
  const workersCsv = (gridCode: string, rows: string[] = []) =>
    ['工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码', `W90001,李秀英,女,1968,高中/中专,13905710011,兼职,${gridCode}`, `W90002,陈志强,男,1985,本科,13905710012,专职,${gridCode}`, ...rows].join('\r\n');

  it('writes workers from a UTF-8 CSV with BOM and Chinese headers', async () => {
    const { db, service } = seeded();
    const grid = (db.prepare("SELECT code FROM regions WHERE level = 'grid' LIMIT 1").get() as { code: string }).code;
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(workersCsv(grid))]);
    const planned = await service.planRoster(bytes, 'workers.csv');
    const report = planned.plan.report as RosterImportReport;
    expect(report).toMatchObject({ encoding: 'UTF-8 (BOM)', problems: [], sheets: [{ kind: 'workers', rows: 2, inserts: 2, updates: 0 }] });
    await service.write(planned, sourceOf('workers.csv', bytes), actor);
    expect(db.prepare("SELECT name, gender, education, employment, grid_id FROM workers WHERE id = 'W90001'").get()).toEqual({ name: '李秀英', gender: 'F', education: 'senior_high', employment: 'part_time', grid_id: grid });
  });

  it('reads a GBK CSV (Excel on Chinese Windows)', async () => {
    const { db, service } = seeded();
    const grid = (db.prepare("SELECT code FROM regions WHERE level = 'grid' LIMIT 1").get() as { code: string }).code;
    const bytes = Buffer.from(new Uint8Array(encodeGbk(workersCsv(grid))));
    const planned = await service.planRoster(bytes, 'workers.csv');
    expect(planned.plan.report).toMatchObject({ encoding: 'GBK', problems: [] });
  });

  it('refuses faulty rows with row, field and problem, and writes none of the good ones', async () => {
    const { db, service } = seeded();
    const grid = (db.prepare("SELECT code FROM regions WHERE level = 'grid' LIMIT 1").get() as { code: string }).code;
    const count = () => (db.prepare('SELECT COUNT(*) AS n FROM workers').get() as { n: number }).n;
    const before = count();
    const bytes = Buffer.from(workersCsv(grid, ['W90003,王芳,女,1970,初中,1390571,兼职,' + grid, 'W90001,赵磊,男,1990,大专,13905710014,专职,999', 'W90005,,男,1990,硕博,13905710015,临时,' + grid]));
    const planned = await service.planRoster(bytes, 'workers.csv');
    const report = planned.plan.report as RosterImportReport;
    expect(report.problems).toEqual([
      { sheet: 'workers', row: 4, field: '手机', problem: 'bad_value', value: '1390571' },
      { sheet: 'workers', row: 5, field: '工号', problem: 'duplicate', value: 'W90001 (#2)' },
      { sheet: 'workers', row: 5, field: '网格编码', problem: 'unknown_region', value: '999' },
      { sheet: 'workers', row: 6, field: '姓名', problem: 'required', value: null },
      { sheet: 'workers', row: 6, field: '学历', problem: 'bad_value', value: '硕博' },
      { sheet: 'workers', row: 6, field: '专兼职', problem: 'bad_value', value: '临时' },
    ]);
    await expect(service.write(planned, sourceOf('workers.csv', bytes), actor)).rejects.toThrow(RefusedPlanError);
    expect(count()).toBe(before);
  });

  it('writes the 5包1 roster and teams from the sheets of one workbook', async () => {
    const { db, service } = seeded();
    const micro = (db.prepare("SELECT code FROM regions WHERE level = 'microgrid' ORDER BY code LIMIT 1").get() as { code: string }).code;
    const village = (db.prepare("SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1").get() as { code: string }).code;
    const book = new ExcelJS.Workbook();
    const roster = book.addWorksheet('5包1');
    roster.addRow(['微网格编码', '角色', '人员编号', '姓名', '手机']);
    roster.addRow([micro, '社区民警', 'P0001', '周建华', '13905710021']);
    roster.addRow([micro, '单元长', 'P0002', '吴美华', '13905710022']);
    const teams = book.addWorksheet('队伍');
    teams.addRow(['队伍编号', '类型', '名称', '驻地编码', '人数', '队长', '队长手机']);
    teams.addRow(['TM9001', '应急救援', '城南应急分队', village, 8, '郑国强', '13905710031']);
    const bytes = Buffer.from(await book.xlsx.writeBuffer());
    const planned = await service.planRoster(bytes, 'roster.xlsx');
    expect(planned.plan.report).toMatchObject({ encoding: 'XLSX', problems: [], sheets: [{ kind: 'roster', rows: 2, updates: 2 }, { kind: 'teams', rows: 1, inserts: 1 }] });
    await service.write(planned, sourceOf('roster.xlsx', bytes), actor);
    expect(db.prepare("SELECT name, phone FROM micro_grid_roster WHERE micro_grid_id = ? AND role = 'community_police'").get(micro)).toEqual({ name: '周建华', phone: '13905710021' });
    expect(db.prepare("SELECT type, home_region_id, members, status FROM teams WHERE id = 'TM9001'").get()).toEqual({ type: 'emergency_rescue', home_region_id: village, members: 8, status: 'off_duty' });
  });
});

describe('npm run import (the command line)', () => {
  const run = (args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/import.ts', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('exits 0 when written, 1 with the report when refused (nothing written), 2 on wrong usage', async () => {
    const { db, repo, dir } = seeded();
    const fc = levelAsGeoJson(db, 'grid');
    const good = join(dir, 'grids.geojson');
    writeFileSync(good, bytesOf(fc));
    const ok = run(['grids', good, '--data', dir, '--level', 'grids']);
    expect(ok.stderr).toContain('Written to');
    expect(ok.status).toBe(0);

    const before = await repo.regionsHash();
    fc.features[1]!.geometry = bowTie(fc.features[1]!.geometry);
    const bad = join(dir, 'bad.geojson');
    writeFileSync(bad, bytesOf(fc));
    const refused = run(['grids', bad, '--data', dir, '--level', 'grids']);
    expect(refused.status).toBe(1);
    expect(refused.stdout).toMatch(new RegExp(`^2\\t${fc.features[1]!.properties['编码']}\\tself_intersection`, 'm'));
    expect(refused.stderr).toContain('nothing written');
    expect(await repo.regionsHash()).toBe(before);

    expect(run(['grids', good, '--data', dir]).status).toBe(2);
    expect(run(['grids', good, '--data', dir, '--level', 'grids', '--code', 'NOPE']).status).toBe(2);
  });
});

/** GBK bytes of a string, via the one GBK encoder Node ships: TextDecoder's table, inverted for the characters used. */
function encodeGbk(text: string): number[] {
  const table = new Map<string, number[]>();
  const decoder = new TextDecoder('gbk');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = decoder.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  return [...text].flatMap((ch) => (ch.charCodeAt(0) < 0x80 ? [ch.charCodeAt(0)] : (table.get(ch) ?? [0x3f])));
}
