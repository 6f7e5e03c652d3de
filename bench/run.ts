/**
 * `npm run bench`: the live path against raw baselines (docs/PERFORMANCE.md, "The live path
 * against raw baselines"). Each benchmark measures its raw baseline and the product in the same
 * run on this machine; the table gives the medians over the runs, their ratio, the target and
 * whether it was met, and is written as JSON to bench/results/latest.json. A missed target is a
 * finding, not a failure: the exit code is 0 unless a benchmark could not run.
 *
 *   npm run bench                       every row, 3 runs (the soak once, 10 minutes)
 *   npm run bench -- --runs 5           more runs
 *   npm run bench -- --quick            a short variant, one run, that still prints every row (smoke check)
 *   npm run bench -- --only fanout,replay   some benchmarks (intake, fanout, replay, storm, restart, soak, pan, tiles)
 *   npm run bench -- --soak-minutes 5   a shorter or longer soak
 *   BENCH_PROVINCE_DATA=DIR npm run bench -- --only pan,tiles   the pan and the tiles over a province seeded beforehand (see bench/map-scale/pan.ts)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { county, markdownTable, ROOT, summarise, type Benchmark, type Sample } from './support.js';
import { intakeBench } from './live-path/intake.js';
import { fanoutBench } from './live-path/fanout.js';
import { replayBench } from './live-path/replay.js';
import { stormBench } from './live-path/storm.js';
import { restartBench } from './live-path/restart.js';
import { soakBench } from './live-path/soak.js';
import { panBench } from './map-scale/pan.js';
import { tilesBench } from './map-scale/tiles.js';

const BENCHMARKS: Benchmark[] = [intakeBench, fanoutBench, replayBench, stormBench, restartBench, soakBench, panBench, tilesBench];

const { values } = parseArgs({
  options: {
    runs: { type: 'string' },
    quick: { type: 'boolean', default: false },
    only: { type: 'string' },
    'soak-minutes': { type: 'string' },
  },
});
const quick = values.quick;
const runs = values.runs === undefined ? (quick ? 1 : 3) : Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) throw new Error(`--runs must be a whole number ≥ 1 (got ${values.runs})`);
const only = values.only?.split(',').map((s) => s.trim());
const unknown = only?.filter((k) => !BENCHMARKS.some((b) => b.key === k)) ?? [];
if (unknown.length > 0) throw new Error(`--only: unknown benchmark ${unknown.join(', ')} (known: ${BENCHMARKS.map((b) => b.key).join(', ')})`);
const soakMinutes = values['soak-minutes'] === undefined ? (quick ? 1 : 10) : Number(values['soak-minutes']);

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
const started = new Date();
const load = loadavg();
const countyData = await county(log);

const samples: Sample[] = [];
const errors: Array<{ benchmark: string; run: number; error: string }> = [];
for (const bench of BENCHMARKS.filter((b) => !only || only.includes(b.key))) {
  const times = bench.once ? 1 : runs;
  for (let run = 0; run < times; run++) {
    log(`${bench.key} (${bench.title}): run ${run + 1} of ${times}`);
    const t0 = performance.now();
    try {
      const got = await bench.run({ quick, run, county: countyData, soakMinutes, log });
      samples.push(...got);
      for (const s of got) log(`  ${s.id}: baseline ${s.baseline.toFixed(2)} product ${s.product.toFixed(2)} ${s.unit}`);
    } catch (err) {
      errors.push({ benchmark: bench.key, run, error: String((err as Error).stack ?? err) });
      log(`  FAILED: ${String((err as Error).stack ?? err)}`);
    }
    log(`  ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
}

const rows = summarise(samples);
const targets = rows.filter((r) => r.met !== null);
const met = targets.filter((r) => r.met).length;
const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average at start ${load.map((l) => l.toFixed(2)).join(' ')}`;

const table = markdownTable(rows);
process.stdout.write(`\n## The live path against raw baselines — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n\n`);
process.stdout.write(`${machine}; medians of ${runs} run(s)${quick ? ', --quick' : ''}; soak ${soakMinutes} min, once.\n\n${table}\n\n`);
const notes = rows.filter((r) => r.notes.length > 0);
if (notes.length > 0) {
  process.stdout.write('Notes:\n');
  for (const r of notes) process.stdout.write(`- ${r.measure}: ${r.notes.join(' | ')}\n`);
  process.stdout.write('\n');
}
for (const e of errors) process.stdout.write(`FAILED: ${e.benchmark} run ${e.run + 1}: ${e.error.split('\n')[0]}\n`);
process.stdout.write(`${met} of ${targets.length} targets met\n`);

const dir = join(ROOT, 'bench/results');
mkdirSync(dir, { recursive: true });
writeFileSync(
  join(dir, 'latest.json'),
  `${JSON.stringify({ date: started.toISOString(), machine, runs, quick, soakMinutes, rows, summary: { met, targets: targets.length, text: `${met} of ${targets.length} targets met` }, errors }, null, 2)}\n`,
);
log(`written ${join(dir, 'latest.json')}`);
process.exit(errors.length > 0 ? 1 : 0);
