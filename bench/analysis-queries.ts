/**
 * The analysis and evaluation reads at county load, against raw baselines measured in the same
 * run on the same database file:
 *   A. one indexed pass: `COUNT(*)` of the period's cases through the report-time index;
 *   B. one full pass: `COUNT(*)` of every case's report day (a scan of the whole table).
 * Each analysis figure (trend with 同比/环比, mix, hours, hot spots, the agenda) and the grid
 * workers' evaluation is timed as the routes compute it (repository + service, no HTTP), and
 * printed as a ratio to A and B: a figure near A reads only its period; near B, it scans.
 * Prints ratios, never pass/fail.
 *
 * Run: npx tsx bench/analysis-queries.ts [--data DIR] [--days 120] [--runs 20]
 * Without --data a county (the paper's size, `--days` of history) is seeded into a temp folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/connection.js';
import { Store } from '../server/src/db/store.js';
import { AnalysisRepo } from '../server/src/modules/analysis/analysis.repo.js';
import { AnalysisService } from '../server/src/modules/analysis/analysis.service.js';
import { DEFAULT_DEMO_OPTIONS } from '../server/src/modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../server/src/modules/demo/seed.js';
import { KpiRepo } from '../server/src/modules/kpi/kpi.repo.js';
import { periodStart, DAY_MS } from '../shared/contracts/period.js';
import { addDays, chinaDayOf } from '../shared/domain/calendar-days.js';

const { values } = parseArgs({ options: { data: { type: 'string' }, days: { type: 'string', default: '120' }, runs: { type: 'string', default: '20' } } });
const RUNS = Number(values.runs);
const temp = values.data ? null : mkdtempSync(join(tmpdir(), 'gc-bench-analysis-'));
const db = openDatabase(databaseFile(values.data ?? temp!));
if (!isSeeded(db)) {
  process.stdout.write(`seeding a county with ${values.days} days of history…\n`);
  seedDemo(db, { ...DEFAULT_DEMO_OPTIONS, days: Number(values.days), asOf: new Date('2026-11-02T00:00:00+08:00') });
}

const last = (db.prepare('SELECT MAX(reported_at) AS at FROM events').get() as { at: string }).at;
const to = chinaDayOf(new Date(last));
const from = addDays(to, -29);
const scope = { from, to, town: null };
const cases = (db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
process.stdout.write(`${cases} cases; period ${from} … ${to} (30 days), ${RUNS} runs each\n\n`);

const median = async (f: () => unknown): Promise<number> => {
  await f();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await f();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
};

const start = periodStart(from).toISOString();
const end = new Date(periodStart(to).getTime() + DAY_MS).toISOString();
const indexed = db.prepare('SELECT COUNT(*) FROM events WHERE reported_at >= ? AND reported_at < ?');
const full = db.prepare("SELECT COUNT(DISTINCT date(reported_at, '+8 hours')) FROM events");
const A = await median(() => indexed.get(start, end));
const B = await median(() => full.get());

const service = new AnalysisService(new AnalysisRepo(Store.onSqlite(db)));
const kpis = new KpiRepo(Store.onSqlite(db));
const period = { from: periodStart(from), to: new Date(periodStart(to).getTime() + DAY_MS) };
const figures: Array<[string, () => unknown]> = [
  ['trend by day (30 d, 同比/环比)', () => service.trend(scope, 'day', null)],
  ['trend by month (400 d)', () => service.trend({ from: addDays(to, -399), to, town: null }, 'month', null)],
  ['mix', () => service.mix(scope, null, 'zh-CN')],
  ['hours', () => service.hours(scope, null)],
  ['hot spots', () => service.hotSpots(scope, null, 2, 100)],
  ['agenda', () => service.agenda(to, { town: null, area: { id: '', name: '' } }, null, new Date(last))],
  ['KPIs by grid', () => kpis.counts(period, null, 'grid')],
  ['grid workers', () => kpis.gridWorkers(period, null)],
];

const fmt = (ms: number) => `${ms.toFixed(2).padStart(8)} ms`;
process.stdout.write(`A one indexed pass          ${fmt(A)}\nB one full pass             ${fmt(B)}\n\n`);
for (const [name, f] of figures) {
  const t = await median(f);
  process.stdout.write(`${name.padEnd(28)}${fmt(t)}   ×A ${(t / A).toFixed(1).padStart(6)}   ×B ${(t / B).toFixed(2).padStart(6)}\n`);
}
db.close();
if (temp) rmSync(temp, { recursive: true, force: true });
