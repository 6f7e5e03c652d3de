import { expect, type Locator, type Page } from '@playwright/test';
import type { LoginResponse } from '../../shared/contracts/auth.js';
import type { CatalogItem, CatalogResponse } from '../../shared/contracts/catalog.js';
import type { EventCreated, EventIntake, EventRecord, EventStatus } from '../../shared/contracts/events.js';
import type { RegionLevel, RegionsResponse } from '../../shared/contracts/regions.js';
import type { AlertListResponse } from '../../shared/contracts/alerts.js';
import type { TeamListResponse, TeamPositionReport, TeamPositionResult } from '../../shared/contracts/teams.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import type { RunningServer } from './server-process';

/** The console's read-only map probe (renderer/src/map/map-probe.ts), as the page exposes it. */
interface MapProbe {
  readonly ready: boolean;
  zoom(): number;
  eventIds(): Promise<string[]>;
  renderedEventIds(): string[];
  renderedClusters(): { count: number; worst: number; overdue: number; x: number; y: number }[];
  clusterPagePointOf(id: string): Promise<{ x: number; y: number } | null>;
  renderedTeamTowns(): { id: string; total: number; available: number; en_route: number; on_scene: number; busy: number; off_duty: number }[];
  layers(): Record<MapLayerSwitch, boolean>;
  layerShown(layerId: string): boolean;
  labelsOverMarkers(): string[];
  renderedRegionCount(level: RegionLevel): number;
  selectedEventId(): string | null;
  eventPagePoint(id: string): { x: number; y: number } | null;
  teams(): Promise<{ id: string; lon: number; lat: number; status: string }[]>;
  renderedTeamIds(): string[];
  teamPagePoint(id: string): { x: number; y: number } | null;
  selectedTeamId(): string | null;
  trailPointCount(): number;
}

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: MapProbe } };

/** The map's layer switches (renderer/src/map/layer-switches.ts). */
export type MapLayerSwitch = 'new' | 'active' | 'review' | 'done' | 'teams' | 'grids' | 'microGrids' | 'heat';

/** The console's queue tabs (renderer/src/features/events-queue/queue-tabs.ts). */
export type QueueTab = 'new' | 'toFile' | 'toDispatch' | 'inProgress' | 'toVerify' | 'overdue' | 'notAdmitted';

export interface MicroGridCollection {
  features: { properties: { id: string; labelLon: number; labelLat: number } }[];
}

/** A case reported for a loop test, and the field team it belongs to. */
export interface ReportedCase {
  event: EventRecord;
  item: CatalogItem;
  /** The team of `demo-field`, whose home village holds the case. */
  teamId: string;
  teamName: string;
}

/** The demo users a server started with `--demo` has (server/src/modules/auth/demo-users.ts). */
export type DemoUser =
  | 'demo-dispatcher'
  | 'demo-duty'
  | 'demo-lead'
  | 'demo-field'
  | 'demo-approver'
  | 'demo-sysadmin'
  | 'demo-secadmin'
  | 'demo-auditor'
  | 'demo-wall'
  | 'demo-town-dispatcher'
  | 'demo-gridoffice'
  | 'demo-town-gridoffice'
  | 'demo-gateway'
  // on a city or province platform only: T县's dispatcher (市级交办 lands in its queue)
  | 'demo-county';

/** The same password the e2e server seeded its demo users with. */
export const DEMO_PASSWORD = process.env.GRIDCOMMAND_DEMO_PASSWORD || 'GridDemo#2026';

/**
 * REST sessions of the tests themselves, one per server and user, shared by the tests of a
 * worker: the login route is rate-limited per address, and the console's own logins count too.
 */
const restSessions = new Map<string, { session: Promise<LoginResponse>; usedAt: number }>();
/**
 * A cached REST session is used again only while well inside the server's idle timeout (30 min of
 * its clock, real time in e2e): a worker's specs run for most of an hour on a loaded machine, and
 * one left unused that long has ended.
 */
const REST_SESSION_REUSE_MS = 10 * 60_000;

/**
 * UI actions and checks of the console, phrased as given / when / then, so specs read as one
 * behaviour each. The map draws into a canvas, so map checks go through the read-only probe
 * the console exposes at `window.__gridcommand.map`.
 */
export class ConsoleDriver {
  /** The bearer token the console itself last sent, read off its requests. */
  private consoleToken: string | null = null;

  constructor(
    readonly page: Page,
    readonly server: RunningServer,
  ) {
    page.on('request', (request) => {
      const authorization = request.headers().authorization;
      if (authorization?.startsWith('Bearer ')) this.consoleToken = authorization.slice('Bearer '.length);
    });
  }

  // ---------- given ----------

  /** Opens the console, signs in through its login screen and waits for the county and its events. */
  async givenLoggedIn(username: DemoUser): Promise<void> {
    await this.whenIOpenTheConsole();
    await this.whenISignIn(username);
    await this.thenTheConsoleIsLive();
  }

  /** Opens (reloads) the console with the session the tab already has, and waits for it to be live. */
  async givenTheConsoleIsOpen(): Promise<void> {
    await this.whenIOpenTheConsole();
    await this.thenTheConsoleIsLive();
  }

  /** Every API request from the page fails as if the server were unreachable. */
  async givenTheApiIsUnreachable(): Promise<void> {
    await this.page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  }

  async givenTheApiIsReachableAgain(): Promise<void> {
    await this.page.unroute('**/api/v1/**');
  }

  /** Reports an event through the API (as the demo dispatcher), at a micro-grid's label point (inside the county). */
  async givenAnEventIsReported(overrides: Partial<EventIntake> = {}): Promise<EventRecord> {
    const catalog = await this.api<CatalogResponse>('/catalog');
    const microGrids = await this.api<MicroGridCollection>('/geo/microgrid');
    // An item that admits the urgency asked for (each item lists the urgencies it may have).
    const urgency = overrides.urgency ?? 'P0';
    const item = catalog.items.find((i) => i.defaultUrgency === urgency) ?? catalog.items.find((i) => i.urgencies.includes(urgency));
    const place = microGrids.features[Math.floor(microGrids.features.length / 2)]?.properties;
    if (!item || !place) throw new Error('the demo county has no catalog items or micro-grids');
    const body: EventIntake = {
      itemCode: item.code,
      description: `端到端测试：${item.name}，请立即核实处置`,
      location: { lon: place.labelLon, lat: place.labelLat },
      source: 'hotline_12345',
      urgency,
      reporter: { name: '测试员', phone: '13800138000' },
      ...overrides,
    };
    const { token } = await this.restLogin('demo-dispatcher');
    const response = await this.page.request.post(`${this.server.url}/api/v1/events`, { data: body, headers: { Authorization: `Bearer ${token}` } });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as EventCreated).event;
  }

  /**
   * Reports, as `by`, a case the dispatcher must file and dispatch by hand (its item is not
   * auto-dispatched at that urgency and needs verification) in the home village of demo-field's
   * team, so that team ranks among the recommendations.
   */
  async givenACaseForTheFieldTeam(by: DemoUser, description = '端到端测试：楼道电动车飞线充电，存在火灾隐患'): Promise<ReportedCase> {
    const { user: field } = await this.restLogin('demo-field');
    if (!field.teamId) throw new Error('demo-field has no team (users.team_id)');
    const teams = await this.api<TeamListResponse>('/teams', by);
    const team = teams.items.find((t) => t.id === field.teamId);
    if (!team) throw new Error(`team ${field.teamId} is not listed`);
    const catalog = await this.api<CatalogResponse>('/catalog', by);
    const item =
      catalog.items.find((i) => i.teamType === team.type && i.verificationRequired && !i.autoDispatch?.urgencies.includes(i.defaultUrgency)) ??
      catalog.items.find((i) => i.verificationRequired && !i.autoDispatch?.urgencies.includes(i.defaultUrgency));
    if (!item) throw new Error('the demo catalog has no item that waits for a dispatcher');
    const microGrids = await this.api<MicroGridCollection>('/geo/microgrid', by);
    const place = microGrids.features.find((f) => f.properties.id.startsWith(team.homeRegionId))?.properties;
    if (!place) throw new Error(`no micro-grid in ${team.homeRegionId}`);
    const event = await this.reportAs(by, {
      itemCode: item.code,
      description,
      location: { lon: place.labelLon, lat: place.labelLat },
      source: 'hotline_12345',
      urgency: item.defaultUrgency,
      reporter: { name: '端到端', phone: '13800138000' },
    });
    return { event, item, teamId: team.id, teamName: team.name };
  }

  /** `POST /api/v1/events` as a demo user. */
  async reportAs(as: DemoUser, body: EventIntake): Promise<EventRecord> {
    const { token } = await this.restLogin(as);
    const response = await this.page.request.post(`${this.server.url}/api/v1/events`, { data: body, headers: { Authorization: `Bearer ${token}` } });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as EventCreated).event;
  }

  /** An action on a case through the API as a demo user (a field team's steps, say); it must succeed. */
  async actAs(as: DemoUser, eventId: string, request: ActionRequest): Promise<ActionResult> {
    const { token } = await this.restLogin(as);
    const response = await this.page.request.post(`${this.server.url}/api/v1/events/${eventId}/actions`, { data: request, headers: { Authorization: `Bearer ${token}` } });
    expect(response.status(), `${request.action} as ${as}: ${await response.text()}`).toBe(200);
    return (await response.json()) as ActionResult;
  }

  /** `POST /api/v1/teams/{id}/position` as a field worker of that team (the field app's report). */
  async reportPositionAs(as: DemoUser, teamId: string, report: TeamPositionReport): Promise<TeamPositionResult> {
    const { token } = await this.restLogin(as);
    const response = await this.page.request.post(`${this.server.url}/api/v1/teams/${teamId}/position`, { data: report, headers: { Authorization: `Bearer ${token}` } });
    expect(response.status(), `position as ${as}: ${await response.text()}`).toBe(200);
    return (await response.json()) as TeamPositionResult;
  }

  /** The team of demo-field (users.team_id), as the API lists it to the dispatcher. */
  async fieldTeam(): Promise<TeamListResponse['items'][number]> {
    const { user } = await this.restLogin('demo-field');
    const teams = await this.api<TeamListResponse>('/teams');
    const team = teams.items.find((t) => t.id === user.teamId);
    if (!team) throw new Error(`demo-field's team ${user.teamId} is not listed`);
    return team;
  }

  /** Ids of the open alerts the server holds for the dispatcher. */
  async openAlertIds(): Promise<string[]> {
    return (await this.api<AlertListResponse>('/alerts?state=open')).items.map((a) => a.id);
  }

  /** Signs in through `POST /api/v1/auth/login` (once per server and user) for the test's own API calls. */
  async restLogin(username: DemoUser): Promise<LoginResponse> {
    const key = `${this.server.dataDir}|${username}`;
    const cached = restSessions.get(key);
    if (cached && Date.now() - cached.usedAt < REST_SESSION_REUSE_MS) {
      cached.usedAt = Date.now();
      return cached.session;
    }
    const session = this.page.request.post(`${this.server.url}/api/v1/auth/login`, { data: { username, password: DEMO_PASSWORD } }).then(async (response) => {
      expect(response.status(), `login ${username}: ${await response.text()}`).toBe(200);
      return (await response.json()) as LoginResponse;
    });
    restSessions.set(key, { session, usedAt: Date.now() });
    session.catch(() => restSessions.delete(key));
    return session;
  }

  /** `GET /api/v1…` with a bearer token of `as` (the demo dispatcher unless told). */
  async api<T>(path: string, as: DemoUser = 'demo-dispatcher'): Promise<T> {
    const get = async () => this.page.request.get(`${this.server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${(await this.restLogin(as)).token}` } });
    let response = await get();
    if (response.status() === 401) {
      // the cached session ended (its idle timeout, a spec that ended the user's sessions): sign in again
      restSessions.delete(`${this.server.dataDir}|${as}`);
      response = await get();
    }
    expect(response.ok(), `GET ${path} as ${as}: ${response.status()}`).toBe(true);
    return (await response.json()) as T;
  }

  /** The status the API answers `GET path` with, for a given bearer token. */
  async apiStatusWithToken(path: string, token: string): Promise<number> {
    const response = await this.page.request.get(`${this.server.url}/api/v1${path}`, { headers: { Authorization: `Bearer ${token}` } });
    return response.status();
  }

  /** The token the console is using now (as seen on its last API request). */
  tokenTheConsoleUses(): string {
    if (!this.consoleToken) throw new Error('the console has not sent an authenticated request yet');
    return this.consoleToken;
  }

  // ---------- when ----------

  async whenIOpenTheConsole(): Promise<void> {
    await this.page.goto(this.server.url);
  }

  /** Fills the login form and submits it with Enter, as a dispatcher at the keyboard would. */
  async whenISignIn(username: DemoUser, password: string = DEMO_PASSWORD): Promise<void> {
    await expect(this.loginScreen).toBeVisible();
    await this.usernameField.fill(username);
    await this.passwordField.fill(password);
    await this.passwordField.press('Enter');
  }

  /** The console's session is ended from elsewhere (as another window signing out would). */
  async whenTheSessionIsEndedElsewhere(): Promise<void> {
    const response = await this.page.request.post(`${this.server.url}/api/v1/auth/logout`, {
      headers: { Authorization: `Bearer ${this.tokenTheConsoleUses()}` },
    });
    expect(response.status()).toBe(204);
  }

  /** Signs out with the top bar's (or the account screen's) button. */
  async whenISignOut(): Promise<void> {
    await this.page.getByTestId('logout').click();
  }

  async whenIRetry(): Promise<void> {
    await this.errorPanel.getByRole('button').click();
  }

  async whenIOpenTab(tab: QueueTab): Promise<void> {
    await this.page.locator(`.queue-tab[data-tab="${tab}"]`).click();
    await expect(this.page.locator(`.queue-tab[data-tab="${tab}"]`)).toHaveAttribute('aria-selected', 'true');
  }

  /**
   * Clicks the case's row, scrolling the queue down to it as a dispatcher would: the list draws
   * only the rows in view, and other specs' cases may put this one below the fold.
   */
  async whenISelectTheRow(eventId: string): Promise<void> {
    await this.scrollTheQueueTo(eventId);
    await this.queueRow(eventId).click();
  }

  private async scrollTheQueueTo(eventId: string): Promise<void> {
    const row = this.queueRow(eventId);
    const list = this.page.locator('.queue-list');
    await expect(list).toBeVisible();
    for (let page = 0; page < 40 && (await row.count()) === 0; page++) {
      const { top, height, end } = await list.evaluate((el) => ({ top: el.scrollTop, height: el.clientHeight, end: el.scrollHeight }));
      // The case may still be arriving: at the end of the list, start again from the top.
      await list.evaluate((el, next) => el.scrollTo({ top: next }), top + height >= end ? 0 : top + height * 0.8);
      await this.page.waitForTimeout(100);
    }
  }

  /** Flips between Chinese and English with the top bar's switch. */
  async whenISwitchTheLanguage(): Promise<void> {
    const before = await this.page.locator('html').getAttribute('lang');
    await this.page.locator('.lang-switch').click();
    await expect(this.page.locator('html')).not.toHaveAttribute('lang', before ?? '');
  }

  /**
   * Clicks the bubble holding an event until the event is drawn as its own marker, as a
   * dispatcher opens bubbles at county and town zoom (each click zooms to where it parts).
   */
  async whenIOpenTheBubbleHolding(eventId: string): Promise<void> {
    for (let click = 0; click < 8; click++) {
      if (await this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId)) return;
      const bubble = await this.page.evaluate((id) => window.__gridcommand?.map?.clusterPagePointOf(id) ?? Promise.resolve(null), eventId);
      if (!bubble) {
        // the camera is still moving or the tiles reloading: ask again
        await this.page.waitForTimeout(250);
        continue;
      }
      const before = await this.mapZoom();
      await this.page.mouse.click(bubble.x, bubble.y);
      await expect.poll(() => this.mapZoom()).toBeGreaterThan(before);
      await this.thenTheMapIsStill();
    }
    await expect.poll(() => this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId)).not.toBeNull();
  }

  /** Switches a map layer on or off with its checkbox in the layers panel (opening the panel if closed). */
  async whenISwitchTheMapLayer(name: MapLayerSwitch, on: boolean): Promise<void> {
    const panel = this.page.getByTestId('map-layers');
    const toggle = panel.locator('.map-layers-toggle');
    if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
    await panel.locator(`input[data-layer="${name}"]`).setChecked(on);
    await expect.poll(() => this.mapLayers().then((l) => l[name])).toBe(on);
  }

  /** Clicks an event's marker on the map canvas. */
  async whenIClickTheMarker(eventId: string): Promise<void> {
    await expect.poll(() => this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId)).not.toBeNull();
    const point = await this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId);
    if (!point) throw new Error(`marker ${eventId} is not drawn`);
    await this.page.mouse.click(point.x, point.y);
  }

  async whenIPress(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }

  /**
   * Goes to the case's row by keyboard: its tab's digit, then j/k until it is selected, then
   * Enter. The list draws only the rows in view and the case may sit below the fold (the demo's
   * open cases depend on the hour it was seeded at), so the rows are counted by their place in the
   * list, not among the drawn ones, and the count is taken again if a live case moved them.
   */
  async whenISelectByKeyboard(eventId: string, tabDigit: string): Promise<void> {
    await this.whenIPress(tabDigit);
    const list = this.page.locator('.queue-list');
    const target = this.queueRow(eventId);
    for (let attempt = 0; attempt < 4; attempt++) {
      await this.scrollTheQueueTo(eventId);
      await expect(target).toBeAttached();
      const at = await this.queueRowIndex(target);
      let selectedId = await list.getAttribute('aria-activedescendant');
      if (!selectedId || (await this.page.locator(`#${selectedId}`).count()) === 0) {
        // nothing selected, or the selection scrolled away: j selects (or moves to) a row and shows it
        await this.whenIPress('j');
        selectedId = await list.getAttribute('aria-activedescendant');
      }
      if (!selectedId) throw new Error('j selected no row of the queue');
      const from = await this.queueRowIndex(this.page.locator(`#${selectedId}`));
      const steps = at - from;
      for (let i = 0; i < Math.abs(steps); i++) await this.whenIPress(steps > 0 ? 'j' : 'k');
      if ((await target.getAttribute('aria-selected')) === 'true') break;
    }
    await expect(target).toHaveAttribute('aria-selected', 'true');
    await this.whenIPress('Enter');
    await expect(this.detail).toHaveAttribute('data-event-id', eventId);
  }

  /** A drawn row's place in its tab's list (rows are laid out at index × row height). */
  private async queueRowIndex(row: Locator): Promise<number> {
    return row.evaluate((el) => {
      const box = el.getBoundingClientRect();
      const rows = el.parentElement?.getBoundingClientRect();
      if (!rows) throw new Error('a queue row outside its list');
      return Math.round((box.top - rows.top) / box.height);
    });
  }

  /** In the open dispatch dialog, picks a team with the arrow keys (as the dispatcher would). */
  async whenIChooseTheTeam(teamId: string): Promise<void> {
    const options = this.dispatchDialog.locator('.rec');
    await expect(options.first()).toBeVisible();
    await expect(this.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`)).toBeVisible();
    const ids = await options.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-team-id')));
    const target = ids.indexOf(teamId);
    const current = await options.evaluateAll((rows) => rows.findIndex((r) => r.getAttribute('aria-selected') === 'true'));
    const key = target > current ? 'ArrowDown' : 'ArrowUp';
    for (let i = 0; i < Math.abs(target - current); i++) await this.whenIPress(key);
    await expect(this.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`)).toHaveAttribute('aria-selected', 'true');
  }

  /** Opens the team board with its key. */
  async whenIOpenTheTeamBoard(): Promise<void> {
    await this.whenIPress('g');
    await expect(this.teamBoard).toBeVisible();
  }

  /** Drags a queue row onto a team's row on the board (HTML drag and drop, as with the mouse). */
  async whenIDragTheRowOntoTheTeam(eventId: string, teamId: string): Promise<void> {
    await this.queueRow(eventId).dragTo(this.teamRow(teamId));
  }

  /** Drags a queue row onto a team's marker on the map. */
  async whenIDragTheRowOntoTheTeamMarker(eventId: string, teamId: string): Promise<void> {
    await expect.poll(() => this.page.evaluate((id) => window.__gridcommand?.map?.teamPagePoint(id) ?? null, teamId)).not.toBeNull();
    const point = await this.page.evaluate((id) => window.__gridcommand?.map?.teamPagePoint(id) ?? null, teamId);
    if (!point) throw new Error(`team ${teamId} is not drawn`);
    const box = await this.page.locator('.map-canvas').boundingBox();
    if (!box) throw new Error('no map');
    await this.queueRow(eventId).dragTo(this.page.locator('.map-canvas'), { targetPosition: { x: point.x - box.x, y: point.y - box.y } });
  }

  async whenTheServerStops(): Promise<void> {
    await this.server.stop();
  }

  async whenTheServerRestarts(): Promise<void> {
    await this.server.restart();
  }

  // ---------- then ----------

  get loginScreen(): Locator {
    return this.page.getByTestId('login-screen');
  }

  get usernameField(): Locator {
    return this.loginScreen.getByLabel('用户名', { exact: true });
  }

  get passwordField(): Locator {
    return this.loginScreen.getByLabel('口令', { exact: true });
  }

  get loginError(): Locator {
    return this.page.getByTestId('login-error');
  }

  get userMenu(): Locator {
    return this.page.getByTestId('user-menu');
  }

  /** The map console is up: county drawn, events loaded, the socket connected. */
  async thenTheConsoleIsLive(): Promise<void> {
    await this.thenTheCountyIsShown();
    await expect(this.page.getByTestId('loading-panel')).toBeHidden();
    await expect(this.page.locator('.connection[data-link="connected"]')).toBeVisible();
  }

  /** Back at the login: the form is there and nothing of the console is. */
  async thenTheLoginIsShown(): Promise<void> {
    await expect(this.loginScreen).toBeVisible();
    await expect(this.usernameField).toBeVisible();
    await expect(this.page.locator('.map-pane')).toHaveCount(0);
  }

  queueRow(eventId: string): Locator {
    return this.page.locator(`.queue-row[data-event-id="${eventId}"]`);
  }

  get detail(): Locator {
    return this.page.getByTestId('event-detail');
  }

  get dispatchDialog(): Locator {
    return this.page.getByTestId('dialog-dispatch');
  }

  get actionProblem(): Locator {
    return this.page.getByTestId('action-problem');
  }

  /** The case in the detail panel has this status (its state, not the label, so any language). */
  async thenTheCaseIs(status: EventStatus): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-status', status);
  }

  /** The timeline in the detail panel holds, newest first, these entries (action names) on top. */
  async thenTheTimelineBeginsWith(...actions: string[]): Promise<void> {
    const entries = this.detail.locator('[data-testid="timeline"] > .tl-list:not([data-master]) > .tl-entry');
    await expect.poll(async () => (await entries.evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).slice(0, actions.length)).toEqual(actions);
  }

  /** The action bar offers exactly these actions (by name), in this order. */
  async thenTheOfferedActionsAre(...actions: string[]): Promise<void> {
    await expect.poll(() => this.detail.locator('.action-button').evaluateAll((els) => els.map((el) => el.getAttribute('data-action')))).toEqual(actions);
  }

  get teamBoard(): Locator {
    return this.page.getByTestId('team-board');
  }

  teamRow(teamId: string): Locator {
    return this.teamBoard.locator(`.team-row[data-team-id="${teamId}"]`);
  }

  /** The server alert about a case, in the banner over the map. */
  alertAbout(eventId: string): Locator {
    return this.page.locator(`[data-testid="server-alert"][data-event-id="${eventId}"]`);
  }

  async mapTeams(): Promise<{ id: string; lon: number; lat: number; status: string }[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.teams() ?? Promise.resolve([]));
  }

  async renderedTeamIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedTeamIds() ?? []);
  }

  async selectedTeamOnMap(): Promise<string | null> {
    return this.page.evaluate(() => window.__gridcommand?.map?.selectedTeamId() ?? null);
  }

  async trailPointCount(): Promise<number> {
    return this.page.evaluate(() => window.__gridcommand?.map?.trailPointCount() ?? 0);
  }

  /** The map draws this team's marker at (about) this position. */
  async thenTheTeamMarkerIsAt(teamId: string, lon: number, lat: number): Promise<void> {
    await expect
      .poll(async () => {
        const team = (await this.mapTeams()).find((t) => t.id === teamId);
        return team ? Math.abs(team.lon - lon) < 1e-6 && Math.abs(team.lat - lat) < 1e-6 : false;
      })
      .toBe(true);
  }

  get errorPanel(): Locator {
    return this.page.getByTestId('error-panel');
  }

  get staleBanner(): Locator {
    return this.page.getByTestId('stale-banner');
  }

  async thenTheFeedIsShownAsInterrupted(): Promise<void> {
    await expect(this.staleBanner).toBeVisible();
    await expect(this.staleBanner).toContainText('数据已中断');
    await expect(this.page.locator('.connection')).not.toHaveAttribute('data-link', 'connected');
  }

  async thenTheCountyIsShown(): Promise<void> {
    const regions = await this.api<RegionsResponse>('/regions');
    await expect(this.page.getByTestId('county-name')).toHaveText(regions.county.name);
    await expect.poll(() => this.page.evaluate(() => window.__gridcommand?.map?.ready ?? false), { timeout: 60_000 }).toBe(true);
    // drawn once the map's sources have loaded: as long as the map's own readiness on a loaded machine
    await expect.poll(() => this.renderedRegionCount('town'), { timeout: 60_000 }).toBe(regions.totals.towns);
  }

  async renderedRegionCount(level: RegionLevel): Promise<number> {
    return this.page.evaluate((lvl) => window.__gridcommand?.map?.renderedRegionCount(lvl) ?? 0, level);
  }

  async mapEventIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.eventIds() ?? Promise.resolve([]));
  }

  async renderedEventIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedEventIds() ?? []);
  }

  async selectedOnMap(): Promise<string | null> {
    return this.page.evaluate(() => window.__gridcommand?.map?.selectedEventId() ?? null);
  }

  async thenTheEventIsInTheQueue(eventId: string): Promise<void> {
    await this.scrollTheQueueTo(eventId);
    await expect(this.queueRow(eventId)).toBeVisible();
  }

  /** The event is in the map's data and drawn: as its own marker, or counted in a drawn bubble at county and town zoom. */
  async thenTheEventIsOnTheMap(eventId: string): Promise<void> {
    await expect.poll(() => this.mapEventIds()).toContain(eventId);
    await expect
      .poll(async () => (await this.renderedEventIds()).includes(eventId) || (await this.page.evaluate((id) => window.__gridcommand?.map?.clusterPagePointOf(id) ?? Promise.resolve(null), eventId)) !== null)
      .toBe(true);
  }

  /** Where the bubble holding an event is drawn (page pixels), or null when it is not in a drawn bubble. */
  async bubbleHolding(eventId: string): Promise<{ x: number; y: number } | null> {
    return this.page.evaluate((id) => window.__gridcommand?.map?.clusterPagePointOf(id) ?? Promise.resolve(null), eventId);
  }

  async mapZoom(): Promise<number> {
    return this.page.evaluate(() => window.__gridcommand?.map?.zoom() ?? 0);
  }

  async renderedClusters(): Promise<{ count: number; worst: number; overdue: number; x: number; y: number }[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedClusters() ?? []);
  }

  async renderedTeamTowns(): Promise<{ id: string; total: number }[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedTeamTowns() ?? []);
  }

  async mapLayers(): Promise<Record<MapLayerSwitch, boolean>> {
    return this.page.evaluate(() => window.__gridcommand?.map?.layers() ?? ({} as Record<MapLayerSwitch, boolean>));
  }

  async mapLayerShown(layerId: string): Promise<boolean> {
    return this.page.evaluate((id) => window.__gridcommand?.map?.layerShown(id) ?? false, layerId);
  }

  async labelsOverMarkers(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.labelsOverMarkers() ?? []);
  }

  /** The camera has stopped (two reads of the zoom a moment apart agree). */
  async thenTheMapIsStill(): Promise<void> {
    let last = -1;
    await expect
      .poll(async () => {
        const zoom = await this.mapZoom();
        const still = zoom === last;
        last = zoom;
        return still;
      }, { intervals: [300] })
      .toBe(true);
  }

  async thenTheDetailShows(event: EventRecord): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-event-id', event.id);
    await expect(this.detail).toContainText(event.id);
    await expect(this.detail).toContainText(event.itemName);
    await expect(this.detail).toContainText(event.reporter.name);
  }

  async thenTheMapHighlights(eventId: string): Promise<void> {
    await expect.poll(() => this.selectedOnMap()).toBe(eventId);
    await expect.poll(() => this.renderedEventIds()).toContain(eventId);
  }
}
