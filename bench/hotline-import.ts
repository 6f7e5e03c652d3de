/**
 * A typhoon day's 12345 file (5,000 rows by default) through the bulk import, against a raw
 * baseline measured in the same run on the same server: the same number of cases posted one by
 * one to `POST /api/v1/intake/hotline` (the way the platform feeds cases live), the per-case
 * cost of the intake itself over HTTP. Printed: reading the file alone, the dry run, the write
 * (row mode), the re-import (every row a duplicate), each as ms per row and as a ratio to the
 * baseline's ms per case; and how long another request waited while the import ran (a health
 * check every 20 ms), since the intake is synchronous and the import yields between rows.
 * Prints figures and ratios, never pass/fail.
 *
 * Run: npx tsx bench/hotline-import.ts [--rows 5000]
 */
import { parseArgs } from 'node:util';
import { demoChannelKey } from '../server/src/modules/auth/demo-users.js';
import { readHotlineFile } from '../server/src/modules/hotline-import/hotline-file.js';
import type { HotlineImportReport } from '../shared/contracts/hotline-import.js';
import { api, DEMO_PASSWORD, pointInCounty, startTestServer } from '../tests/integration/harness.js';
import { dayOfCases, hotlineCsv, utf8, type HotlineFileRecord } from '../tests/fixtures/hotline/hotline-files.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '5000' } } });
const ROWS = Number(values.rows);
const CATEGORIES = ['暴露垃圾', '占道经营', '噪声扰民', '路灯故障', '邻里纠纷', '路面积水', '违章搭建', '消防通道'];

// the platform's live feed is a program with its own limits; the baseline measures the intake, not the rate limiter
const server = await startTestServer({ config: { rateLimit: { perMinute: 1_000_000, anonymousPerMinute: 1_000_000, loginPerMinute: 20 } } });
const points = await Promise.all(Array.from({ length: 40 }, (_, i) => pointInCounty(server.url, i * 2)));
const day = (prefix: string): HotlineFileRecord[] =>
  dayOfCases(ROWS, { prefix, points }).map((r, i) => ({ ...r, 诉求类别: CATEGORIES[i % CATEGORIES.length]! }));

// Baseline: each case posted alone to the hotline channel with its API key.
const key = demoChannelKey('hotline', DEMO_PASSWORD);
const baselineRows = day('BENCHB');
const t0 = performance.now();
for (const r of baselineRows) {
  const body = {
    channelId: r.工单编号,
    caller: { name: r.来电人, phone: r['联系电话(脱敏)'] },
    location: { lon: Number(r.经度), lat: Number(r.纬度), crs: 'wgs84' },
    itemText: r.诉求类别,
    description: r.诉求内容,
  };
  const res = await api(server.url, '/api/v1/intake/hotline', { method: 'POST', anonymous: true, headers: { 'x-api-key': key }, json: body });
  if (res.status !== 201 && res.status !== 202) throw new Error(`baseline intake failed: ${res.status} ${JSON.stringify(res.body)}`);
}
const perCase = (performance.now() - t0) / ROWS;

const file = utf8(hotlineCsv(day('BENCHI')));
process.stdout.write(`${ROWS} rows, ${(file.length / 1024).toFixed(0)} KB of CSV\n`);
process.stdout.write(`baseline: one case per POST /api/v1/intake/hotline   ${perCase.toFixed(2)} ms per case\n\n`);

const r0 = performance.now();
await readHotlineFile(file, 'csv');
const readMs = performance.now() - r0;

/** Runs an import while a health check is sent every 20 ms; returns its time and the slowest health answer. */
async function timed(query: string): Promise<{ ms: number; report: HotlineImportReport; slowestProbe: number }> {
  let running = true;
  let slowest = 0;
  const probe = (async () => {
    while (running) {
      const p0 = performance.now();
      await api(server.url, '/api/v1/health');
      slowest = Math.max(slowest, performance.now() - p0);
      await new Promise((done) => setTimeout(done, 20));
    }
  })();
  const s0 = performance.now();
  const res = await api<HotlineImportReport>(server.url, `/api/v1/hotline-imports?${query}`, { method: 'POST', body: file, headers: { 'content-type': 'text/csv', 'x-filename': 'bench.csv' } });
  const ms = performance.now() - s0;
  running = false;
  await probe;
  if (res.status >= 300) throw new Error(`import failed: ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
  return { ms, report: res.body, slowestProbe: slowest };
}

const line = (name: string, ms: number, extra = '') =>
  process.stdout.write(`${name.padEnd(34)} ${(ms / 1000).toFixed(2).padStart(7)} s  ${(ms / ROWS).toFixed(2).padStart(6)} ms/row  ×${(ms / ROWS / perCase).toFixed(2)} of baseline${extra}\n`);

line('reading the file (CSV → rows)', readMs);
const preview = await timed('mode=file&dryRun=true');
line('dry run (check every row)', preview.ms, `  slowest other request ${preview.slowestProbe.toFixed(0)} ms`);
const write = await timed('mode=row');
line('write, row by row', write.ms, `  slowest other request ${write.slowestProbe.toFixed(0)} ms`);
const again = await timed('mode=file');
line('re-import (all duplicates)', again.ms, `  slowest other request ${again.slowestProbe.toFixed(0)} ms`);
process.stdout.write(`\noutcomes of the write: ${JSON.stringify(write.report.totals)}\n`);
process.stdout.write(`outcomes of the re-import: ${JSON.stringify(again.report.totals)}\n`);
await server.stop();
