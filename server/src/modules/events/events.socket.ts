import type { Server, Socket } from 'socket.io';
import { socketAuthSchema, type ClientToServerEvents, type ServerToClientEvents } from '../../../../shared/contracts/socket.js';
import type { ChangeBus } from '../../core/change-bus.js';
import type { Clock } from '../../core/clock.js';
import { zodFields } from '../../http/errors.js';
import type { EventsRepo } from './events.repo.js';

export interface SocketData {
  lastSeq: number | undefined;
}
export type GridServer = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
type GridSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

const LIVE_ROOM = 'county';
const REPLAY_BATCH = 500;

/**
 * The live feed: a client that connects with `auth.lastSeq` first receives every change after
 * it from the database, in order, then live ones. Replay and joining the live room happen in
 * the same synchronous turn, and commits are synchronous too, so no change can fall between
 * them or arrive twice.
 */
export function registerEventSocket(io: GridServer, deps: { repo: EventsRepo; bus: ChangeBus; clock: Clock; replayLimit: number }): () => void {
  io.use((socket, next) => {
    const parsed = socketAuthSchema.safeParse(socket.handshake.auth ?? {});
    if (!parsed.success) {
      const err = new Error('invalid_auth') as Error & { data?: unknown };
      err.data = { code: 'invalid_auth', fields: zodFields(parsed.error, 'auth').map((f) => ({ field: f.field, code: f.code })) };
      next(err);
      return;
    }
    socket.data.lastSeq = parsed.data.lastSeq;
    next();
  });

  io.on('connection', (socket: GridSocket) => {
    const current = deps.repo.lastSeq();
    const lastSeq = socket.data.lastSeq;
    let replayed = 0;
    if (lastSeq !== undefined) {
      if (lastSeq > current) {
        socket.emit('sync:reset', { seq: current, reason: 'ahead_of_server' });
      } else if (current - lastSeq > deps.replayLimit) {
        socket.emit('sync:reset', { seq: current, reason: 'replay_window_exceeded' });
      } else {
        for (let after = lastSeq; after < current; ) {
          const batch = deps.repo.changesAfter(after, REPLAY_BATCH);
          if (batch.length === 0) break;
          for (const change of batch) socket.emit('event:changed', { seq: change.seq, event: change.event });
          replayed += batch.length;
          after = batch[batch.length - 1]!.seq;
        }
      }
    }
    void socket.join(LIVE_ROOM);
    socket.emit('sync:ready', { seq: current, replayed });

    socket.on('sync:ping', (ack) => {
      if (typeof ack !== 'function') return;
      ack({ seq: deps.repo.lastSeq(), serverTime: deps.clock.now().toISOString() });
    });
  });

  return deps.bus.onEventChanged((change) => {
    io.to(LIVE_ROOM).emit('event:changed', change);
  });
}
