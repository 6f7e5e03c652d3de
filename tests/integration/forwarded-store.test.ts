import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { ForwardedRepo } from '../../server/src/modules/forwarding/forwarded.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';

/**
 * The forwarding repository on both stores: a seeded county copied from SQLite to PostgreSQL,
 * then the city's side (a county's cursor, moved and read back; the city's ids of county cases;
 * the regions and teams a forwarded case names) and the county's side (the timeline entries sent
 * with its changes) answer the same on both, and a cursor moved in a transaction that rolls back
 * stays where it was.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

describe('ForwardedRepo on SQLite and PostgreSQL', () => {
  it('answers and writes the same', async () => {
    const db = openDatabase(`${tempDir()}/forwarded.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const pick = (sql: string) => db.prepare(sql).pluck().get() as string;
    const county = pick("SELECT id FROM regions WHERE level = 'county' ORDER BY id LIMIT 1");
    const town = pick("SELECT id FROM regions WHERE level = 'town' ORDER BY id LIMIT 1");
    const microGrid = pick("SELECT id FROM regions WHERE level = 'microgrid' ORDER BY id LIMIT 1");
    const team = pick('SELECT id FROM teams ORDER BY id LIMIT 1');
    const [caseA, caseB] = db.prepare('SELECT id FROM events ORDER BY reported_at, id LIMIT 2').pluck().all() as string[];
    const lastSeq = db.prepare('SELECT MAX(seq) FROM event_changes').pluck().get() as number;

    const post = await postgresCopy(pg.cluster, db, later);
    const sides = [
      { name: 'sqlite', store: Store.onSqlite(db) },
      { name: 'postgres', store: post },
    ].map((s) => ({ ...s, repo: new ForwardedRepo(s.store) }));

    const answers = [];
    for (const { name, store, repo } of sides) {
      const a: Record<string, unknown> = {};
      a.before = await repo.cursor(county);
      await store.inTransaction(async () => {
        await repo.advance(county, 7, '2026-11-20T01:00:00.000Z');
        await repo.map(county, 'EV202611200001', caseA!);
        await repo.map(county, 'EV202611200002', caseB!);
      });
      a.moved = await repo.cursor(county);
      await store.inTransaction(() => repo.advance(county, 9, '2026-11-20T01:01:00.000Z'));
      a.again = await repo.cursor(county);
      await expect(
        store.inTransaction(async () => {
          await repo.advance(county, 99, '2026-11-20T01:02:00.000Z');
          throw new Error('rolled back');
        }),
        name,
      ).rejects.toThrow('rolled back');
      a.kept = await repo.cursor(county);
      a.ids = [await repo.cityIdOf(county, 'EV202611200001'), await repo.cityIdOf(county, 'EV202611200002'), await repo.cityIdOf(county, 'EV209901010001'), await repo.cityIdOf('other', 'EV202611200001')];
      a.levels = [await repo.levelOf(county), await repo.levelOf(town), await repo.levelOf(microGrid), await repo.levelOf('no-such-region')];
      a.parents = [await repo.parentOf(town), await repo.parentOf(county), await repo.parentOf('no-such-region')];
      a.sole = await repo.soleCounty();
      a.teams = [await repo.teamExists(team), await repo.teamExists('no-such-team')];
      a.entries = [...(await repo.entries(lastSeq - 20, lastSeq))];
      a.none = [...(await repo.entries(lastSeq + 1, lastSeq + 5))];
      a.rows = await store.all('SELECT source_id, last_seq, updated_at FROM forward_sources ORDER BY source_id');
      answers.push(a);
    }
    expect(answers[0]).toMatchObject({ before: 0, moved: 7, again: 9, kept: 9, ids: [caseA, caseB, null, null], sole: county, teams: [true, false] });
    expect(answers[0]!.levels).toEqual(['county', 'town', 'microgrid', null]);
    expect((answers[0]!.entries as unknown[]).length).toBe(21);
    expect(answers[1]).toEqual(answers[0]);
  });
});
