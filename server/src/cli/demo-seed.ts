import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { databaseFile } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { DEFAULT_DEMO_OPTIONS, DEMO_PRESETS, isSingleCounty } from '../modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../modules/demo/seed.js';
import { DEMO_ARG_OPTIONS, demoOptionsFrom, parseCli, UsageError } from './args.js';

const d = DEFAULT_DEMO_OPTIONS;
const n = (x: number) => x.toLocaleString('en-US');
const presetLines = Object.entries(DEMO_PRESETS).map(
  ([name, p]) =>
    `  ${name.padEnd(9)} ${p.cities} ${p.cities === 1 ? 'city' : 'cities'}, ${p.counties} counties, ${n(p.towns)} towns, ${n(p.villages)} villages, ${n(p.grids)} grids,\n` +
    `            ${n(p.microGrids)} micro-grids, ${n(p.workers)} workers, ${p.householdsPerMicroGrid} households per micro-grid,\n` +
    `            ${p.days} days × ${n(p.eventsPerDay)} events`,
);
const USAGE = `Usage: npm run demo:seed -- [--data DIR] [--preset NAME] [options]

Seeds the demo county T县, or a platform of many counties (a city or a province), into
DIR/gridcommand.db (default DIR: ./data). The database must not hold a county yet. The same
options and the same --as-of always produce the identical database.

Presets (flags given as well override the preset's figures):
${presetLines.join('\n')}

  --data DIR                      data folder (created if missing)
  --preset NAME                   start from a preset: ${Object.keys(DEMO_PRESETS).join(' or ')}
  --seed N                        random seed (default ${d.seed})
  --cities N                      0: no city row; 1: one city (330800) holds the counties;
                                  more: a province (330000) holds the cities (default ${d.cities})
  --counties N                    counties of the platform (default ${d.counties}: T县 alone)
  The counts below are totals of the platform, shared among its counties by population:
  --towns N                       towns and streets, 镇/乡/街道 (default ${d.towns})
  --villages N                    villages and communities, 村/社区 (default ${d.villages})
  --grids N                       grids, 网格 (default ${d.grids})
  --micro-grids N                 micro-grids, 微网格 (default ${d.microGrids})
  --workers N                     grid workers, 网格员 (default ${d.workers})
  --full-time-workers N           of which full-time (default ${d.fullTimeWorkers})
  --households-per-micro-grid N   average households per micro-grid (default ${d.householdsPerMicroGrid})
  --days N                        days of event history before --as-of (default ${d.days})
  --events-per-day N              average events reported per day (default ${d.eventsPerDay})
  --as-of ISO                     end of the history, e.g. 2026-11-25T00:00:00+08:00
                                  (default: now, to the minute)
  -h, --help                      show this help
`;

const { values } = parseCli({ data: { type: 'string' }, ...DEMO_ARG_OPTIONS }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

let options;
try {
  options = demoOptionsFrom(values);
} catch (err) {
  if (!(err instanceof UsageError)) throw err;
  process.stderr.write(`${err.message}\n\n${USAGE}`);
  process.exit(2);
}

// A province is built in memory (its regions, one county's people at a time, the whole history):
// ~3 GB at the zhejiang preset, near or over V8's default heap limit on most machines. The seed
// then runs again in a child with a larger heap rather than asking every user for NODE_OPTIONS.
const HEAP_MB = 8192;
if (options.microGrids > 100_000 && getHeapStatistics().heap_size_limit < HEAP_MB * 1024 * 1024) {
  const child = spawnSync(process.execPath, [...process.execArgv, `--max-old-space-size=${HEAP_MB}`, ...process.argv.slice(1)], { stdio: 'inherit' });
  process.exit(child.status ?? 1);
}

const file = databaseFile(resolve(values.data ?? 'data'));
const db = openDatabase(file);
try {
  if (isSeeded(db)) {
    process.stderr.write(`${file} already holds a county; seed only an empty database (remove the file to start over).\n`);
    process.exitCode = 1;
  } else {
    const what = isSingleCounty(options) ? 'T县' : `${options.counties} counties in ${options.cities === 1 ? 'one city' : `${options.cities} cities`}`;
    process.stdout.write(`Seeding ${what} (seed ${options.seed}, as of ${options.asOf.toISOString()}) into ${file}…\n`);
    const s = seedDemo(db, options);
    const rows: Array<[string, number]> = [
      ['cities', s.cities],
      ['counties', s.counties],
      ['towns', s.towns],
      ['villages', s.villages],
      ['grids', s.grids],
      ['micro-grids', s.microGrids],
      ['households', s.households],
      ['grid workers', s.workers],
      ['  full-time', s.fullTimeWorkers],
      ['  left (2 years, records)', s.leavers],
      ['roster entries (5包1)', s.rosterEntries],
      ['teams', s.teams],
      ['catalog items', s.catalogItems],
      ['events', s.events],
      ['last change seq', s.lastSeq],
    ];
    for (const [label, n] of rows) process.stdout.write(`  ${label.padEnd(22)}${n.toLocaleString('en-US').padStart(10)}\n`);
    process.stdout.write(`Done in ${(s.ms / 1000).toFixed(1)} s.\n`);
  }
} catch (err) {
  // Options that pass the checks can still overflow a code range once the county is laid out.
  if (!(err instanceof RangeError)) throw err;
  process.stderr.write(`${err.message}\n`);
  process.exitCode = 2;
} finally {
  // Fold the WAL back into the file so the folder can be copied as it is.
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
