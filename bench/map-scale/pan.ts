/**
 * `pan`: console pan frame times over a province against a county, and a bare MapLibre page.
 *
 * The real console (server + built renderer, Chromium at 1920×1080, the demo dispatcher) is
 * dragged along the same path, in the same way, over two databases: the demo county (every level
 * as GeoJSON) and a province (its villages, grids and micro-grids as vector tiles, county and
 * city lines on top). A bare page in the same browser, MapLibre alone with a background layer and
 * no product layer, is dragged the same way: the floor a frame costs here (software WebGL on two
 * cores). Each pan is measured twice: at the view the console opens on (the county at ~z10, the
 * province at ~z7) and zoomed in to z14 around the busiest bubble, where micro-grids are drawn.
 *
 * The figure is the interval between frames (requestAnimationFrame timestamps in the page while
 * the drag runs): p50 and p95. Rows: province ÷ county (the target: as smooth, ≤ 1.25×) and
 * county ÷ bare (stated: what the product's layers cost over MapLibre itself).
 *
 * The province: BENCH_PROVINCE_DATA=DIR (a seeded data folder, e.g. the one `npm run demo:seed --
 * --preset zhejiang --data DIR` made), else seeded once into .tmp/bench-province-<key>/ (git-
 * ignored) and reused; `--quick` seeds the city preset instead (a smoke check, not the figure).
 */
import { cpSync, existsSync, readFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from '@playwright/test';
import { DEFAULT_DEMO_PASSWORD } from '../../server/src/modules/auth/demo-users.js';
import { Cleanup, copyCounty, percentile, ROOT, sleep, spawnScript, type Benchmark, type Sample } from '../support.js';
import { provinceData } from './province.js';

const PASSWORD = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD;
const LISTENING = /console (http:\/\/\S+\/)/;
/** The province ÷ county ratio of frame intervals the console must stay under: "as smooth". */
const TARGET_RATIO = 1.25;
/** The zoom of the close pan: micro-grids drawn (from z13.5). */
const CLOSE_ZOOM = 14;
/** The drag: this many mouse moves of this many pixels, one every frame's time, out and back. */
const STEPS = 90;
const STEP_PX = 12;
const STEP_MS = 16;

const MAPLIBRE_DIST = resolve(ROOT, 'node_modules/maplibre-gl/dist');
const BARE_ORIGIN = 'http://bare-maplibre.bench';

interface PanFigures {
  p50: number;
  p95: number;
  frames: number;
}

interface Probe {
  ready: boolean;
  zoom(): number;
  renderedClusters(): { count: number; x: number; y: number }[];
}

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: {
  __gridcommand?: { map?: Probe };
  __frames: number[];
  __framesOn: boolean;
  __bare?: { loaded: boolean; zoom(): number };
};

// ---------------------------------------------------------------------------------------------
// the pan

/**
 * Records every frame's timestamp until `__framesOn` is cleared. A string, not a function: tsx
 * wraps named functions in a helper the page does not have.
 */
const FRAME_RECORDER = `
  window.__frames = [];
  window.__framesOn = true;
  const loop = (t) => {
    window.__frames.push(t);
    if (window.__framesOn) requestAnimationFrame(loop);
  };
  requestAnimationFrame(loop);
`;

/** Drags the map out and back along the same path, recording every frame the page draws meanwhile. */
async function pan(page: Page): Promise<PanFigures> {
  const { x0, y0 } = await mapMiddle(page);
  await page.mouse.move(x0, y0);
  await page.evaluate(FRAME_RECORDER);
  await page.mouse.down();
  for (let i = 1; i <= STEPS; i++) {
    // out to the left and up, then back: new tiles come into view, as a dispatcher's drag brings them
    const k = i <= STEPS / 2 ? i : STEPS - i;
    await page.mouse.move(x0 - k * STEP_PX, y0 - Math.round(k * STEP_PX * 0.4));
    await sleep(STEP_MS);
  }
  await page.mouse.up();
  const frames = await page.evaluate(() => {
    window.__framesOn = false;
    return window.__frames;
  });
  const intervals = frames.slice(1).map((t, i) => t - frames[i]!);
  if (intervals.length < 10) throw new Error(`only ${frames.length} frames drawn during the pan`);
  return { p50: percentile(intervals, 50), p95: percentile(intervals, 95), frames: frames.length };
}

/** The middle of the map (the console's map pane, or the whole bare page), right of it the drag's room. */
async function mapMiddle(page: Page): Promise<{ x0: number; y0: number }> {
  const box = (await page.locator('.map-view').count()) > 0 ? await page.locator('.map-view').boundingBox() : null;
  const { width, height } = page.viewportSize() ?? { width: 1920, height: 1080 };
  const area = box ?? { x: 0, y: 0, width, height };
  // Start right of the middle: the drag goes left and up by half its length.
  return { x0: Math.round(area.x + area.width * 0.7), y0: Math.round(area.y + area.height * 0.65) };
}

/** Wheels in around a page point until the camera reaches `zoom`, then lets the tiles load. */
async function zoomInAt(page: Page, at: { x: number; y: number }, zoom: number, read: () => Promise<number>): Promise<void> {
  await page.mouse.move(at.x, at.y);
  for (let i = 0; i < 80 && (await read()) < zoom; i++) {
    await page.mouse.wheel(0, -240);
    await sleep(120);
  }
  await settle(read);
}

/** The camera has stopped, and a moment more for tiles and labels. */
async function settle(read: () => Promise<number>): Promise<void> {
  let last = Number.NaN;
  for (let i = 0; i < 50; i++) {
    const z = await read();
    if (z === last) break;
    last = z;
    await sleep(200);
  }
  await sleep(2_000);
}

// ---------------------------------------------------------------------------------------------
// the two sides

/** The real console on `dataDir` (a private copy), signed in; both pans. */
async function consolePans(browser: Browser, dataDir: string, cleanup: Cleanup, log: (line: string) => void, label: string): Promise<{ open: PanFigures; close: PanFigures; openZoom: number }> {
  const server = spawnScript(['server/src/cli/server.ts', '--port', '0', '--data', dataDir, '--demo'], LISTENING, cleanup, 600_000);
  const url = (await server.started).match[1]!;
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  cleanup.later(() => context.close());
  const page = await context.newPage();
  page.on('pageerror', (e) => log(`  ${label} page error: ${e.message}`));
  await page.goto(url);
  const login = page.getByTestId('login-screen');
  await login.getByLabel('用户名', { exact: true }).fill('demo-dispatcher');
  await login.getByLabel('口令', { exact: true }).fill(PASSWORD);
  await login.getByLabel('口令', { exact: true }).press('Enter');
  await page.waitForFunction(() => window.__gridcommand?.map?.ready === true, null, { timeout: 300_000 });
  await page.getByTestId('loading-panel').waitFor({ state: 'hidden', timeout: 300_000 });
  const read = () => page.evaluate(() => window.__gridcommand?.map?.zoom() ?? 0);
  await settle(read);
  const openZoom = await read();
  const open = await pan(page);
  await settle(read);
  const bubbles = await page.evaluate(() => window.__gridcommand?.map?.renderedClusters() ?? []);
  const busiest = [...bubbles].sort((a, b) => b.count - a.count)[0] ?? { x: 960, y: 594 };
  await zoomInAt(page, busiest, CLOSE_ZOOM, read);
  const close = await pan(page);
  await context.close();
  await server.stop();
  return { open, close, openZoom };
}

/** MapLibre alone on a page (a background layer, no source), both pans at the same zooms. */
async function barePans(browser: Browser, zooms: { open: number }): Promise<{ open: PanFigures; close: PanFigures }> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  try {
    await context.route(`${BARE_ORIGIN}/**`, async (route) => {
      const path = new URL(route.request().url()).pathname;
      if (path === '/') return route.fulfill({ contentType: 'text/html', body: barePage(zooms.open) });
      const file = join(MAPLIBRE_DIST, path.replace(/^\/+/, ''));
      if (!file.startsWith(MAPLIBRE_DIST) || !existsSync(file)) return route.fulfill({ status: 404, body: '' });
      const type = extname(file) === '.css' ? 'text/css' : 'text/javascript';
      return route.fulfill({ contentType: type, body: readFileSync(file) });
    });
    const page = await context.newPage();
    await page.goto(`${BARE_ORIGIN}/`);
    await page.waitForFunction(() => window.__bare?.loaded === true, null, { timeout: 60_000 });
    const read = () => page.evaluate(() => window.__bare?.zoom() ?? 0);
    await settle(read);
    const open = await pan(page);
    await zoomInAt(page, { x: 960, y: 594 }, CLOSE_ZOOM, read);
    const close = await pan(page);
    return { open, close };
  } finally {
    await context.close();
  }
}

function barePage(zoom: number): string {
  return `<!doctype html><html><head><link rel="stylesheet" href="/maplibre-gl.css">
<style>html,body,#map{margin:0;width:100%;height:100%}</style></head><body><div id="map"></div>
<script type="module">
import { Map, setWorkerUrl } from '/maplibre-gl.mjs';
setWorkerUrl('${BARE_ORIGIN}/maplibre-gl-worker.mjs');
const map = new Map({ container: 'map', center: [120.2, 29.3], zoom: ${zoom}, fadeDuration: 0, attributionControl: false,
  style: { version: 8, sources: {}, layers: [{ id: 'background', type: 'background', paint: { 'background-color': '#0a121b' } }] } });
window.__bare = { loaded: false, zoom: () => map.getZoom() };
map.once('load', () => { window.__bare.loaded = true; });
</script></body></html>`;
}

// ---------------------------------------------------------------------------------------------

export const panBench: Benchmark = {
  key: 'pan',
  title: 'console pan frame times: province vs county, and a bare MapLibre page',
  async run(ctx) {
    if (!existsSync(resolve(ROOT, 'out/renderer/index.html'))) throw new Error('out/renderer is missing: run `npm run build:renderer` first');
    const provinceDir = await provinceData(ctx.quick, ctx.log);
    const cleanup = new Cleanup();
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium' });
    cleanup.later(() => browser.close());
    try {
      const county = await consolePans(browser, copyCounty(ctx.county.started, cleanup), cleanup, ctx.log, 'county');
      const provinceCopy = cleanup.tempDir('gridcommand-bench-province-');
      cpSync(provinceDir, provinceCopy, { recursive: true });
      const prov = await consolePans(browser, provinceCopy, cleanup, ctx.log, 'province');
      const bare = await barePans(browser, { open: county.openZoom });
      ctx.log(`  frames: bare ${bare.open.frames}/${bare.close.frames}, county ${county.open.frames}/${county.close.frames} (opens at z${county.openZoom.toFixed(1)}), province ${prov.open.frames}/${prov.close.frames} (opens at z${prov.openZoom.toFixed(1)})`);
      const note = ctx.quick ? 'quick: the city preset stands in for the province' : `province opens at z${prov.openZoom.toFixed(1)}, county at z${county.openZoom.toFixed(1)}`;
      const samples: Sample[] = [];
      for (const view of ['open', 'close'] as const) {
        const where = view === 'open' ? 'opening view' : `z${CLOSE_ZOOM}, micro-grids`;
        for (const p of ['p50', 'p95'] as const) {
          samples.push({
            id: `pan.province-vs-county.${view}.${p}`,
            measure: `pan frame interval ${p}, ${where}: province (baseline: county)`,
            unit: 'ms',
            baseline: county[view][p],
            product: prov[view][p],
            target: { kind: 'ratio-max', value: TARGET_RATIO },
            note,
          });
          samples.push({
            id: `pan.county-vs-bare.${view}.${p}`,
            measure: `pan frame interval ${p}, ${where}: county console (baseline: bare MapLibre)`,
            unit: 'ms',
            baseline: bare[view][p],
            product: county[view][p],
            target: { kind: 'stated' },
          });
        }
      }
      return samples;
    } finally {
      await cleanup.run();
    }
  },
};
