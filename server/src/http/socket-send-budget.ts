import type { Server, Socket } from 'socket.io';
import { Ticker } from '../core/ticker.js';

/**
 * What a socket has waiting to be written, counted from engine.io's public events: every packet
 * is created (`packetCreate`) and leaves in a `flush` once the transport can take it. A client
 * that stops reading stops the flushes (its TCP window closes, the WebSocket's write callbacks
 * stop) while the packets keep being created: what waits is held in the server's memory.
 */
export interface SendMeter {
  /** Packets created and not yet handed to the transport. */
  unsent(): number;
  /** Packets handed to the transport since the socket connected. */
  flushed(): number;
}

const meters = new WeakMap<Socket, SendMeter>();

/** The socket's meter, installed on first use (before the socket sends anything, to count exactly). */
export function sendMeter(socket: Socket): SendMeter {
  let meter = meters.get(socket);
  if (meter) return meter;
  let created = 0;
  let flushed = 0;
  socket.conn.on('packetCreate', () => {
    created++;
  });
  socket.conn.on('flush', (buffer: unknown[]) => {
    flushed += buffer.length;
  });
  // never below zero: a packet the engine held from before the meter (its handshake) may leave in a flush
  meter = { unsent: () => Math.max(0, created - flushed), flushed: () => flushed };
  meters.set(socket, meter);
  return meter;
}

export interface SendBudgetOptions {
  /** Packets a socket may have waiting; over it, the socket must make progress or be cut. */
  budgetPackets: number;
  /** How long a socket over its budget may go without the transport taking a packet. */
  stallMs: number;
  /** Waiting packets past which a socket is cut whatever its progress (a trickling reader). */
  hardLimitPackets: number;
  /** How often sockets are looked at. */
  sweepMs: number;
  /** Told of each cut (the caller audits and logs it); the socket is already disconnected. */
  onCut: (socket: Socket, cut: { unsent: number; stalledMs: number; reason: 'stalled' | 'hard_limit' }) => void;
  onError: (err: unknown) => void;
  /** Monotonic milliseconds (tests pass their own). */
  now?: () => number;
}

/**
 * Bounds what the server holds for sockets that do not read. Every socket of `io` is metered
 * from its connection; a sweep cuts a socket that is over its budget and whose transport has
 * taken nothing for `stallMs`, or that is over the hard limit. A console that is cut reconnects
 * with its last seq and catches up from the database, in batches at its own pace: nothing is
 * lost, and the server's memory no longer grows with a reader that went silent. Pings do not
 * keep such a socket alive: they are answered by the client's engine, not by reading the feed.
 */
export function watchSendBudget(io: Server, options: SendBudgetOptions): { stop(): void; sweep(): void } {
  const now = options.now ?? (() => performance.now());
  /** Per socket: the flushed count last seen and since when it has not moved. */
  const progress = new WeakMap<Socket, { flushed: number; since: number }>();
  // metered before the socket's first packet (its CONNECT), whatever other handlers do on connection
  io.use((socket, next) => {
    sendMeter(socket);
    next();
  });
  const sweep = () => {
    const at = now();
    for (const socket of io.of('/').sockets.values()) {
      const meter = sendMeter(socket);
      const unsent = meter.unsent();
      const flushed = meter.flushed();
      const seen = progress.get(socket);
      if (!seen || seen.flushed !== flushed || unsent === 0) {
        progress.set(socket, { flushed, since: at });
        if (unsent <= options.hardLimitPackets) continue;
      }
      const stalledMs = at - (progress.get(socket)?.since ?? at);
      const reason = unsent > options.hardLimitPackets ? 'hard_limit' : unsent > options.budgetPackets && stalledMs >= options.stallMs ? 'stalled' : null;
      if (!reason) continue;
      socket.disconnect(true);
      options.onCut(socket, { unsent, stalledMs: Math.round(stalledMs), reason });
    }
  };
  const ticker = new Ticker(sweep, options.sweepMs, options.onError);
  ticker.start();
  return { stop: () => ticker.stop(), sweep };
}
