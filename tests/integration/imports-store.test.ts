import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { ImportsRepo } from '../../server/src/modules/imports/imports.repo.js';
import { ImportsService, RefusedPlanError, sourceOf, StalePlanError } from '../../server/src/modules/imports/imports.service.js';
import { RosterRepo } from '../../server/src/modules/imports/roster.repo.js';
import { gridImportOptionsSchema } from '../../shared/contracts/imports.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { bowTie, bytesOf, clone, levelAsGeoJson } from './imports-fixtures.js';
import { postgresCopy, usePostgres } from './postgres.js';

/**
 * Boundary and roster imports on both stores: a seeded county copied from SQLite to PostgreSQL,
 * then the import repositories' reads (regions of a level, the surroundings a plan checks, what
 * references a region, the region digest, the roster's snapshot and stamp) and the same imports
 * planned and written through ImportsService on each: reports, written rows and audit records
 * agree; a plan with problems is refused and audited; a plan whose rows changed meanwhile is
 * refused as stale with nothing written.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const clock: Clock = { now: () => new Date('2026-11-20T03:00:00.000Z') };
const actor = { username: 'test', userId: null, role: null };
const sorted = (m: Map<string, string>) => [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

describe('ImportsRepo, RosterRepo and ImportsService on SQLite and PostgreSQL', () => {
  it('read, plan and write the same', async () => {
    const db = openDatabase(`${tempDir()}/imports.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const villages = levelAsGeoJson(db, 'village');
    const renamed = clone(villages);
    renamed.features[0]!.properties['名称'] = '新名村';
    const faulty = clone(villages);
    faulty.features[1]!.geometry = bowTie(faulty.features[1]!.geometry);
    const grid = db.prepare("SELECT code FROM regions WHERE level = 'grid' ORDER BY code LIMIT 1").pluck().get() as string;
    const village = db.prepare("SELECT code FROM regions WHERE level = 'village' ORDER BY code LIMIT 1").pluck().get() as string;
    const worker = db.prepare('SELECT id FROM workers ORDER BY id LIMIT 1').pluck().get() as string;
    const team = db.prepare('SELECT id FROM teams ORDER BY id LIMIT 1').pluck().get() as string;
    const ids = db.prepare("SELECT id FROM regions WHERE level IN ('town', 'microgrid') ORDER BY id").pluck().all() as string[];
    const workersCsv = Buffer.from(
      ['工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码', `W90001,李秀英,女,1968,高中/中专,13905710011,兼职,${grid}`, `${worker},陈志强,男,1985,本科,13905710012,专职,${grid}`, `W90003,王芳,女,1990,大专,13905710013,专职,NOPE`].join('\r\n'),
    );
    const goodWorkers = Buffer.from(workersCsv.toString().split('\r\n').slice(0, 3).join('\r\n'));
    const teamsCsv = Buffer.from(['队伍编号,类型,名称,驻地编码,人数,队长,队长手机', `TM9001,应急救援,城南应急分队,${village},8,郑国强,13905710031`, `${team},应急救援,改名分队,${village},12,郑国强,13905710031`].join('\r\n'));

    const post = await postgresCopy(pg.cluster, db, later);
    const sides = [
      { name: 'sqlite', store: Store.onSqlite(db) },
      { name: 'postgres', store: post },
    ];

    const answers = [];
    for (const { name, store } of sides) {
      const a: Record<string, unknown> = {};
      const repo = new ImportsRepo(store);
      const roster = new RosterRepo(store);
      const service = new ImportsService({ store, repo, audit: new AuditRepo(store, clock), clock });

      a.towns = await repo.regions('town');
      a.none = await repo.regions(null);
      const around = await repo.surroundings('village');
      a.around = { existing: around.existing.length, parents: around.parents.map((r) => r.code), children: around.children.length, firstChild: around.children[0], other: around.otherLevelCodes.size };
      a.references = sorted(await repo.references([...ids, 'no-such-region']));
      a.noReferences = sorted(await repo.references([]));
      const hash0 = await repo.regionsHash();

      // a boundary file: one village renamed
      const planned = await service.planGrids(bytesOf(renamed), gridImportOptionsSchema.parse({ level: 'village' }));
      a.gridReport = planned.plan.report;
      const progress: number[] = [];
      a.written = await service.write(planned, sourceOf('villages.geojson', bytesOf(renamed)), actor, (f) => progress.push(f));
      a.progress = progress;
      a.hashChanged = (await repo.regionsHash()) !== hash0;
      a.villages = await store.all("SELECT id, kind, code, name, parent_id, geometry, label_lon, label_lat, area_km2 FROM regions WHERE level = 'village' ORDER BY id");

      // refused: a problem in the file; stale: the regions changed after the plan
      const refused = await service.planGrids(bytesOf(faulty), gridImportOptionsSchema.parse({ level: 'village' }));
      await expect(service.write(refused, sourceOf('faulty.geojson', bytesOf(faulty)), actor), name).rejects.toThrow(RefusedPlanError);
      const stale = await service.planGrids(bytesOf(villages), gridImportOptionsSchema.parse({ level: 'village' }));
      const hash1 = await repo.regionsHash();
      await store.run("UPDATE regions SET name = name || '·' WHERE code = ?", village);
      await expect(service.write(stale, sourceOf('villages.geojson', bytesOf(villages)), actor), name).rejects.toThrow(StalePlanError);
      await store.run("UPDATE regions SET name = substr(name, 1, length(name) - 1) WHERE code = ?", village);
      a.unchanged = (await repo.regionsHash()) === hash1;

      // a region written and removed directly
      const parent = around.parents[0]!;
      await store.inTransaction(() =>
        repo.writeRegions([{ id: 'X1', action: 'insert', level: 'village', kind: 'village', code: 'X1', name: '临时村', parentId: parent.id, geometry: parent.geometry, label: parent.label, bbox: [120, 30, 120.1, 30.1], areaKm2: 1.5 }], []),
      );
      a.inserted = await store.all("SELECT id, level, kind, code, name, parent_id, min_lon, max_lat, area_km2 FROM regions WHERE id = 'X1'");
      await store.inTransaction(() => repo.writeRegions([], ['X1']));
      a.removed = await store.all("SELECT id FROM regions WHERE id = 'X1'");

      // rosters: the snapshot's lookups, a refused and a written workers file, teams
      const { stamp, lookup } = await roster.snapshot();
      a.stampAgrees = stamp === (await roster.stamp());
      a.lookup = [lookup.regionId(grid, ['grid']), lookup.regionId(grid, ['village']), lookup.regionId('NOPE', ['grid']), lookup.workerExists(worker), lookup.workerExists('W90001'), lookup.teamExists(team), lookup.teamExists('TM9001')];
      const badWorkers = await service.planRoster(workersCsv, 'workers.csv');
      a.badWorkers = badWorkers.plan.report;
      await expect(service.write(badWorkers, sourceOf('workers.csv', workersCsv), actor), name).rejects.toThrow(RefusedPlanError);
      const workers = await service.planRoster(goodWorkers, 'workers.csv');
      a.workersReport = await service.write(workers, sourceOf('workers.csv', goodWorkers), actor);
      const teams = await service.planRoster(teamsCsv, 'teams.csv');
      a.teamsReport = teams.plan.report;
      await store.run("UPDATE workers SET phone = '13900000000' WHERE id = ?", worker);
      await expect(service.write(teams, sourceOf('teams.csv', teamsCsv), actor), name).rejects.toThrow(StalePlanError);
      const again = await service.planRoster(teamsCsv, 'teams.csv');
      await service.write(again, sourceOf('teams.csv', teamsCsv), actor);
      a.workers = await store.all('SELECT * FROM workers WHERE id IN (?, ?) ORDER BY id', worker, 'W90001');
      a.teams = await store.all('SELECT id, type, name, home_region_id, members, leader_name, leader_phone, status, lon, lat FROM teams WHERE id IN (?, ?) ORDER BY id', team, 'TM9001');
      a.audit = await store.all("SELECT username, action, result, reason, object_type, object_id, details FROM audit_log WHERE action = 'data:import' ORDER BY seq");
      answers.push(a);
    }

    const first = answers[0]!;
    expect(first.references as Array<[string, string]>).toContainEqual([expect.any(String), expect.stringMatching(/households\.micro_grid_id \d+/)]);
    expect(first.references as Array<[string, string]>).toContainEqual([expect.any(String), expect.stringMatching(/regions below \d+/)]);
    expect(first).toMatchObject({
      gridReport: { problems: [], updates: villages.features.length },
      hashChanged: true,
      unchanged: true,
      inserted: [{ id: 'X1', name: '临时村', area_km2: 1.5 }],
      removed: [],
      stampAgrees: true,
      workersReport: { sheets: [{ kind: 'workers', rows: 2, inserts: 1, updates: 1 }] },
      teamsReport: { sheets: [{ kind: 'teams', rows: 2, inserts: 1, updates: 1 }] },
    });
    expect(first.lookup).toEqual([expect.any(String), null, null, true, false, true, false]);
    expect((first.badWorkers as { problems: unknown[] }).problems).toEqual([expect.objectContaining({ row: 4, problem: 'unknown_region', value: 'NOPE' })]);
    expect((first.audit as Array<{ result: string }>).map((r) => r.result)).toEqual(['success', 'failure', 'failure', 'success', 'success']);
    expect(answers[1]).toEqual(first);
  });
});
