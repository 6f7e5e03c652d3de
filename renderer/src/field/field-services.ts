import { io } from 'socket.io-client';
import type { i18n } from 'i18next';
import type { LoginResponse, SessionUser } from '../../../shared/contracts/auth.js';
import type { EventCreated, EventListResponse, EventRecord } from '../../../shared/contracts/events.js';
import type { TeamListResponse, TeamSummary } from '../../../shared/contracts/teams.js';
import type { ActionResult, TimelineResponse } from '../../../shared/contracts/workflow.js';
import { createApiClient, type ApiClient } from '../app/api-client';
import { LiveFeed, type FeedSocket } from '../app/live-feed/live-feed';
import type { EventsSnapshot } from '../app/live-feed/snapshot';
import { SessionStore } from '../app/session/session';
import { createStore, type Store } from '../app/store';
import type { Platform } from '../platform/platform';
import { fieldPost, headerFilename } from './field-api';
import { cutSnippet, MapSnippetStore, type RegionLayer } from './field-map';
import { OutboxStore, type OutboxEntry } from './outbox';
import { OutboxSender } from './outbox-sender';
import { openPhotoStore, type PhotoStore } from './photo-store';
import { alertNewTask } from './beep';
import { currentPosition, PositionTracker, type FieldPosition } from './position';
import { refusalOf, RefusalStore } from './refusals';
import { ServerClock } from './server-clock';
import { FIELD_STATUSES, isNewTaskFor } from './tasks';

const PAGE_SIZE = 1000;

/** The intake body as sent: the photos (already uploaded) go as references, and no photos as none. */
export function intakeBody(body: Record<string, unknown>): Record<string, unknown> {
  const { attachments, ...rest } = body as { attachments?: unknown[] };
  return attachments && attachments.length > 0 ? body : rest;
}

/** The field app's snapshot: the cases in the states it shows (its towns only; the server filters). */
export async function loadFieldSnapshot(api: Pick<ApiClient, 'get'>, signal: AbortSignal): Promise<EventsSnapshot> {
  const items: EventRecord[] = [];
  let seq = Number.POSITIVE_INFINITY;
  for (let page = 1; ; page += 1) {
    const res = await api.get<EventListResponse>('/events', { status: FIELD_STATUSES, page, pageSize: PAGE_SIZE }, { signal });
    items.push(...res.items);
    seq = Math.min(seq, res.seq);
    if (res.items.length === 0 || page * res.pageSize >= res.total) break;
  }
  return { items, seq: Number.isFinite(seq) ? seq : 0 };
}

export interface TeamView {
  team: TeamSummary | null;
  loadedAt: number | null;
}

export interface NewTaskNotice {
  eventId: string;
  itemCode: string;
  itemName: string;
  at: number;
}

export interface FieldServices {
  platform: Platform;
  i18n: i18n;
  api: ApiClient;
  session: SessionStore;
  feed: LiveFeed;
  outbox: OutboxStore;
  sender: OutboxSender;
  /** What the server refused for good, until the worker has read it. */
  refusals: RefusalStore;
  /** The server's time as the phone estimates it: the `madeAt` of what the worker does. */
  clock: ServerClock;
  /** The task maps kept on the phone. */
  maps: MapSnippetStore;
  /** Fetches (online) and keeps the maps of these micro-grids that the phone does not have yet. */
  ensureMaps(microGridIds: readonly string[]): Promise<void>;
  /** The last timeline read of each case opened, for a screen reopened offline. */
  timelines: Map<string, TimelineResponse>;
  photos: PhotoStore;
  tracker: PositionTracker;
  team: Store<TeamView>;
  notices: Store<NewTaskNotice | null>;
  refreshTeam(): Promise<void>;
  /** A fix to attach to an action: the latest (if recent) or a fresh one; null when the phone has none. */
  positionForAction(): Promise<FieldPosition | null>;
  /** POST helper with the session, language and extra headers. */
  post<T>(path: string, body: unknown, headers?: Record<string, string>): Promise<T>;
  login(username: string, password: string): Promise<LoginResponse>;
  logout(): Promise<void>;
  /** Starts the live parts for the signed-in user (feed, outbox, positions); idempotent. */
  startLive(user: SessionUser): void;
  stopLive(): void;
}

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

/** The composition root of the field app: built once, wired to each other. */
export function createFieldServices(platform: Platform, storedToken: string | null, i18n: i18n): FieldServices {
  const session = new SessionStore(platform.tokenVault, storedToken);
  const language = () => (i18n.language === 'en' ? 'en' : 'zh-CN');
  const clock = new ServerClock();
  // Every answer tells the phone how far its clock is from the server's (see server-clock.ts).
  const observedFetch: typeof fetch = async (input, init) => {
    const response = await window.fetch(input, init);
    clock.observe(response.headers.get('date'));
    return response;
  };
  const api = createApiClient({
    baseUrl: platform.serverUrl,
    language,
    token: session.token,
    onUnauthenticated: (token) => session.end('unauthenticated', token),
    fetch: observedFetch,
  });
  const post = <T>(path: string, body: unknown, headers?: Record<string, string>) =>
    fieldPost<T>(path, body, {
      baseUrl: platform.serverUrl,
      token: session.token(),
      language: language(),
      headers,
      onUnauthenticated: (token) => session.end('unauthenticated', token),
      fetch: observedFetch,
    });

  const feed = new LiveFeed({
    loadSnapshot: (_onProgress, signal) => loadFieldSnapshot(api, signal),
    openSocket: (auth): FeedSocket => io(platform.serverUrl || window.location.origin, { auth, reconnectionDelay: 1000, reconnectionDelayMax: 5000 }),
    token: session.token,
    onSessionEnded: (reason) => session.end(reason),
    now: () => Date.now(),
  });

  const team = createStore<TeamView>({ team: null, loadedAt: null });
  const notices = createStore<NewTaskNotice | null>(null);
  const outbox = new OutboxStore(localStorageOrNull());
  const refusals = new RefusalStore(localStorageOrNull());
  const maps = new MapSnippetStore(localStorageOrNull());
  const photos = openPhotoStore();
  const userId = () => session.get().active?.user.id ?? null;
  const teamId = () => session.get().active?.user.teamId ?? null;

  const refreshTeam = async () => {
    const id = teamId();
    if (!id) return;
    try {
      const res = await api.get<TeamListResponse>('/teams');
      team.set({ team: res.items.find((t) => t.id === id) ?? null, loadedAt: Date.now() });
    } catch {
      // shown as before; the connection light tells the worker the network is down
    }
  };

  const sender = new OutboxSender({
    store: outbox,
    userId,
    photos,
    now: () => Date.now(),
    upload: async (blob, name) => {
      const res = await post<{ id: string; name: string }>('/attachments', blob, { 'X-Filename': headerFilename(name) });
      return { id: res.id, name: res.name || name };
    },
    send: (entry, body) => sendEntry(entry, body),
    onDelivered: (entry, answer) => {
      if (answer && typeof answer === 'object' && 'event' in answer) feed.applyOwn((answer as ActionResult | EventCreated).event);
      if (entry.kind !== 'intake') void refreshTeam();
    },
    onRefused: (entry, error, dropped) => {
      refusals.add(refusalOf(entry, error, dropped, Date.now()));
      // the case has moved on without this step: show it as the server has it now
      if (entry.eventId) {
        void api
          .get<EventRecord>(`/events/${entry.eventId}`)
          .then((event) => feed.applyOwn(event))
          .catch(() => undefined);
      }
    },
  });

  async function sendEntry(entry: OutboxEntry, body: Record<string, unknown>): Promise<unknown> {
    const headers = { 'Idempotency-Key': entry.key };
    switch (entry.kind) {
      case 'action':
        return post<ActionResult>(`/events/${entry.eventId}/actions`, body, headers);
      case 'intake':
        return post<EventCreated>('/events', intakeBody(body), headers);
    }
  }

  const tracker = new PositionTracker(async (pos) => {
    const id = teamId();
    if (!id) return;
    // A fresh fix goes without `at` (the server's clock then dates it): a phone's clock may be off.
    const body: Record<string, unknown> = { lon: pos.lon, lat: pos.lat };
    if (Date.now() - pos.at > 10_000) body.at = new Date(pos.at).toISOString();
    if (pos.accuracy !== undefined) body.accuracy = Math.min(100_000, Math.max(0, Math.round(pos.accuracy)));
    if (pos.crs === 'gcj02') body.crs = 'gcj02';
    await post<unknown>(`/teams/${id}/position`, body);
  });

  let live: { userId: string; cleanup: () => void } | null = null;

  /** Team pushes: a status change of the own team, and a full re-read after each resync. */
  function listenToTeam(): () => void {
    const offChanged = feed.on('team:changed', ({ team: changed }) => {
      if (changed.id === teamId()) team.set({ team: changed, loadedAt: Date.now() });
    });
    const offResync = feed.onResync(() => void refreshTeam());
    return () => {
      offChanged();
      offResync();
    };
  }

  const startLive = (user: SessionUser) => {
    if (live?.userId === user.id) return;
    live?.cleanup();
    feed.start();
    sender.start();
    sender.wake();
    void refreshTeam();
    const offChanges = feed.onChanges((changes) => {
      const mine = user.teamId;
      const fresh = changes.filter((c) => isNewTaskFor(mine, c));
      const last = fresh[fresh.length - 1];
      if (last) {
        notices.set({ eventId: last.event.id, itemCode: last.event.itemCode, itemName: last.event.itemName, at: Date.now() });
        alertNewTask();
      }
      if (changes.some((c) => c.event.teamId === mine)) void refreshTeam();
    });
    // The team's status as the server changes it (accept → en route, start → on scene, …).
    const offTeam = listenToTeam();
    // Reconnected: whatever waits goes out now (the socket is the best sign the network is back).
    let lastLink = feed.getView().link;
    const offFeed = feed.subscribe(() => {
      const link = feed.getView().link;
      if (link === 'connected' && lastLink !== 'connected') {
        sender.wake();
        void refreshTeam();
      }
      lastLink = link;
    });
    const onOnline = () => sender.wake();
    window.addEventListener('online', onOnline);
    const onVisibility = () => {
      if (document.visibilityState === 'visible') {
        tracker.start();
        sender.wake();
      } else tracker.stop();
    };
    document.addEventListener('visibilitychange', onVisibility);
    if (document.visibilityState === 'visible') tracker.start();
    live = {
      userId: user.id,
      cleanup: () => {
        offChanges();
        offFeed();
        offTeam();
        window.removeEventListener('online', onOnline);
        document.removeEventListener('visibilitychange', onVisibility);
        tracker.stop();
        sender.stop();
      },
    };
  };

  const stopLive = () => {
    live?.cleanup();
    live = null;
    feed.reset();
    team.set({ team: null, loadedAt: null });
    notices.set(null);
  };

  session.onEnded(() => stopLive());

  // The county's layers are large (the whole county's micro-grids): read once for every map the
  // phone lacks, cut into the small maps it keeps, and let go. The browser's cache and the
  // layers' ETag make a second read cheap.
  let mapsLoading: Promise<void> | null = null;
  const wantedMaps = new Set<string>();
  const ensureMaps = async (ids: readonly string[]): Promise<void> => {
    for (const id of ids) if (!maps.has(id)) wantedMaps.add(id);
    if (wantedMaps.size === 0) return;
    if (mapsLoading) return mapsLoading;
    mapsLoading = (async () => {
      try {
        const [microGrids, grids] = await Promise.all([api.get<RegionLayer>('/geo/microgrid'), api.get<RegionLayer>('/geo/grid')]);
        const wanted = [...wantedMaps];
        wantedMaps.clear();
        maps.put(wanted.flatMap((id) => cutSnippet(id, microGrids, grids) ?? []), Date.now());
      } catch {
        // offline or refused: tried again the next time a task screen opens
      } finally {
        mapsLoading = null;
      }
    })();
    return mapsLoading;
  };

  return {
    platform,
    i18n,
    api,
    session,
    feed,
    outbox,
    sender,
    refusals,
    clock,
    maps,
    ensureMaps,
    timelines: new Map(),
    photos,
    tracker,
    team,
    notices,
    refreshTeam,
    post,
    async positionForAction() {
      const latest = tracker.getLatest();
      if (latest && Date.now() - latest.at < 120_000) return latest;
      return currentPosition(3_000);
    },
    async login(username, password) {
      const res = await api.post<LoginResponse>('/auth/login', { username, password });
      session.begin(res);
      return res;
    },
    async logout() {
      session.expectSignOut();
      await api.post<void>('/auth/logout').catch(() => undefined);
      session.end('signed_out');
    },
    startLive,
    stopLive,
  };
}
