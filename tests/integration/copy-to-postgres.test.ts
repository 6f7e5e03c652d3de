import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { verifyChain, type ChainedAuditRow } from '../../server/src/modules/audit/audit-chain.js';
import { DEFAULT_AUTH_CONFIG, AuthService } from '../../server/src/modules/auth/auth.service.js';
import { DEFAULT_DEMO_PASSWORD, seedDemoUsers } from '../../server/src/modules/auth/demo-users.js';
import { seedDemoWorkforce } from '../../server/src/modules/demo/demo-workforce.js';
import { UsersRepo } from '../../server/src/modules/auth/users.repo.js';
import type { DemoOptions } from '../../server/src/modules/demo/demo-options.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { RegionIndex } from '../../server/src/modules/regions/region-index.js';
import { RegionsRepo } from '../../server/src/modules/regions/regions.repo.js';
import { cleanupAfterAll, runCli, SMALL_COUNTY } from './harness.js';
import { SMALL_PLATFORM } from './platform-fixture.js';
import { usePostgres } from './postgres.js';

/**
 * copySqliteToPostgres (server/src/db/copy-to-postgres.ts): a seeded county and a seeded platform,
 * demo users included, copied from SQLite to a freshly migrated PostgreSQL database; every row of
 * every table read back from both sides the same.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

async function seeded(options: DemoOptions, name: string): Promise<Db> {
  const db = openDatabase(`${tempDir()}/${name}.sqlite`);
  later(() => db.close());
  seedDemo(db, options);
  const clock: Clock = { now: () => new Date(options.asOf.getTime() + 3_600_000) };
  const store = Store.onSqlite(db);
  const users = new UsersRepo(store, new RegionIndex(await new RegionsRepo(store).indexRows()));
  const auth = new AuthService({
    store, users, audit: new AuditRepo(store, clock), clock, config: DEFAULT_AUTH_CONFIG, areaNames: (ids) => ids, platformLevel: () => 'county', demo: true,
  });
  await seedDemoUsers(store, users, auth, DEFAULT_DEMO_PASSWORD);
  await seedDemoWorkforce(store);
  return db;
}

async function freshTarget(): Promise<Store> {
  const store = openStore(await pg.cluster.createDatabase());
  later(() => store.close());
  return store;
}

function tablesOf(db: Db): string[] {
  return (db.prepare("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as Array<{ name: string }>).map((r) => r.name);
}

async function compareAll(db: Db, store: Store): Promise<number> {
  let compared = 0;
  for (const table of tablesOf(db)) {
    const pk = (db.prepare('SELECT name FROM pragma_table_info(?) WHERE pk > 0 ORDER BY pk').all(table) as Array<{ name: string }>).map((r) => `"${r.name}"`);
    const cols = (db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all(table) as Array<{ name: string }>).map((r) => `"${r.name}"`);
    const orderBy = (pk.length ? pk : cols).join(', ');
    const lite = db.prepare(`SELECT ${cols.join(', ')} FROM "${table}" ORDER BY ${orderBy}`).all();
    const post = await store.all(`SELECT ${cols.join(', ')} FROM "${table}" ORDER BY ${orderBy}`);
    expect(post, table).toEqual(lite);
    compared += lite.length;
  }
  return compared;
}

/**
 * Rows the seed leaves out, written as the server writes them: a team's positions, alerts with
 * json kept as written (spacing, key order: json must come back byte for byte), settings,
 * hotline imports (AUTOINCREMENT, the last one deleted, so sqlite_sequence is past MAX(id)), a
 * session, and a merged case whose master comes after it in id order (a self-reference the
 * primary key order alone would copy child first).
 */
function addRows(db: Db, asOf: Date): void {
  const at = (minutes: number) => new Date(asOf.getTime() + minutes * 60_000).toISOString();
  const team = (db.prepare('SELECT id, home_region_id AS town FROM teams ORDER BY id LIMIT 1').get() as { id: string; town: string });
  const user = (db.prepare("SELECT id FROM users WHERE username = 'demo-dispatcher'").get() as { id: string }).id;
  const events = (db.prepare('SELECT id FROM events ORDER BY id').all() as Array<{ id: string }>).map((e) => e.id);
  for (let i = 0; i < 5; i++) {
    db.prepare('INSERT INTO team_positions (team_id, lon, lat, accuracy, at, received_at, user_id) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
      team.id, 119.123456789 + i / 7, 29.987654321 - i / 3, i === 0 ? null : 4.5 * i, at(i), at(i), user,
    );
  }
  db.prepare("INSERT INTO alerts (kind, severity, event_id, team_id, raised_at, message_params, cause_key) VALUES ('overdue', 'critical', ?, NULL, ?, ?, ?)").run(
    events[0], at(10), '{"z": 1,  "a" : [1, 2.50, "转办"], "n":null}', `overdue:${events[0]}`,
  );
  db.prepare("INSERT INTO alerts (kind, severity, team_id, raised_at, message_params, acked_at, acked_by, ack_note) VALUES ('team_silent', 'warning', ?, ?, '{}', ?, ?, '已电话联系')").run(
    team.id, at(11), at(12), user,
  );
  db.prepare('INSERT INTO settings (key, value, updated_at, updated_by) VALUES (?, ?, ?, ?)').run('deadline.rules', '{ "P0": {"warnMinutes": 30},"P1" :{} }', at(13), user);
  for (let i = 0; i < 3; i++) {
    db.prepare("INSERT INTO hotline_imports (mode, dry_run, status, file, user_id, display_name, started_at, finished_at, totals, rows) VALUES ('file', ?, 'written', ?, ?, '调度员', ?, ?, '{\"rows\":2}', '[]')").run(
      i % 2, `12345-${i}.xlsx`, user, at(20 + i), at(21 + i),
    );
  }
  db.prepare('DELETE FROM hotline_imports WHERE id = (SELECT MAX(id) FROM hotline_imports)').run();
  db.prepare("INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, source_ip, client) VALUES ('s-1', ?, ?, ?, ?, '10.0.0.8', 'test')").run(user, at(30), at(31), at(600));
  // the first case merged into the last: the child sorts before its master
  db.prepare("UPDATE events SET master_id = ?, master_status = 'open' WHERE id = ?").run(events.at(-1), events[0]);
}

const samePositionIds = async (db: Db, store: Store) => {
  const sql = (table: string) =>
    table === 'team_positions'
      ? "INSERT INTO team_positions (team_id, lon, lat, at, received_at) SELECT team_id, 1, 2, 'x', 'x' FROM team_positions ORDER BY id LIMIT 1 RETURNING id"
      : table === 'alerts'
        ? "INSERT INTO alerts (kind, severity, raised_at) VALUES ('urgent_event', 'notice', 'x') RETURNING id"
        : "INSERT INTO hotline_imports (mode, dry_run, status, file, user_id, display_name, started_at, totals, rows) VALUES ('row', 0, 'running', 'f', 'u', 'd', 'x', '{}', '[]') RETURNING id";
  const ids: Record<string, [unknown, unknown]> = {};
  for (const table of ['team_positions', 'alerts', 'hotline_imports']) {
    ids[table] = [(await store.get<{ id: number }>(sql(table)))?.id, (db.prepare(sql(table)).get() as { id: number }).id];
  }
  return ids;
};

/** The command-line tool, run the way `npm run db:copy` runs it. */
const dbCopy = (args: string[]) => runCli('db-copy', args);

const TINY: DemoOptions = { ...SMALL_COUNTY, towns: 1, villages: 1, grids: 2, microGrids: 2, workers: 2, fullTimeWorkers: 1, householdsPerMicroGrid: 1, days: 1, eventsPerDay: 3 };

describe('copySqliteToPostgres', () => {
  it('copies a county with its demo users and every kind of row, in small chunks: every value of every table', async () => {
    const db = await seeded(SMALL_COUNTY, 'county');
    addRows(db, SMALL_COUNTY.asOf);
    const store = await freshTarget();
    const progress: Array<{ table: string; rows: number; total: number }> = [];
    const report = await copySqliteToPostgres(db, store, { chunkRows: 7, onProgress: (p) => progress.push(p) });

    expect(report.tables.map((t) => t.table).sort()).toEqual(tablesOf(db));
    for (const t of report.tables) expect(t.rows, t.table).toBe((db.prepare(`SELECT COUNT(*) AS n FROM "${t.table}"`).get() as { n: number }).n);
    expect(report.totalRows).toBe(report.tables.reduce((s, t) => s + t.rows, 0));
    expect(report.totalRows).toBeGreaterThan(2000);
    // parents first: regions before households, events before their changes, address_search after households
    const at = (t: string) => report.tables.findIndex((r) => r.table === t);
    expect(at('regions')).toBeLessThan(at('households'));
    expect(at('events')).toBeLessThan(at('event_changes'));
    expect(at('households')).toBeLessThan(at('address_search'));
    // a report per chunk of 7, the last one of each table its total
    const events = progress.filter((p) => p.table === 'event_changes');
    expect(events.map((p) => p.rows)).toEqual(Array.from({ length: Math.ceil(events[0]!.total / 7) }, (_, i) => Math.min((i + 1) * 7, events[0]!.total)));
    for (const t of report.tables) expect(progress.filter((p) => p.table === t.table).at(-1), t.table).toEqual({ table: t.table, rows: t.rows, total: t.rows });

    expect(await compareAll(db, store)).toBe(report.totalRows);
    // json text byte for byte (compareAll read it too; spelled out for the one that is not canonical)
    expect((await store.get<{ m: string }>("SELECT message_params AS m FROM alerts WHERE kind = 'overdue'"))?.m).toBe('{"z": 1,  "a" : [1, 2.50, "转办"], "n":null}');

    const audit = await store.all<ChainedAuditRow>(
      `SELECT seq, at, user_id AS "userId", username, role, action, object_type AS "objectType", object_id AS "objectId", result, reason,
              source_ip AS "sourceIp", client, details, prev_hash AS "prevHash", hash FROM audit_log ORDER BY seq`,
    );
    expect(audit.length).toBeGreaterThan(7);
    expect(verifyChain(audit)).toEqual({ ok: true, count: audit.length, lastSeq: audit.length, lastHash: audit.at(-1)!.hash });
    // the chain trigger still guards the copied chain
    await expect(store.run("INSERT INTO audit_log (seq, at, action, result, prev_hash, hash) VALUES (?, '2026-11-20T00:00:00.000Z', 'x', 'success', ?, ?)", audit.length + 1, '1'.repeat(64), '2'.repeat(64)))
      .rejects.toThrow(/extend the chain/);

    // the households trigger the copy held off is back: a new household gets the same search row on both
    expect(await store.all("SELECT tgenabled FROM pg_trigger WHERE tgname = 'households_address_insert'")).toEqual([{ tgenabled: 'O' }]);
    const household = "INSERT INTO households (address_code, micro_grid_id, address, head_name, members, lon, lat) SELECT 'H-NEW', micro_grid_id, address || '附1号', '王五', 2, lon, lat FROM households ORDER BY address_code LIMIT 1";
    db.prepare(household).run();
    await store.run(household);
    const searchRow = "SELECT id, code, address, town_id FROM address_search WHERE code = 'H-NEW'";
    expect(await store.all(searchRow)).toEqual(db.prepare(searchRow).all());
    expect(db.prepare(searchRow).all()).toHaveLength(1);

    // ids the database gives continue where SQLite's would (hotline_imports: past its deleted last id)
    const ids = await samePositionIds(db, store);
    expect(ids.hotline_imports![0]).toBe(4);
    for (const [table, [pgId, sqliteId]] of Object.entries(ids)) expect(pgId, table).toBe(sqliteId);
  });

  it('copies a platform of three counties', async () => {
    const db = await seeded(SMALL_PLATFORM, 'platform');
    const store = await freshTarget();
    const report = await copySqliteToPostgres(db, store);
    expect(report.tables.find((t) => t.table === 'regions')!.rows).toBeGreaterThan(1500);
    expect(await compareAll(db, store)).toBe(report.totalRows);
  });

  it('refuses a target that is not empty, a schema version or a column that differs, a value PostgreSQL cannot hold; writes nothing', async () => {
    const db = openDatabase(`${tempDir()}/tiny.sqlite`);
    later(() => db.close());
    seedDemo(db, TINY);
    const counts = async (store: Store) => (await store.all<{ n: number }>('SELECT (SELECT COUNT(*) FROM regions) + (SELECT COUNT(*) FROM users) + (SELECT COUNT(*) FROM meta) AS n'))[0]!.n;

    // a target with rows
    const used = await freshTarget();
    await used.run("INSERT INTO meta (key, value) VALUES ('x', 'y')");
    await expect(copySqliteToPostgres(db, used)).rejects.toThrow(/not empty: meta \(1 row\); copy only into a freshly migrated database/);
    expect(await counts(used)).toBe(2);
    // a second copy into a copied database
    const copied = await freshTarget();
    await copySqliteToPostgres(db, copied);
    const before = await counts(copied);
    await expect(copySqliteToPostgres(db, copied)).rejects.toThrow(/not empty: regions \(\d+ rows\), teams .*address_search/);
    expect(await counts(copied)).toBe(before);

    // schema versions
    const fresh = await freshTarget();
    db.pragma('user_version = 24');
    await expect(copySqliteToPostgres(db, fresh)).rejects.toThrow(/SQLite database is at schema version 24, the PostgreSQL database at 25/);
    db.pragma('user_version = 25');
    await fresh.run('DELETE FROM schema_version WHERE version = 25');
    await expect(copySqliteToPostgres(db, fresh)).rejects.toThrow(/PostgreSQL database is at schema version 24, this server's is 25/);

    // a column only one side has
    const altered = await freshTarget();
    await altered.run('ALTER TABLE workers ADD COLUMN nickname text');
    await expect(copySqliteToPostgres(db, altered)).rejects.toThrow(/columns of workers differ: only on PostgreSQL nickname/);

    // an identity GENERATED ALWAYS takes the source's ids too (OVERRIDING SYSTEM VALUE), and continues after them
    const team = (db.prepare('SELECT id FROM teams ORDER BY id LIMIT 1').get() as { id: string }).id;
    db.prepare("INSERT INTO team_positions (id, team_id, lon, lat, at, received_at) VALUES (41, ?, 119.5, 29.5, 'a', 'a')").run(team);
    const always = await freshTarget();
    await always.run('ALTER TABLE team_positions ALTER COLUMN id SET GENERATED ALWAYS');
    await copySqliteToPostgres(db, always);
    expect(await always.all('SELECT id, lon FROM team_positions')).toEqual([{ id: 41, lon: 119.5 }]);
    expect(await always.get("INSERT INTO team_positions (team_id, lon, lat, at, received_at) VALUES (?, 1, 1, 'b', 'b') RETURNING id", team)).toEqual({ id: 42 });

    // a value PostgreSQL cannot hold: text with a NUL character (SQLite keeps it)
    const worker = (db.prepare('SELECT id FROM workers ORDER BY id LIMIT 1').get() as { id: string }).id;
    db.prepare("UPDATE workers SET name = '张' || char(0) || '三' WHERE id = ?").run(worker);
    const strict = await freshTarget();
    await expect(copySqliteToPostgres(db, strict)).rejects.toThrow(`workers.name of the row id=${worker} holds a NUL character, which PostgreSQL text cannot hold`);
    expect(await counts(strict)).toBe(1);
  });

  it('copies as a role that does not own the tables: the households trigger runs, the search rows of the source replace its rows', async () => {
    const db = openDatabase(`${tempDir()}/role.sqlite`);
    later(() => db.close());
    seedDemo(db, { ...TINY, householdsPerMicroGrid: 4 });
    // addresses edited after registration, last first: each takes a new id, so the source's search
    // ids are not what the trigger numbers when the copy inserts households in code order
    const codes = (db.prepare('SELECT address_code AS code FROM households ORDER BY address_code DESC').all() as Array<{ code: string }>).map((r) => r.code);
    for (const code of codes) db.prepare('UPDATE households SET address = address WHERE address_code = ?').run(code);
    const inCodeOrder = 'SELECT (length(address) << 32) + row_number() OVER (PARTITION BY length(address) ORDER BY code) AS id FROM address_search ORDER BY code';
    expect(db.prepare('SELECT id FROM address_search ORDER BY code').all()).not.toEqual(db.prepare(inCodeOrder).all());
    const url = await pg.cluster.createDatabase();
    const owner = openStore(url);
    later(() => owner.close());
    const role = `copier_${Math.random().toString(36).slice(2, 8)}`;
    await owner.exec(`CREATE ROLE ${role} LOGIN; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}; GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO ${role}`);
    const store = openStore(url.replace('//postgres@', `//${role}@`));
    later(() => store.close());
    await expect(store.run('ALTER TABLE households DISABLE TRIGGER households_address_insert')).rejects.toThrow(/must be owner/);

    await copySqliteToPostgres(db, store);
    expect(await compareAll(db, store)).toBeGreaterThan(100);
    expect(await owner.all("SELECT tgenabled FROM pg_trigger WHERE tgname = 'households_address_insert'")).toEqual([{ tgenabled: 'O' }]);
  });

  it('db:copy migrates an empty PostgreSQL database and copies into it; refuses a second copy and wrong usage', async () => {
    const file = `${tempDir()}/cli.sqlite`;
    const db = openDatabase(file);
    seedDemo(db, TINY);
    const events = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    db.close();
    const url = await pg.cluster.createDatabase({ migrated: false });

    const first = await dbCopy(['--from', file, '--to', url]);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/at schema version 25/);
    expect(first.stdout).toMatch(new RegExp(`\\n  events +${events}\\n`));
    expect(first.stdout).toMatch(/rows in \d+ tables, .* s; row counts and the audit trail checked on both sides/);
    const store = openStore(url);
    later(() => store.close());
    expect((await store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))?.n).toBe(events);

    const second = await dbCopy(['--from', file, '--to', url]);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/nothing copied.*the PostgreSQL database is not empty: regions/);
    const usage = await Promise.all([dbCopy(['--from', file]), dbCopy(['--from', `${file}.missing`, '--to', url]), dbCopy(['--from', file, '--to', file])]);
    expect(usage.map((r) => r.code)).toEqual([2, 2, 2]);
    expect(usage.map((r) => r.stderr.split('\n')[0])).toEqual([
      '--to is required (缺少参数)',
      `No SQLite database at ${file}.missing (找不到数据库文件)`,
      `--to must be a postgres:// URL (目标须为 PostgreSQL 地址), got "${file}"`,
    ]);
  });
});
