import { resolve } from 'node:path';
import { runSimulation, type SimulationStats } from '../../server/src/modules/simulate/simulation.js';
import { DEMO_PASSWORD } from './driver';
import { expect, test } from './fixtures';
import { startServer, type RunningServer } from './server-process';
import { KEY_FIGURE_PX_1080P, SECONDARY_TEXT_PX_1080P, startServerInProcess, WallDriver } from './wall-driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __wallNotReloaded?: boolean };

test('the wall display role lands on the wall, readable from 6 m at 1080p and 4K, showing the figures of /api/v1/overview', async ({ page, server }) => {
  const wall = new WallDriver(page, server);
  await wall.givenTheWallIsOpen('demo-wall', '/');
  await expect(wall.wall).toHaveAttribute('data-view', 'scope');
  await wall.thenTheFiguresAreTheOverview();
  await wall.thenEveryTextIsReadableFromAfar(SECONDARY_TEXT_PX_1080P, KEY_FIGURE_PX_1080P);
  await wall.thenNothingWaitsForAPointer();
  await expect(page.getByTestId('wall-trend').locator('.chart')).toHaveAttribute('data-chart-ready', 'true');
  await page.screenshot({ path: `${SCREENS}/wall-mode-1920x1080.png` });

  await page.setViewportSize({ width: 3840, height: 2160 });
  await wall.thenTheWallIsLive();
  await wall.thenEveryTextIsReadableFromAfar(2 * SECONDARY_TEXT_PX_1080P, 2 * KEY_FIGURE_PX_1080P);
  await wall.thenTheFiguresAreTheOverview();
  await page.waitForTimeout(1500); // the map redraws at the new size before the picture
  await page.screenshot({ path: `${SCREENS}/wall-mode-3840x2160.png` });
});

test('updates live: a new case shows in the ticker and "reported" goes up, without a reload', async ({ page, server }) => {
  const wall = new WallDriver(page, server);
  await wall.givenTheWallIsOpen();
  const before = await wall.thenTheFiguresAreTheOverview();
  await page.evaluate(() => (window.__wallNotReloaded = true));

  const event = await wall.givenAnEventIsReported({ urgency: 'P1' });
  await wall.thenTheTickerShows(event.id, 'new');
  await expect(wall.figure('reported')).toHaveAttribute('data-value', String(before.figures.reported + 1));
  await wall.thenTheFiguresAreTheOverview();
  expect(await page.evaluate(() => window.__wallNotReloaded)).toBe(true);
});

test('a duty officer opens /wall, and with ?cycle= it pages to a town with that town\'s own figures', async ({ page, server }) => {
  test.setTimeout(120_000);
  const wall = new WallDriver(page, server);
  await wall.givenTheWallIsOpen('demo-duty', '/wall?cycle=15');
  await expect(wall.wall).toHaveAttribute('data-view', 'scope');
  await wall.thenTheFiguresAreTheOverview();
  // the first page lasts 15 s: the next one is the first town
  await expect(wall.wall).toHaveAttribute('data-view', 'town', { timeout: 40_000 });
  const town = (await wall.wall.getAttribute('data-town'))!;
  await wall.thenTheFiguresAreTheOverview(`?town=${town}`);
  await expect(page.getByTestId('wall-ranking').locator('tbody tr')).toHaveCount(1);
  await page.waitForTimeout(1500); // the camera settles on the town before the picture
  await page.screenshot({ path: `${SCREENS}/wall-mode-town-1920x1080.png` });
});

test('keeps its picture behind the login when its session ends', async ({ page, server }) => {
  const wall = new WallDriver(page, server);
  await wall.givenTheWallIsOpen();
  const shown = await wall.figuresShown();
  await wall.whenTheSessionIsEndedElsewhere();
  await expect(wall.loginScreen).toBeVisible();
  await expect(wall.wall).toBeVisible();
  expect(await wall.figuresShown()).toEqual(shown);
  await expect(wall.staleBanner).toContainText('会话已结束');
});

test.describe('when the server goes away', () => {
  // While the server is down the browser reports the refused connections as console errors.
  test.use({ expectedConsoleErrors: [/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|WebSocket connection to .* failed|Failed to load resource/] });
  let own: RunningServer;
  test.beforeEach(async () => {
    own = await startServer();
  });
  test.afterEach(async () => {
    await own.dispose();
  });

  test('says so in a banner, and comes back by itself with the figures read again', async ({ page }) => {
    test.setTimeout(180_000);
    const wall = new WallDriver(page, own);
    await wall.givenTheWallIsOpen();
    const before = await wall.thenTheFiguresAreTheOverview();
    await wall.whenTheServerStops();
    await wall.thenTheFeedIsShownAsInterrupted();
    await wall.whenTheServerRestarts();
    // Reported before the wall reconnects: it must come by the replay, and the figures with it.
    const event = await wall.givenAnEventIsReported();
    await expect(wall.staleBanner).toBeHidden({ timeout: 30_000 });
    await wall.thenTheTickerShows(event.id, 'new');
    await expect(wall.figure('reported')).toHaveAttribute('data-value', String(before.figures.reported + 1), { timeout: 30_000 });
    await wall.thenTheFiguresAreTheOverview();
  });
});

/**
 * The long run: the simulator in compressed time (3 simulated minutes a tick, as fast as the
 * server answers) from a working morning, in rounds until this many cases were reported: a
 * 2-hour warm-up (the code paths of every push run and get compiled), then a 4-hour run in which
 * most cases go the whole loop to closing. Bounds and their reasons: docs/PERFORMANCE.md, "The
 * wall over days".
 */
const WARM_UP = { cases: 100, ticks: 40, ratePerHour: 50 };
const RUN = { cases: 300, ticks: 80, ratePerHour: 50 };
/** Heap a case may add while the live feed holds it (reported in the last 24 hours, or open). */
const BYTES_PER_HELD_CASE = 3_000;
/** What may differ between two measurements whatever the run: compiled code, caches, the last answers held. */
const HEAP_SLACK_BYTES = 2_500_000;
const SIM_START = Date.parse('2026-11-23T09:00:00+08:00');

async function simulateCases(url: string, plan: typeof RUN, seed: number): Promise<SimulationStats & { rounds: number; problems: string[] }> {
  const problems: string[] = [];
  const total = { simulatedSeconds: 0, reported: 0, filed: 0, dispatched: 0, accepted: 0, started: 0, handled: 0, verified: 0, closed: 0, positions: 0, conflicts: 0, errors: 0, rounds: 0 };
  while (total.reported < plan.cases) {
    const stats = await runSimulation({
      url,
      ratePerHour: plan.ratePerHour,
      speed: 900,
      durationSec: 0,
      tickMs: 200,
      maxTicks: plan.ticks,
      start: new Date(SIM_START + total.rounds * plan.ticks * 180_000),
      seed: seed + total.rounds,
      password: DEMO_PASSWORD,
      log: (line) => {
        if (!line.startsWith('simulated')) problems.push(line);
      },
    });
    for (const key of Object.keys(stats) as (keyof SimulationStats)[]) total[key] += stats[key];
    total.rounds++;
  }
  return { ...total, problems: problems.slice(0, 5) };
}

test.describe('over days', () => {
  let own: RunningServer;
  test.beforeEach(async () => {
    // A session may make 1,200 requests a minute; the simulator at 900× makes more.
    own = await startServerInProcess({ rateLimit: { perMinute: 100_000, anonymousPerMinute: 600, loginPerMinute: 200 } });
  });
  test.afterEach(async ({ page }) => {
    // The page first: it would report its reconnection attempts to a server that is gone.
    await page.close();
    await own.dispose();
  });

  test('drives hundreds of simulated cases through the wall: its heap grows only by the cases the feed holds, and a day later by those still open', async ({ page }) => {
    test.setTimeout(20 * 60_000);
    // The browser's clock runs as the real one, until the test moves it a day on (the server's stays).
    await page.context().clock.install({ time: Date.now() });
    const wall = new WallDriver(page, own);
    await wall.givenTheWallIsOpen();

    const warmUp = await simulateCases(own.url, WARM_UP, 101);
    expect(warmUp.errors, warmUp.problems.join('\n')).toBe(0);
    await wall.thenTheFiguresAreTheOverview();
    const start = await wall.heapAfterGc();

    const run = await simulateCases(own.url, RUN, 201);
    expect(run.errors, run.problems.join('\n')).toBe(0);
    const after = await wall.thenTheFiguresAreTheOverview();
    // the ticker holds its 6 lines (TICKER_LINES), however many cases came in
    await expect(page.getByTestId('wall-ticker').locator('li')).toHaveCount(6);
    const end = await wall.heapAfterGc();
    const growth = end - start;
    // Every case of the run was reported in the last 24 hours: the feed holds each of them.
    const bound = HEAP_SLACK_BYTES + run.reported * BYTES_PER_HELD_CASE;

    // A day later (the browser's clock; the server's has not moved) the feed lets the finished ones go.
    await page.clock.fastForward('25:00:00');
    await expect(page.locator('.connection[data-link="connected"]')).toBeVisible();
    await expect(wall.staleBanner).toBeHidden({ timeout: 30_000 });
    const dayLater = await wall.heapAfterGc();
    const dayLaterGrowth = dayLater - start;

    const measured = { warmUpCases: warmUp.reported, runCases: run.reported, runClosed: run.closed, reportedToday: after.figures.reported, start, end, growth, perCase: Math.round(growth / run.reported), bound, dayLater, dayLaterGrowth };
    test.info().annotations.push({ type: 'wall heap', description: JSON.stringify(measured) });
    console.log(`wall heap: ${JSON.stringify(measured)}`);
    expect(growth, `heap grew ${growth} B over ${run.reported} cases (bound ${bound} B)`).toBeLessThanOrEqual(bound);
    expect(dayLaterGrowth, `a day later the heap is ${dayLaterGrowth} B above the start`).toBeLessThanOrEqual(HEAP_SLACK_BYTES + (run.reported - run.closed) * BYTES_PER_HELD_CASE);
  });
});
