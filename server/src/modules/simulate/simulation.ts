import { io, type Socket } from 'socket.io-client';
import type { CatalogResponse, CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventCreated, EventListResponse, EventRecord, EventStatus } from '../../../../shared/contracts/events.js';
import type { ClientToServerEvents, ServerToClientEvents } from '../../../../shared/contracts/socket.js';
import type { TeamListResponse, TeamSummary } from '../../../../shared/contracts/teams.js';
import type { ActionRequest, RecommendationsResponse } from '../../../../shared/contracts/workflow.js';
import { describe, closingResult } from '../demo/event-text.js';
import { ITEM_WEIGHTS } from '../demo/events.js';
import { personName, PhoneBook } from '../demo/names.js';
import { Random } from '../demo/random.js';
import { expectedArrivals, parseSimulationStart, pickSource, poisson, speedKmh, stepToward, type LonLat } from './day-plan.js';

/**
 * The simulator drives a realistic day against a running server through its real interfaces
 * only (REST + Socket.IO, as people and devices would): reports arrive on the daily curve from
 * the usual channels, the dispatcher files and dispatches them (or the machine does), teams
 * travel to the place, reporting positions on the way, handle the case and report back, and a
 * shift lead verifies and closes it. Separation of duties holds: the duty officer reports, the
 * dispatcher records the team's steps for it, the shift lead verifies.
 */
export interface SimulationOptions {
  url: string;
  /** Average reports per hour over a day (the hour of day shapes it). */
  ratePerHour: number;
  /** Simulated seconds per real second. */
  speed: number;
  /** Real seconds to run; 0 = until stopped. */
  durationSec: number;
  /**
   * The simulated instant the run starts at (ISO text as `parseSimulationStart` reads it). The
   * hour of day sets how many reports arrive, so a run is only repeatable with its start given.
   */
  start: Date | string;
  seed: number;
  password: string;
  /** Real milliseconds between ticks (each tick simulates `tickMs / 1000 × speed` seconds). */
  tickMs?: number;
  /** Stop after this many ticks (tests: the same simulated time however busy the machine is). */
  maxTicks?: number;
  log?: (line: string) => void;
  signal?: AbortSignal;
}

export interface SimulationStats {
  simulatedSeconds: number;
  reported: number;
  filed: number;
  dispatched: number;
  accepted: number;
  started: number;
  handled: number;
  verified: number;
  closed: number;
  positions: number;
  conflicts: number;
  errors: number;
}

interface Tracked {
  id: string;
  status: EventStatus;
  location: LonLat;
  teamId: string | null;
  category: string;
  /** Simulated time (ms) at which the next step is due. */
  nextAt: number;
}

type Who = 'duty' | 'dispatcher' | 'lead' | 'gateway';
const USERS: Record<Who, string> = { duty: 'demo-duty', dispatcher: 'demo-dispatcher', lead: 'demo-lead', gateway: 'demo-gateway' };
const MIN = 60_000;

class Api {
  private tokens = new Map<Who, string>();
  constructor(
    private readonly base: string,
    private readonly password: string,
  ) {}

  async login(who: Who): Promise<string | null> {
    const res = await fetch(new URL('/api/v1/auth/login', this.base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: USERS[who], password: this.password }),
    });
    if (!res.ok) return null;
    const token = ((await res.json()) as { token: string }).token;
    this.tokens.set(who, token);
    return token;
  }

  token(who: Who): string | undefined {
    return this.tokens.get(who);
  }

  async call<T>(who: Who, path: string, init: { method?: string; json?: unknown } = {}): Promise<{ status: number; body: T }> {
    const res = await fetch(new URL(path, this.base), {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${this.tokens.get(who) ?? ''}`, ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }
}

export async function runSimulation(opts: SimulationOptions): Promise<SimulationStats> {
  const log = opts.log ?? (() => undefined);
  const start = parseSimulationStart(opts.start);
  if (!start) throw new Error(`start must be an ISO 8601 day or time, got ${JSON.stringify(String(opts.start))}`);
  const tickMs = opts.tickMs ?? 1000;
  const rng = new Random(opts.seed, 'simulate');
  const phones = new PhoneBook(rng.fork('phones'));
  const api = new Api(opts.url, opts.password);
  const stats: SimulationStats = { simulatedSeconds: 0, reported: 0, filed: 0, dispatched: 0, accepted: 0, started: 0, handled: 0, verified: 0, closed: 0, positions: 0, conflicts: 0, errors: 0 };

  for (const who of ['duty', 'dispatcher', 'lead'] as const) {
    if (!(await api.login(who))) throw new Error(`cannot log in as ${USERS[who]}: is the server in demo mode, and is the password right?`);
  }
  // Positions come from a vehicle-tracking gateway account where the server has one.
  const gateway = await api.login('gateway');
  if (!gateway) log('no demo-gateway account: team positions are not reported (the teams still work their cases)');

  const catalog = (await api.call<CatalogResponse>('duty', '/api/v1/catalog')).body;
  const items = catalog.items.filter((i) => (ITEM_WEIGHTS[i.code] ?? 0) > 0);
  const itemWeights = items.map((i) => ITEM_WEIGHTS[i.code]!);
  const geo = (await api.call<{ features: Array<{ properties: { id: string; name: string; labelLon: number; labelLat: number } }> }>('duty', '/api/v1/geo/microgrid')).body;
  const places = geo.features.map((f) => f.properties);
  const teams = new Map<string, TeamSummary>((await api.call<TeamListResponse>('dispatcher', '/api/v1/teams')).body.items.map((t) => [t.id, t]));
  const teamAt = new Map<string, LonLat>([...teams.values()].map((t) => [t.id, { ...t.location }]));

  const tracked = new Map<string, Tracked>();
  const moving = new Map<string, LonLat>(); // team → target
  const startSeq = (await api.call<EventListResponse>('dispatcher', '/api/v1/events?pageSize=1')).body.seq;
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(opts.url, {
    auth: { token: api.token('dispatcher'), lastSeq: startSeq },
    transports: ['websocket'],
    reconnection: true,
  });
  // Cases change through other hands too (the machine, people at consoles): follow the feed.
  socket.on('event:changed', ({ event }) => {
    const t = tracked.get(event.id);
    if (t) follow(t, event);
  });

  let simNow = start.getTime();
  const follow = (t: Tracked, event: EventRecord) => {
    if (t.status !== event.status) t.nextAt = simNow + rng.range(1, 4) * MIN;
    t.status = event.status;
    t.teamId = event.teamId;
  };

  const weighted = (): CatalogItem => {
    const total = itemWeights.reduce((a, b) => a + b, 0);
    let r = rng.next() * total;
    for (let i = 0; i < items.length; i++) {
      r -= itemWeights[i]!;
      if (r < 0) return items[i]!;
    }
    return items[items.length - 1]!;
  };

  const report = async () => {
    const item = weighted();
    const place = rng.pick(places);
    const source = pickSource(new Date(simNow), rng);
    const hour = new Date(simNow + 8 * 3_600_000).getUTCHours();
    const body = {
      itemCode: item.code,
      description: describe(rng, item.code, source, place.name, hour),
      location: { lon: place.labelLon, lat: place.labelLat },
      source,
      urgency: item.defaultUrgency,
      reporter: { name: personName(rng, rng.chance(0.5) ? 'F' : 'M', 1950 + rng.int(0, 50)), phone: phones.mobile() },
    };
    const res = await api.call<EventCreated>('duty', '/api/v1/events', { method: 'POST', json: body });
    if (res.status !== 201) {
      stats.errors++;
      log(`report refused (${res.status}): ${JSON.stringify(res.body).slice(0, 200)}`);
      return;
    }
    stats.reported++;
    const e = res.body.event;
    tracked.set(e.id, { id: e.id, status: e.status, location: e.location, teamId: e.teamId, category: item.category, nextAt: simNow + rng.range(1, 5) * MIN });
    if (e.status === 'dispatched') stats.dispatched++;
  };

  const act = async (who: Who, t: Tracked, request: ActionRequest): Promise<boolean> => {
    const res = await api.call<{ event: EventRecord }>(who, `/api/v1/events/${t.id}/actions`, { method: 'POST', json: request });
    if (res.status === 200) {
      follow(t, res.body.event);
      return true;
    }
    if (res.status === 409) {
      // Someone else moved the case first (a person at a console): take its real state.
      stats.conflicts++;
      const now = await api.call<EventRecord>('dispatcher', `/api/v1/events/${t.id}`);
      if (now.status === 200) follow(t, now.body);
      return false;
    }
    stats.errors++;
    log(`${request.action} on ${t.id} refused (${res.status}): ${JSON.stringify(res.body).slice(0, 200)}`);
    t.nextAt = simNow + 10 * MIN;
    return false;
  };

  const advance = async (t: Tracked) => {
    switch (t.status) {
      case 'reported':
        if (await act('dispatcher', t, { action: 'file' })) stats.filed++;
        return;
      case 'filed': {
        const recs = await api.call<RecommendationsResponse>('dispatcher', `/api/v1/events/${t.id}/recommendations`);
        const best = recs.status === 200 ? recs.body.recommendations.find((r) => r.eligible) : undefined;
        if (!best) {
          t.nextAt = simNow + 15 * MIN;
          return;
        }
        if (await act('dispatcher', t, { action: 'dispatch', teamId: best.teamId, note: '模拟：按推荐派遣' })) stats.dispatched++;
        return;
      }
      case 'dispatched':
        if (await act('dispatcher', t, { action: 'accept', note: '模拟：电话确认签收' })) {
          stats.accepted++;
          if (t.teamId) moving.set(t.teamId, t.location);
        }
        return;
      case 'accepted':
        // starts when the team arrives (see the movement below)
        if (!t.teamId || !moving.has(t.teamId)) {
          if (await act('dispatcher', t, { action: 'start', position: t.location })) stats.started++;
        }
        return;
      case 'in_progress':
        if (await act('dispatcher', t, { action: 'report', result: closingResult(rng, t.category, false) })) stats.handled++;
        t.nextAt = simNow + rng.range(5, 20) * MIN;
        return;
      case 'handled':
        if (await act('lead', t, { action: 'verify', note: '模拟：回访核实' })) stats.verified++;
        return;
      case 'verified':
        if (await act('lead', t, { action: 'close' })) {
          stats.closed++;
          tracked.delete(t.id);
        }
        return;
      default:
        tracked.delete(t.id);
    }
  };

  const moveTeams = async (seconds: number) => {
    for (const [teamId, target] of [...moving]) {
      const team = teams.get(teamId);
      const from = teamAt.get(teamId);
      if (!team || !from) {
        moving.delete(teamId);
        continue;
      }
      const { at, arrived } = stepToward(from, target, speedKmh(team.type), seconds);
      teamAt.set(teamId, at);
      if (gateway) {
        const res = await api.call('gateway', `/api/v1/teams/${teamId}/position`, { method: 'POST', json: { lon: round6(at.lon), lat: round6(at.lat), accuracy: 15 } });
        if (res.status === 201 || res.status === 200 || res.status === 204) stats.positions++;
        else stats.errors++;
      }
      if (arrived) {
        moving.delete(teamId);
        const t = [...tracked.values()].find((c) => c.teamId === teamId && c.status === 'accepted');
        if (t && (await act('dispatcher', t, { action: 'start', position: { lon: round6(at.lon), lat: round6(at.lat) } }))) {
          stats.started++;
          t.nextAt = simNow + rng.range(10, 40) * MIN;
        }
      }
    }
  };

  // Real time only paces the run and its progress lines; the simulated day runs on simNow.
  const runStarted = Date.now();
  let lastLog = runStarted;
  let ticks = 0;
  try {
    while (
      !opts.signal?.aborted &&
      (opts.durationSec <= 0 || Date.now() - runStarted < opts.durationSec * 1000) &&
      (opts.maxTicks === undefined || ticks++ < opts.maxTicks)
    ) {
      const tickStart = Date.now();
      const simSeconds = (tickMs / 1000) * opts.speed;
      const arrivals = poisson(expectedArrivals(opts.ratePerHour, new Date(simNow), simSeconds), rng);
      for (let i = 0; i < arrivals; i++) await report();
      for (const t of [...tracked.values()]) if (t.nextAt <= simNow && t.status !== 'accepted') await advance(t);
      for (const t of [...tracked.values()]) if (t.status === 'accepted' && t.nextAt <= simNow) await advance(t);
      await moveTeams(simSeconds);
      simNow += simSeconds * 1000;
      stats.simulatedSeconds += simSeconds;
      if (Date.now() - lastLog >= 10_000) {
        lastLog = Date.now();
        log(summary(stats, tracked.size));
      }
      const wait = tickMs - (Date.now() - tickStart);
      if (wait > 0 && opts.maxTicks === undefined) await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    socket.close();
  }
  log(summary(stats, tracked.size));
  return stats;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function summary(s: SimulationStats, open: number): string {
  return `simulated ${(s.simulatedSeconds / 3600).toFixed(1)} h: reported ${s.reported}, filed ${s.filed}, dispatched ${s.dispatched}, started ${s.started}, handled ${s.handled}, closed ${s.closed}, open ${open}, positions ${s.positions}, conflicts ${s.conflicts}, errors ${s.errors}`;
}
