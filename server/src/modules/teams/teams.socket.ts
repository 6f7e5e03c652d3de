import { teamPositionCommandSchema, type TeamPositionAck, type TeamSummary } from '../../../../shared/contracts/teams.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import type { Bus, TeamMoved } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { Ticker } from '../../core/ticker.js';
import { ApiHttpError, zodFields } from '../../http/errors.js';
import { langFrom } from '../../http/messages.js';
import { audienceRooms } from '../../http/socket-rooms.js';
import type { AuthService } from '../auth/auth.service.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { GridServer } from '../events/events.socket.js';
import { seesTeam, type TeamsLive } from './teams-live.js';

/** How often the consoles hear of moved teams: one `team:moved` per client per interval at most. */
export const TEAM_MOVED_INTERVAL_MS = 1000;

const masked = (team: TeamSummary): TeamSummary => ({ ...team, leader: { name: maskName(team.leader.name), phone: maskPhone(team.leader.phone) } });

/**
 * The teams' live feed on the socket: the `team:position` command of field devices (same rules
 * as `POST /api/v1/teams/{id}/position`), `team:changed` to the rooms that may see the team, and
 * the bus's `team:moved` batched: one flush timer sends each client, at most once per interval,
 * the latest position of every team it may see that moved since the last flush. Returns the
 * function that stops it.
 */
export function registerTeamSocket(
  io: GridServer,
  deps: {
    live: TeamsLive;
    bus: Bus;
    auth: AuthService;
    clock: Clock;
    /** The towns of a county, whose consoles hear of its county units. */
    regions: Pick<RegionIndex, 'townsUnder'>;
    intervalMs?: number;
    onError?: (err: unknown) => void;
  },
): () => void {
  io.on('connection', (socket) => {
    const lang = langFrom(socket.handshake.headers['accept-language']);
    const ctx = { sourceIp: socket.handshake.address ?? null, client: String(socket.handshake.headers['user-agent'] ?? '').slice(0, 200) || null };
    // A report's session check is an awaited read: reports are handled one after another, in the
    // order they arrived, so a device's positions reach the batch in the order it sent them.
    let handled: Promise<void> = Promise.resolve();
    socket.on('team:position', (payload, ack) => {
      if (typeof ack !== 'function') return;
      handled = handled
        .then(() => onPosition(payload, ack))
        .catch((err: unknown) => {
          deps.onError?.(err);
          ack({ ok: false, error: new ApiHttpError(500, 'internal', 'error.internal').toBody(lang).error });
        });
    });
    const onPosition = async (payload: unknown, ack: (result: TeamPositionAck) => void): Promise<void> => {
      const answer = (result: TeamPositionAck) => ack(result);
      // a command re-checks the session (a device report is not user activity)
      const principal = await deps.auth.authenticate({ token: socket.data.token }, false);
      if (!principal) {
        answer({ ok: false, error: new ApiHttpError(401, 'unauthenticated', 'error.unauthenticated').toBody(lang).error });
        socket.emit('session:ended', { reason: 'expired' });
        socket.disconnect(true);
        return;
      }
      const parsed = teamPositionCommandSchema.safeParse(payload);
      if (!parsed.success) {
        answer({ ok: false, error: new ApiHttpError(400, 'invalid_body', 'error.invalid_body', zodFields(parsed.error)).toBody(lang).error });
        return;
      }
      const { teamId, ...report } = parsed.data;
      deps.live.reportPosition(teamId ?? principal.user.teamId ?? '—', report, { principal, ctx }).then(
        (result) => answer({ ok: true, result }),
        (err: unknown) => {
          if (err instanceof ApiHttpError) answer({ ok: false, error: err.toBody(lang).error });
          else {
            deps.onError?.(err);
            answer({ ok: false, error: new ApiHttpError(500, 'internal', 'error.internal').toBody(lang).error });
          }
        },
      );
    };
  });

  const stopChanged = deps.bus.subscribe('team:changed', (team) => {
    // county units serve every town of their county (one above the counties: the whole platform's rooms only)
    const towns = team.townId !== null ? [team.townId] : team.countyId !== null ? deps.regions.townsUnder(team.countyId) : [];
    io.to(audienceRooms(towns, 'full')).emit('team:changed', { team });
    io.to(audienceRooms(towns, 'masked')).emit('team:changed', { team: masked(team) });
  });

  // The newest position per team since the last flush, in the order the teams first moved.
  let pending = new Map<string, TeamMoved>();
  const stopMoved = deps.bus.subscribe('team:moved', (move) => {
    const queued = pending.get(move.teamId);
    if (!queued || queued.at <= move.at) pending.set(move.teamId, move);
  });

  // One timer for the whole server: each client gets one push per tick at most, with the
  // latest position of each team it may see (county units are seen by every town of their county).
  const flush = () => {
    if (pending.size === 0) return;
    const moves = [...pending.values()];
    pending = new Map();
    const at = deps.clock.now().toISOString();
    const all = moves.map(({ townId: _town, countyId: _county, ...m }) => m);
    // Sockets that see the same teams get one emit (encoded once, as a broadcast is): with
    // thousands of devices and consoles connected, encoding per socket was most of the cost.
    const byScope = new Map<string, { teams: typeof all; socketIds: string[] }>();
    for (const socket of io.sockets.sockets.values()) {
      const scope = socket.data.principal?.user.scope;
      if (!scope) continue;
      // a scope's counties follow from its towns, so its towns name what it sees
      const key = scope.kind === 'county' ? 'county' : [...scope.towns].sort().join(',');
      let group = byScope.get(key);
      if (!group) {
        group = { teams: scope.kind === 'county' ? all : all.filter((_, i) => seesTeam(scope, moves[i]!)), socketIds: [] };
        byScope.set(key, group);
      }
      if (group.teams.length > 0) group.socketIds.push(socket.id);
    }
    // this node's sockets: another node flushes the same moves to its own (http/socket-nodes.ts)
    for (const { teams, socketIds } of byScope.values()) if (socketIds.length > 0) io.local.to(socketIds).emit('team:moved', { at, teams });
  };
  const ticker = new Ticker(flush, deps.intervalMs ?? TEAM_MOVED_INTERVAL_MS, (err) => deps.onError?.(err));
  ticker.start();

  return () => {
    ticker.stop();
    stopChanged();
    stopMoved();
  };
}
