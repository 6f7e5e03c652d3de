import type { Server, Socket } from 'socket.io';
import { socketAuthSchema, type ClientToServerEvents, type ServerToClientEvents } from '../../../../shared/contracts/socket.js';
import type { Bus, TeamMoved } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { Ticker } from '../../core/ticker.js';
import { ApiHttpError, zodFields } from '../../http/errors.js';
import { langFrom } from '../../http/messages.js';
import { areaRooms, audienceRooms, viewerRooms } from '../../http/socket-rooms.js';
import { sendMeter } from '../../http/socket-send-budget.js';
import type { ChangeFeed } from './change-feed.js';
import { ReplayPump } from './replay-pump.js';
import { accessDenial, accessError } from '../auth/auth.plugin.js';
import { who, type AccessVerdict, type AuthService, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { DenialLog } from '../auth/denial-log.js';
import type { EventsRepo } from './events.repo.js';
import { eventView, inScope, seesPersonalData } from './event-view.js';

export interface SocketData {
  lastSeq: number | undefined;
  token: string;
  principal: Principal;
}
/**
 * What the server nodes tell each other (http/socket-nodes.ts): a node committed a case change
 * with this seq; a team reported a position to a node (each node batches moves for its own sockets).
 */
export interface InterServerEvents {
  'feed:nudge': (seq: number) => void;
  'team:moved': (move: TeamMoved) => void;
}
export type GridServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
type GridSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/**
 * Packets a socket may have waiting to be written before its replay waits for them to drain: a
 * slow link gets the replay at its own pace, and the server does not hold 10,000 changes in
 * memory for it.
 */
const SEND_BUDGET_PACKETS = 1_000;
/** How long a replay waits for a socket that does not drain before cutting it (it resyncs on reconnect). */
const DRAIN_TIMEOUT_MS = 30_000;
/** Commands a socket may send per window; a console pings every 10 s. */
const COMMANDS_PER_WINDOW = 30;
const COMMAND_WINDOW_MS = 10_000;
/** How often live sockets are checked against their session (idle timeout, lifetime, disable). */
const SESSION_SWEEP_MS = 15_000;

/** A socket joins the rooms of the towns it may see, in the view its roles allow. */
const roomsOf = (p: Principal): string[] => [...viewerRooms(p.user.scope, seesPersonalData(p.user.roles) ? 'full' : 'masked'), ...areaRooms(p.user.scope)];

/** What a console is told when its socket ends: a session that lapsed (log in again) or access withdrawn. */
const endReason = (code: string): 'expired' | 'disabled' => (code === 'unauthenticated' || code === 'password_expired' ? 'expired' : 'disabled');

function connectError(code: string, data: Record<string, unknown> = {}) {
  const err = new Error(code) as Error & { data?: unknown };
  err.data = { code, ...data };
  return err;
}

/**
 * The live feed: a client that connects with `auth: { token, lastSeq }` first receives every
 * change after lastSeq that its scope allows, from the database, in order, then live ones.
 * A long replay goes a step at a time through the replay pump. It reads the log up to the last
 * seq the node's change feed has relayed, and its last stretch and the joining of the live rooms
 * happen in one synchronous turn, between two relays: the rooms bring every change after that
 * seq, so none falls between the two or arrives twice (with several nodes too, where the feed
 * trails the log by the changes it has yet to read).
 */
export function registerEventSocket(
  io: GridServer,
  deps: {
    repo: EventsRepo;
    bus: Bus;
    /** The node's relay of case changes: a replay reads the log up to what it has relayed, the live rooms take the rest. */
    feed: Pick<ChangeFeed, 'lastRelayed'>;
    clock: Clock;
    replayLimit: number;
    /** Changes a replay sends in one step (config.replayBatch). */
    replayBatch: number;
    /** Time the replays may take of one turn of the event loop before other work runs (config.replayTurnMs). */
    replayTurnMs: number;
    auth: AuthService;
    denials: DenialLog;
    onError: (err: unknown) => void;
  },
): () => void {
  const bySession = new Map<string, Set<GridSocket>>();
  const pump = new ReplayPump(deps.replayTurnMs, deps.onError);
  const contextOf = (socket: GridSocket): RequestContext => ({
    sourceIp: socket.handshake.address ?? null,
    client: String(socket.handshake.headers['user-agent'] ?? '').slice(0, 200) || null,
  });

  // The same access check as REST (AuthService.authorize): a live session (API keys are not for
  // the live feed), the permission, an unexpired password, roles that keep the separation rules.
  // The check is an awaited read of the store; a failing read refuses the connection.
  io.use(async (socket, next) => {
    const parsed = socketAuthSchema.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success) {
      next(connectError('invalid_auth', { fields: zodFields(parsed.error, 'auth').map((f) => ({ field: f.field, code: f.code })) }));
      return;
    }
    let verdict: AccessVerdict;
    try {
      verdict = await deps.auth.authorize({ token: parsed.data.token }, 'events:read', { sessionOnly: true });
    } catch (err) {
      deps.onError(err);
      next(new Error('internal'));
      return;
    }
    if (!verdict.ok) {
      // refused once the denial is in the audit trail, as the HTTP hook answers
      await deps.denials.deny(accessDenial(verdict, { objectType: 'socket', objectId: 'connect' }, contextOf(socket)));
      next(connectError(verdict.code));
      return;
    }
    socket.data.lastSeq = parsed.data.lastSeq;
    socket.data.token = parsed.data.token!;
    socket.data.principal = verdict.principal;
    next();
  });

  io.on('connection', (socket: GridSocket) => {
    const { principal } = socket.data;
    const sessionId = principal.session!.id;
    if (!bySession.has(sessionId)) bySession.set(sessionId, new Set());
    bySession.get(sessionId)!.add(socket);
    socket.on('disconnect', () => {
      const set = bySession.get(sessionId);
      set?.delete(socket);
      if (set?.size === 0) bySession.delete(sessionId);
    });

    let windowStart = Date.now();
    let commands = 0;
    // The session check of a command is an awaited read: commands are checked and passed on one
    // after another, in the order they arrived (a device's positions stay in order); once the
    // socket is ended, the commands still waiting are dropped, as they would not have arrived.
    let checked: Promise<void> = Promise.resolve();
    socket.use((packet, next) => {
      const command = String(packet[0]).slice(0, 64);
      // a command with an ack of the `{ ok, error }` kind hears why it was dropped
      const refuse = (err: ApiHttpError) => {
        const ack = packet[packet.length - 1];
        if (packet[0] === 'team:position' && typeof ack === 'function') {
          (ack as (a: unknown) => void)({ ok: false, error: err.toBody(langFrom(socket.handshake.headers['accept-language'])).error });
        }
      };
      const now = Date.now();
      if (now - windowStart > COMMAND_WINDOW_MS) {
        windowStart = now;
        commands = 0;
      }
      const limited = ++commands > COMMANDS_PER_WINDOW;
      checked = checked.then(() => checkCommand(next, command, limited, refuse)).catch((err: unknown) => {
        deps.onError(err);
        next(new Error('internal'));
      });
    });
    const checkCommand = async (next: (err?: Error) => void, command: string, limited: boolean, refuse: (err: ApiHttpError) => void): Promise<void> => {
      if (!socket.connected) return;
      if (limited) {
        await deps.denials.deny({ ...who(principal), action: 'access:denied', result: 'denied', reason: 'rate_limited', objectType: 'socket', objectId: command, ...contextOf(socket) });
        refuse(new ApiHttpError(429, 'rate_limited', 'error.rate_limited', [], { after: `${COMMAND_WINDOW_MS / 1000} s` }));
        next(new Error('rate_limited'));
        return;
      }
      // Every command re-checks the session as the handshake did (without counting as user
      // activity): a session that ended, a password that expired, roles changed since.
      const verdict = await deps.auth.authorize({ token: socket.data.token }, 'events:read', { touch: false, sessionOnly: true });
      if (!socket.connected) return;
      if (!verdict.ok) {
        await deps.denials.deny(accessDenial(verdict, { objectType: 'socket', objectId: command }, contextOf(socket)));
        refuse(accessError(verdict));
        endSocket(socket, endReason(verdict.code));
        next(new Error(verdict.code));
        return;
      }
      next();
    };

    socket.on('sync:ping', (ack) => {
      if (typeof ack !== 'function') return;
      ack({ seq: deps.feed.lastRelayed, serverTime: deps.clock.now().toISOString() });
    });

    // The replay comes last, after the handlers: it may take several turns.
    replay(socket, principal).catch((err: unknown) => {
      deps.onError(err);
      socket.disconnect(true);
    });
  });

  /**
   * Brings a (re)connecting socket up to date from the change log, then puts it in its live rooms.
   * No change falls between the two nor comes twice: whatever the feed relays before the socket
   * joins its rooms, the replay reads and sends first (it joins only in a turn where it has sent
   * everything up to what the feed has relayed; a client drops a change it has by seq).
   */
  async function replay(socket: GridSocket, principal: Principal): Promise<void> {
    const current = await deps.repo.lastSeq();
    const lastSeq = socket.data.lastSeq;
    const scope = principal.user.scope;
    const full = seesPersonalData(principal.user.roles);
    let replayed = 0;
    /**
     * Sends the changes after `after` that the socket may see, up to `limit` of them and no further
     * than the feed has relayed when they are read (it brings the rest to the rooms); the last seq
     * sent past, or `after` when there was none.
     */
    const replayFrom = async (after: number, limit: number): Promise<number> => {
      const read = await deps.repo.changesAfter(after, limit);
      const upTo = deps.feed.lastRelayed;
      let last = after;
      for (const change of read) {
        if (change.seq > upTo) break;
        last = change.seq;
        if (!inScope(scope, change.event.townId)) continue;
        socket.emit('event:changed', { seq: change.seq, event: eventView(change.event, full), kind: change.kind });
        replayed++;
      }
      return last;
    };
    /**
     * The end of a replay: the rest of the changes, then the live rooms, joined in the turn that
     * found nothing relayed beyond what was sent (the feed relays in its own turns, after a commit).
     */
    const goLive = async (after: number | null) => {
      if (after !== null) {
        let at = after;
        while (at < deps.feed.lastRelayed) {
          const next = await replayFrom(at, deps.replayBatch);
          if (next === at) break; // nothing left to read up to there (never with a gap-free log)
          at = next;
        }
      }
      if (!socket.connected) return;
      void socket.join(roomsOf(principal));
      socket.emit('sync:ready', { seq: deps.feed.lastRelayed, replayed });
    };
    if (lastSeq === undefined) {
      await goLive(null);
    } else if (lastSeq > current) {
      socket.emit('sync:reset', { seq: current, reason: 'ahead_of_server' });
      await goLive(null);
    } else if (current - lastSeq > deps.replayLimit) {
      socket.emit('sync:reset', { seq: current, reason: 'replay_window_exceeded' });
      await goLive(null);
    } else {
      // A long replay goes a batch at a time through the server's one replay pump, letting other
      // requests and sockets run in between; it waits while a slow link drains, and a socket that
      // does not drain is cut and replays from its last seq when it reconnects.
      const meter = sendMeter(socket);
      let after = lastSeq;
      let waitingSince: number | null = null;
      pump.add(async () => {
        if (!socket.connected) return 'done';
        if (meter.unsent() > SEND_BUDGET_PACKETS) {
          waitingSince ??= performance.now();
          if (performance.now() - waitingSince <= DRAIN_TIMEOUT_MS) return 'waiting';
          socket.disconnect(true);
          return 'done';
        }
        waitingSince = null;
        if (deps.feed.lastRelayed - after > deps.replayBatch) {
          after = await replayFrom(after, deps.replayBatch);
          return 'more';
        }
        await goLive(after);
        return 'done';
      });
    }
  }

  function endSocket(socket: GridSocket, reason: 'logout' | 'disabled' | 'expired') {
    socket.emit('session:ended', { reason });
    socket.disconnect(true);
  }

  const stopRevoked = deps.auth.onSessionsRevoked((ids, reason) => {
    for (const id of ids) for (const socket of bySession.get(id) ?? []) endSocket(socket, reason);
  });
  // Each sweep checks the sockets open when it starts, one after another (awaited reads); a sweep
  // still running when the next is due lets that one pass.
  let sweeping = false;
  const sweepOnce = async () => {
    for (const socket of [...bySession.values()].flatMap((sockets) => [...sockets])) {
      if (!socket.connected) continue;
      const verdict = await deps.auth.authorize({ token: socket.data.token }, 'events:read', { touch: false, sessionOnly: true });
      if (!verdict.ok && socket.connected) endSocket(socket, endReason(verdict.code));
    }
  };
  const sweep = new Ticker(() => {
    if (sweeping) return;
    sweeping = true;
    sweepOnce()
      .catch(deps.onError)
      .finally(() => {
        sweeping = false;
      });
  }, SESSION_SWEEP_MS, deps.onError);
  sweep.start();

  // To this node's sockets only: with several nodes each relays every change to its own
  // (change-feed.ts), so a broadcast through the adapter would deliver it twice.
  const stopChanges = deps.bus.subscribe('case:changed', (change) => {
    const towns = [change.event.townId];
    io.local.to(audienceRooms(towns, 'full')).emit('event:changed', change);
    io.local.to(audienceRooms(towns, 'masked')).emit('event:changed', { ...change, event: eventView(change.event, false) });
  });
  return () => {
    sweep.stop();
    stopRevoked();
    stopChanges();
  };
}
