import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { expect, type CDPSession, type Locator } from '@playwright/test';
import type { OverviewFigures, OverviewResponse } from '../../shared/contracts/overview.js';
import { createServer } from '../../server/src/app.js';
import { DEMO_ARG_OPTIONS, demoOptionsFrom } from '../../server/src/cli/args.js';
import { databaseFile, defaultConfig, type ServerConfig } from '../../server/src/config.js';
import { systemClock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { seedDemoUsers } from '../../server/src/modules/auth/demo-users.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { ConsoleDriver, DEMO_PASSWORD, type DemoUser } from './driver';
import { SMALL_COUNTY, type RunningServer } from './server-process';

/** The figures the wall shows, in the order of `OverviewFigures`. */
export const WALL_FIGURES = ['reported', 'filed', 'dispatched', 'inProgress', 'closed', 'onTimeRate', 'overdueNow', 'teamsOnDuty'] as const satisfies readonly (keyof OverviewFigures)[];

/** Text smaller than this on the wall, at a 1920×1080 screen (twice it at 3840×2160), cannot be read from 6 m (ui-brief.md). */
export const SECONDARY_TEXT_PX_1080P = 20;
export const KEY_FIGURE_PX_1080P = 40;

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const document: { querySelectorAll(selector: string): ArrayLike<unknown> };
declare function getComputedStyle(element: unknown): { fontSize: string; display: string; visibility: string; cursor: string };

/**
 * The e2e county's server in this process, with settings of the test's own: the long run drives
 * the simulator at 900× real time, more requests a minute than a session may make in use.
 * It cannot be restarted; `stop` and `dispose` end it.
 */
export async function startServerInProcess(config: Partial<ServerConfig>): Promise<RunningServer> {
  const dataDir = await mkdtemp(join(tmpdir(), 'gridcommand-e2e-wall-'));
  const db = openDatabase(databaseFile(dataDir));
  seedDemo(db, demoOptionsFrom(parseArgs({ args: SMALL_COUNTY, options: DEMO_ARG_OPTIONS, strict: true }).values));
  const handles = await createServer({ db, clock: systemClock, config: defaultConfig({ port: 0, dataDir, logLevel: 'silent', demo: true, ...config }) });
  await seedDemoUsers(handles.store, handles.users, handles.auth, DEMO_PASSWORD);
  const url = (await handles.listen()).replace(/\/$/, '');
  let stopped: Promise<void> | null = null;
  const stop = () =>
    (stopped ??= handles.close().then(() => {
      db.close();
    }));
  return {
    url,
    dataDir,
    stop,
    restart: () => Promise.reject(new Error('an in-process test server is not restarted')),
    dispose: async () => {
      await stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** The wall (大屏) as a duty officer sees it, driven as given / when / then. */
export class WallDriver extends ConsoleDriver {
  private cdp: CDPSession | null = null;

  // ---------- given ----------

  /** Opens `path` and signs in there, as the person setting up a wall would. */
  async givenTheWallIsOpen(username: DemoUser = 'demo-wall', path = '/wall'): Promise<void> {
    await this.page.goto(`${this.server.url}${path}`);
    await this.whenISignIn(username);
    await this.thenTheWallIsLive();
  }

  // ---------- when ----------

  /** The page's JS heap after a full garbage collection (Chrome DevTools protocol), in bytes. */
  async heapAfterGc(): Promise<number> {
    this.cdp ??= await this.page.context().newCDPSession(this.page);
    // Twice: the first pass finalises what the second frees.
    await this.cdp.send('HeapProfiler.collectGarbage');
    await this.cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await this.cdp.send('Runtime.getHeapUsage');
    return usedSize;
  }

  // ---------- then ----------

  get wall(): Locator {
    return this.page.getByTestId('wall');
  }

  figure(name: (typeof WALL_FIGURES)[number]): Locator {
    return this.page.getByTestId(`wall-figure-${name}`);
  }

  tickerLine(eventId: string): Locator {
    return this.page.getByTestId('wall-ticker').locator(`[data-event-id="${eventId}"]`);
  }

  /** The wall is up: figures read, the county drawn, the feed connected. */
  async thenTheWallIsLive(): Promise<void> {
    await expect(this.wall).toBeVisible();
    await expect(this.page.getByTestId('wall-figures')).toHaveAttribute('data-date', /^\d{4}-\d{2}-\d{2}$/);
    await expect(this.page.locator('.map-view')).toHaveAttribute('data-regions-ready', 'true', { timeout: 60_000 });
    await expect(this.page.locator('.connection[data-link="connected"]')).toBeVisible();
  }

  /** What `GET /api/v1/overview` answers the wall's own session. */
  async overviewForTheWall(query = ''): Promise<OverviewResponse> {
    const response = await this.page.request.get(`${this.server.url}/api/v1/overview${query}`, { headers: { Authorization: `Bearer ${this.tokenTheConsoleUses()}` } });
    expect(response.status()).toBe(200);
    return (await response.json()) as OverviewResponse;
  }

  /** Every figure on the wall as the page holds it. */
  async figuresShown(): Promise<Record<string, string>> {
    const entries = await Promise.all(WALL_FIGURES.map(async (name) => [name, (await this.figure(name).getAttribute('data-value')) ?? ''] as const));
    return Object.fromEntries(entries);
  }

  /** The wall shows exactly the overview the server gives its session (read again until both agree: a push may be on its way). */
  async thenTheFiguresAreTheOverview(query = ''): Promise<OverviewResponse> {
    let overview: OverviewResponse | null = null;
    await expect
      .poll(async () => {
        overview = await this.overviewForTheWall(query);
        const expected = Object.fromEntries(WALL_FIGURES.map((name) => [name, String(overview!.figures[name])]));
        return JSON.stringify(await this.figuresShown()) === JSON.stringify(expected) ? 'equal' : JSON.stringify({ shown: await this.figuresShown(), expected });
      })
      .toBe('equal');
    return overview!;
  }

  /**
   * Every piece of text on the wall outside the map canvas is at least `secondaryPx` tall, and the
   * key figures at least `keyPx`: the sizes ui-brief.md asks for reading from 6 m.
   */
  async thenEveryTextIsReadableFromAfar(secondaryPx: number, keyPx: number): Promise<void> {
    const sizes = await this.page.evaluate(() => {
      const small: string[] = [];
      let texts = 0;
      for (const element of Array.from(document.querySelectorAll('.wall *')) as Array<{ childNodes: ArrayLike<{ nodeType: number; textContent: string | null }>; closest(s: string): unknown; getClientRects(): ArrayLike<unknown> }>) {
        if (element.closest('.maplibregl-map') || element.getClientRects().length === 0) continue;
        const own = Array.from(element.childNodes)
          .filter((n) => n.nodeType === 3)
          .map((n) => (n.textContent ?? '').trim())
          .join('');
        if (!own) continue;
        texts++;
        const px = parseFloat(getComputedStyle(element).fontSize);
        small.push(`${px}|${own.slice(0, 30)}`);
      }
      const keys = (Array.from(document.querySelectorAll('.wall-figure-value')) as unknown[]).map((e) => parseFloat(getComputedStyle(e).fontSize));
      return { small, texts, keys };
    });
    expect(sizes.texts).toBeGreaterThan(40);
    expect(sizes.small.filter((s) => Number(s.split('|')[0]) < secondaryPx)).toEqual([]);
    expect(sizes.keys).toHaveLength(WALL_FIGURES.length);
    expect(Math.min(...sizes.keys)).toBeGreaterThanOrEqual(keyPx);
  }

  /** Nothing on the wall waits for a pointer: no cursor, no zoom buttons, no scale bar. */
  async thenNothingWaitsForAPointer(): Promise<void> {
    await expect(this.page.locator('.maplibregl-ctrl-zoom-in')).toBeHidden();
    await expect(this.page.locator('.maplibregl-ctrl-scale')).toBeHidden();
    expect(await this.page.evaluate(() => getComputedStyle(document.querySelectorAll('.wall canvas')[0]).cursor)).toBe('none');
  }

  async thenTheTickerShows(eventId: string, kind: 'new' | 'overdue'): Promise<void> {
    await expect(this.tickerLine(eventId)).toBeVisible();
    await expect(this.tickerLine(eventId)).toHaveAttribute('data-kind', kind);
  }
}
