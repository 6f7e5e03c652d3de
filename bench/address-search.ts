/**
 * Unified address search on the demo county's households (130,865 at the paper's size), against
 * raw baselines measured in the same run on the same database file:
 *   raw — the bare lookup each kind of query rests on, with no ranking, scope or regions: an FTS5
 *         trigram `MATCH … LIMIT 20` (three or more characters), a `LIKE '%…%' LIMIT 20` scan of
 *         `address_search` (one or two: trigrams cannot), a primary-key range (codes);
 *   HTTP — `GET /api/v1/health` through the same server: what any request costs;
 *   service — AddressesService.search as the route calls it (ranked, scoped, regions read);
 *   API — `GET /api/v1/addresses?q=…` over real HTTP with a session, as the console asks it.
 * Fragments are what dispatchers type, taken from households spread evenly over the county: two
 * characters (a village name's start, a house number "8号"), three (a house number, the middle of
 * "村14组"), a village's name, village + house ("周埠村14组38号", a caller's words), codes (whole,
 * a micro-grid's, a town's), and the worst case: the county's name and a town's first character,
 * held by a whole town's addresses. Prints p50/p95 per kind, service÷raw (the cost of ranking,
 * scope and reading the regions) and API÷HTTP (the search inside a request); never pass/fail.
 *
 * Run: npx tsx bench/address-search.ts [--data DIR] [--runs 5] [--sample 40]
 * Without --data the county is seeded into a temp folder (about 10 s) and removed afterwards.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { LoginResponse } from '../shared/contracts/auth.js';
import { createServer } from '../server/src/app.js';
import { databaseFile, defaultConfig } from '../server/src/config.js';
import { systemClock } from '../server/src/core/clock.js';
import { openDatabase } from '../server/src/db/connection.js';
import { Store } from '../server/src/db/store.js';
import { AddressesRepo } from '../server/src/modules/addresses/addresses.repo.js';
import { AddressesService } from '../server/src/modules/addresses/addresses.service.js';
import { DEFAULT_DEMO_PASSWORD, seedDemoUsers } from '../server/src/modules/auth/demo-users.js';
import { COUNTY_NAME } from '../server/src/modules/demo/county.js';
import { DEFAULT_DEMO_OPTIONS } from '../server/src/modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../server/src/modules/demo/seed.js';
import { EventsRepo } from '../server/src/modules/events/events.repo.js';
import { TeamsRepo } from '../server/src/modules/teams/teams.repo.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, runs: { type: 'string', default: '5' }, sample: { type: 'string', default: '40' } } });
const RUNS = Number(values.runs);
const SAMPLE = Number(values.sample);
const temp = values.data ? null : mkdtempSync(join(tmpdir(), 'gc-bench-addresses-'));
const dataDir = values.data ?? temp!;
const db = openDatabase(databaseFile(dataDir));
if (!isSeeded(db)) {
  process.stdout.write('seeding the demo county…\n');
  const t0 = performance.now();
  seedDemo(db, { ...DEFAULT_DEMO_OPTIONS, asOf: new Date('2026-11-02T00:00:00+08:00') });
  process.stdout.write(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s (the trigram index filled by its triggers)\n`);
}
const households = (db.prepare('SELECT COUNT(*) FROM households').pluck().get() as number).toLocaleString('en');
const indexed = (db.prepare('SELECT COUNT(*) FROM address_search').pluck().get() as number).toLocaleString('en');

// ---------- the fragments ----------

interface Sampled {
  code: string;
  address: string;
  micro_grid_id: string;
  village: string;
  town_id: string;
  town: string;
}
const all = db
  .prepare(
    `SELECT h.address_code AS code, h.address, h.micro_grid_id, v.name AS village, t.id AS town_id, t.name AS town
       FROM households h JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id
       JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id ORDER BY h.address_code`,
  )
  .all() as Sampled[];
const sample = Array.from({ length: SAMPLE }, (_, i) => all[Math.floor(((i + 0.5) * all.length) / SAMPLE)]!);
const houseOf = (h: Sampled) => h.address.slice(h.address.indexOf(h.village) + h.village.length);

const KINDS: Array<{ name: string; fragments: string[] }> = [
  { name: '2 chars', fragments: sample.map((h, i) => (i % 2 ? h.village.slice(0, 2) : h.address.slice(-2))) },
  { name: '3 chars', fragments: sample.map((h, i) => (i % 2 ? h.address.slice(-3) : `${h.village.slice(-1)}${houseOf(h).slice(0, 2)}`)) },
  { name: 'village name', fragments: sample.map((h) => h.village) },
  { name: 'village + house', fragments: sample.map((h) => `${h.village}${houseOf(h)}`) },
  { name: 'code / prefix', fragments: sample.map((h, i) => [h.code, h.micro_grid_id, h.town_id][i % 3]!) },
  { name: 'county+town (worst)', fragments: sample.map((h) => `${COUNTY_NAME}${h.town.slice(0, 1)}`) },
];

// ---------- the measures ----------

const phrase = (t: string) => `"${t.replace(/"/g, '""')}"`;
const ftsRaw = db.prepare('SELECT rowid FROM address_search_fts WHERE address_search_fts MATCH ? LIMIT 20');
const likeRaw = db.prepare("SELECT id FROM address_search WHERE address LIKE ? ESCAPE '\\' LIMIT 20");
const codeRaw = db.prepare('SELECT code FROM address_search WHERE code >= ? AND code < ? ORDER BY code LIMIT 20');
const raw = (q: string): unknown => {
  if (/^\d+$/.test(q)) return codeRaw.all(q, `${q}:`);
  return [...q].length >= 3 ? ftsRaw.all(phrase(q)) : likeRaw.all(`%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
};

const handles = await createServer({
  db,
  clock: systemClock,
  config: defaultConfig({ port: 0, dataDir, logLevel: 'silent', demo: true, rateLimit: { perMinute: 1_000_000, anonymousPerMinute: 1_000_000, loginPerMinute: 100 } }),
});
await seedDemoUsers(handles.store, handles.users, handles.auth, process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD);
const base = await handles.listen();
const login = await fetch(`${base}api/v1/auth/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'demo-dispatcher', password: process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD }),
});
const session = (await login.json()) as LoginResponse;
const headers = { authorization: `Bearer ${session.token}` };
const benchStore = Store.onSqlite(db);
const service = new AddressesService({ repo: new AddressesRepo(benchStore), events: new EventsRepo(benchStore), teams: new TeamsRepo(benchStore) });
// the demo dispatcher's scope is the county: the service is asked as the route asks it for them
const county = { user: { ...session.user, scope: { kind: 'county' as const } } } as unknown as Parameters<AddressesService['search']>[1];

async function api(path: string): Promise<void> {
  const res = await fetch(`${base}${path}`, { headers });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  await res.arrayBuffer();
}

type Measure = (q: string) => unknown;
interface Spread {
  p50: number;
  p95: number;
}

/**
 * p50 and p95 of each measure over every fragment run RUNS times (after one warm-up each). The
 * measures take turns on each fragment, so a busy moment of the machine (others' tests) falls
 * on all of them alike and the ratios hold.
 */
async function percentiles(fragments: readonly string[], measures: readonly Measure[]): Promise<Spread[]> {
  const times = measures.map((): number[] => []);
  for (const q of fragments) {
    for (const f of measures) await f(q);
    for (let i = 0; i < RUNS; i++) {
      for (const [m, f] of measures.entries()) {
        const t0 = performance.now();
        await f(q);
        times[m]!.push(performance.now() - t0);
      }
    }
  }
  return times.map((list) => {
    list.sort((a, b) => a - b);
    const at = (p: number) => list[Math.min(list.length - 1, Math.floor(p * list.length))]!;
    return { p50: at(0.5), p95: at(0.95) };
  });
}

// The server's start-up sweeps (deadlines, alerts over the county's history) hold the event loop
// for a while after it listens: one pass over every fragment first, unmeasured.
for (const kind of KINDS) for (const q of kind.fragments) await api(`api/v1/addresses?q=${encodeURIComponent(q)}`);

process.stdout.write(`${households} households, ${indexed} indexed; ${SAMPLE} fragments per kind × ${RUNS} runs; p50 / p95 in ms\n`);
process.stdout.write('raw: the bare index lookup; service: ranked, scoped, regions read; API: over HTTP; HTTP: GET /health, the floor of any request\n\n');
const cell = (p: Spread) => `${p.p50.toFixed(2).padStart(6)} /${p.p95.toFixed(2).padStart(6)}`;
const ratio = (a: number, b: number) => `×${(a / b).toFixed(1)}`.padStart(7);
process.stdout.write(
  `${'kind'.padEnd(20)}${'raw'.padStart(15)}${'service'.padStart(16)}${'API'.padStart(16)}${'HTTP'.padStart(16)}   service÷raw p50 p95   API÷HTTP p50 p95\n`,
);
for (const kind of KINDS) {
  const [r, s, a, h] = (await percentiles(kind.fragments, [
    raw,
    (q) => service.search(q, county),
    (q) => api(`api/v1/addresses?q=${encodeURIComponent(q)}`),
    () => api('api/v1/health'),
  ])) as [Spread, Spread, Spread, Spread];
  process.stdout.write(
    `${kind.name.padEnd(20)}${cell(r).padStart(15)}${cell(s).padStart(16)}${cell(a).padStart(16)}${cell(h).padStart(16)}   ${ratio(s.p50, r.p50)}${ratio(s.p95, r.p95)}   ${ratio(a.p50, h.p50)}${ratio(a.p95, h.p95)}\n`,
  );
}

await handles.close();
db.close();
if (temp) rmSync(temp, { recursive: true, force: true });
