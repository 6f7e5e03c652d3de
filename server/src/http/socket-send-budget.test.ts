import { EventEmitter } from 'node:events';
import type { Server } from 'socket.io';
import { afterEach, describe, expect, it } from 'vitest';
import { watchSendBudget } from './socket-send-budget.js';

/** Just what the watch uses of a Socket.IO server and its sockets. */
function fakeServer() {
  const sockets = new Map<string, FakeSocket>();
  let middleware: ((socket: FakeSocket, next: () => void) => void) | null = null;
  const io = { use: (fn: typeof middleware) => void (middleware = fn), of: () => ({ sockets }) } as unknown as Server;
  return {
    io,
    connect(id: string): FakeSocket {
      const socket = new FakeSocket(id, () => sockets.delete(id));
      middleware!(socket, () => undefined);
      sockets.set(id, socket);
      return socket;
    },
    sockets,
  };
}

class FakeSocket {
  readonly conn = new EventEmitter();
  cut = false;
  constructor(
    readonly id: string,
    private readonly gone: () => void,
  ) {}
  /** `n` packets written to the socket; `taken` of them handed to the transport. */
  send(n: number, taken: number): void {
    for (let i = 0; i < n; i++) this.conn.emit('packetCreate', {});
    if (taken > 0) this.conn.emit('flush', new Array(taken).fill({}));
  }
  disconnect(): void {
    this.cut = true;
    this.gone();
  }
}

let stop: (() => void) | null = null;
afterEach(() => stop?.());

function watch(server: ReturnType<typeof fakeServer>, clock: { t: number }) {
  const cuts: Array<{ id: string; reason: string; unsent: number }> = [];
  const handle = watchSendBudget(server.io, {
    budgetPackets: 100,
    stallMs: 5_000,
    hardLimitPackets: 1_000,
    // never by itself: the test sweeps by hand
    sweepMs: 1e9,
    onCut: (socket, cut) => cuts.push({ id: (socket as unknown as FakeSocket).id, reason: cut.reason, unsent: cut.unsent }),
    onError: (err) => {
      throw err;
    },
    now: () => clock.t,
  });
  stop = handle.stop;
  return { sweep: handle.sweep, cuts };
}

describe('watchSendBudget', () => {
  it('cuts a socket over its budget whose transport took nothing for the stall time, and only that one', () => {
    const clock = { t: 0 };
    const server = fakeServer();
    const { sweep, cuts } = watch(server, clock);
    const stalled = server.connect('stalled');
    const reading = server.connect('reading');
    const quiet = server.connect('quiet');
    quiet.send(50, 0); // under budget: a slow moment, not a problem
    for (let second = 0; second <= 6; second++) {
      clock.t = second * 1000;
      stalled.send(40, 0);
      reading.send(40, second === 0 ? 0 : 40); // behind by a burst, but the transport keeps taking
      sweep();
    }
    expect(cuts).toEqual([{ id: 'stalled', reason: 'stalled', unsent: 240 }]);
    expect([stalled.cut, reading.cut, quiet.cut]).toEqual([true, false, false]);
  });

  it('counts the stall from the last packet the transport took', () => {
    const clock = { t: 0 };
    const server = fakeServer();
    const { sweep, cuts } = watch(server, clock);
    const socket = server.connect('s');
    socket.send(150, 10);
    sweep();
    clock.t = 4_000;
    socket.send(0, 10); // progress at 4 s: the stall clock starts again
    sweep();
    clock.t = 8_000;
    sweep();
    expect(cuts).toEqual([]);
    clock.t = 9_000;
    sweep();
    expect(cuts.map((c) => c.reason)).toEqual(['stalled']);
  });

  it('cuts a socket over the hard limit at once, even while its transport trickles', () => {
    const clock = { t: 0 };
    const server = fakeServer();
    const { sweep, cuts } = watch(server, clock);
    const socket = server.connect('trickle');
    socket.send(1_200, 100);
    sweep();
    expect(cuts).toEqual([{ id: 'trickle', reason: 'hard_limit', unsent: 1_100 }]);
  });
});
