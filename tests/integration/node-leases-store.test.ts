import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../server/src/db/connection.js';
import { openStore, Store } from '../../server/src/db/store.js';
import { NodeLeasesRepo } from '../../server/src/modules/system/node-leases.repo.js';
import { cleanupAfterAll } from './harness.js';
import { usePostgres } from './postgres.js';

/**
 * The lease statements of several server nodes (node_leases, migration 23) behave the same on
 * SQLite and PostgreSQL: one upsert claims a free lease, renews one's own, takes an expired one
 * and leaves a live one alone; of nodes claiming at once exactly one gets it.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const T0 = Date.parse('2026-12-01T08:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms);
const TTL = 15_000;

/** Every step of a lease's life on one store, as the repository answers. */
async function transcript(store: Store): Promise<unknown[]> {
  const leases = new NodeLeasesRepo(store);
  const steps: unknown[] = [];
  const step = async (what: string, answer: Promise<unknown>) => steps.push([what, await answer]);
  await step('nobody ever held it', leases.get('timers'));
  await step('a claims a free lease', leases.claim('timers', 'a', at(0), TTL));
  await step('b claims a live lease of a', leases.claim('timers', 'b', at(1_000), TTL));
  await step('a renews (acquired_at kept)', leases.claim('timers', 'a', at(5_000), TTL));
  await step('b, a millisecond before it expires', leases.claim('timers', 'b', at(5_000 + TTL - 1), TTL));
  await step('b, when it expires', leases.claim('timers', 'b', at(5_000 + TTL), TTL));
  await step('as stored', leases.get('timers'));
  await step('a renews after losing it', leases.claim('timers', 'a', at(21_000), TTL));
  await step('another lease is its own', leases.claim('briefing', 'a', at(21_000), TTL));
  await step('a releases what it does not hold', leases.release('timers', 'a'));
  await step('b releases', leases.release('timers', 'b'));
  await step('released', leases.get('timers'));
  await step('c claims at once after the release', leases.claim('timers', 'c', at(21_001), TTL));
  // eight nodes at the same instant on a lease nobody holds: one gets it
  const race = await Promise.all(Array.from({ length: 8 }, (_, i) => leases.claim('race', `n${i}`, at(30_000), TTL)));
  const winners = race.filter((r) => r !== null);
  steps.push(['winners of a race', winners.length]);
  steps.push(['the race as stored is its winner', (await leases.get('race'))?.holder === winners[0]?.holder]);
  return steps;
}

describe('NodeLeasesRepo on SQLite and PostgreSQL', () => {
  it('claims, renews, takes over and releases the same on both stores', async () => {
    const db = openDatabase(`${tempDir()}/leases.sqlite`);
    later(() => db.close());
    const sqlite = Store.onSqlite(db);
    const postgres = openStore(await pg.cluster.createDatabase());
    later(() => postgres.close());

    const onSqlite = await transcript(sqlite);
    const onPostgres = await transcript(postgres);
    expect(onPostgres).toEqual(onSqlite);

    const lease = (holder: string, acquired: number, renewed: number) => ({ holder, acquiredAt: at(acquired).toISOString(), renewedAt: at(renewed).toISOString(), expiresAt: at(renewed + TTL).toISOString() });
    expect(onSqlite).toEqual([
      ['nobody ever held it', undefined],
      ['a claims a free lease', { name: 'timers', ...lease('a', 0, 0) }],
      ['b claims a live lease of a', null],
      ['a renews (acquired_at kept)', { name: 'timers', ...lease('a', 0, 5_000) }],
      ['b, a millisecond before it expires', null],
      ['b, when it expires', { name: 'timers', ...lease('b', 5_000 + TTL, 5_000 + TTL) }],
      ['as stored', { name: 'timers', ...lease('b', 5_000 + TTL, 5_000 + TTL) }],
      ['a renews after losing it', null],
      ['another lease is its own', { name: 'briefing', ...lease('a', 21_000, 21_000) }],
      ['a releases what it does not hold', false],
      ['b releases', true],
      ['released', undefined],
      ['c claims at once after the release', { name: 'timers', ...lease('c', 21_001, 21_001) }],
      ['winners of a race', 1],
      ['the race as stored is its winner', true],
    ]);
  });
});
