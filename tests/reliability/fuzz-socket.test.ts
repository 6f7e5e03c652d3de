import fc from 'fast-check';
import { io, type Socket } from 'socket.io-client';
import { afterAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents } from '../../shared/contracts/socket.js';
import { REFUSAL_MAY_WRITE, WriteLog } from './fuzz/fingerprint.js';
import { LONG, seedOf, startFuzzServer } from './fuzz/server.js';
import { jsonText, mutations, applyMutations, nastyString, nastyValue, RawJson } from './fuzz/values.js';

/**
 * Property-based fuzzing of the socket (docs/RELIABILITY.md, "Fuzzing"): the handshake's `auth`
 * object, every client command of ClientToServerEvents with arbitrary arguments (with and
 * without an ack), unknown event names, binary and over-size payloads. For every case: the
 * server keeps answering /health and pings; nothing at log level ≥ 50, no unhandled rejection
 * or uncaught exception; an ack that refuses carries `{ ok: false, error: { code, message } }`;
 * a refused command changes no business table.
 */

const RUNS = LONG ? 5_000 : 300;

/** Every client command, checked against the contract at compile time and the server's handlers at run time. */
const COMMANDS = ['sync:ping', 'team:position'] as const satisfies ReadonlyArray<keyof ClientToServerEvents>;
type Missing = Exclude<keyof ClientToServerEvents, (typeof COMMANDS)[number]>;
const everyCommandFuzzed: Missing extends never ? true : false = true;

const fz = await startFuzzServer();
const writes = new WriteLog(fz.server.db);
// registered first: a set-up step that fails below still stops the server and removes its folder
afterAll(async () => {
  fz.trouble.stop();
  writes.remove();
  await fz.server.stop();
});
fz.trouble.listen();
const token = (name: string) => fz.byName(name).headers.authorization!.slice('Bearer '.length);
const teams = (await (await fetch(new URL('/api/v1/teams', fz.server.url), { headers: fz.byName('demo-dispatcher').headers })).json()) as { items: Array<{ id: string; location: { lon: number; lat: number } | null }> };
const point = teams.items.find((t) => t.location)!.location!;
/** The demo field worker's own team: the one its device may report for (others are refused). */
const fieldTeam = ((await (await fetch(new URL('/api/v1/auth/me', fz.server.url), { headers: fz.byName('demo-field').headers })).json()) as { teamId: string }).teamId;

type AnySocket = Socket;

/** A connected socket as `user` (connect errors are the caller's to expect). */
function connect(auth: unknown): Promise<{ socket: AnySocket; error: (Error & { data?: unknown }) | null }> {
  const socket = io(fz.server.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: auth as Record<string, unknown> });
  return new Promise((done) => {
    socket.once('connect', () => done({ socket, error: null }));
    socket.once('connect_error', (error) => done({ socket, error }));
    // a handshake whose auth is no object is not even a CONNECT packet: the server closes the transport
    socket.io.once('close', (reason) => done({ socket, error: Object.assign(new Error(`closed: ${reason}`), { data: undefined }) }));
  });
}

async function health(): Promise<number> {
  const res = await fetch(new URL('/api/v1/health', fz.server.url));
  await res.arrayBuffer();
  return res.status;
}

/** Whether the server still answers a ping on this socket (in order: the fuzzed command was handled first). */
function pings(socket: AnySocket): Promise<boolean> {
  if (!socket.connected) return Promise.resolve(false);
  return new Promise((done) => {
    socket.once('disconnect', () => done(false));
    socket.emit('sync:ping', () => done(true));
  });
}

/** One socket per principal, replaced when the server cuts it or its command budget (30 per 10 s) runs low. */
class Sockets {
  private current = new Map<string, { socket: AnySocket; used: number }>();
  async get(user: string): Promise<AnySocket> {
    const have = this.current.get(user);
    if (have && have.socket.connected && have.used < 8) {
      have.used++;
      return have.socket;
    }
    have?.socket.close();
    const { socket, error } = await connect({ token: token(user) });
    if (error) throw new Error(`could not connect as ${user}: ${error.message}`);
    this.current.set(user, { socket, used: 1 });
    return socket;
  }
  close(): void {
    for (const { socket } of this.current.values()) socket.close();
  }
}
const sockets = new Sockets();
afterAll(() => sockets.close());

/** Arguments as a client may send them: JSON values, binary, huge strings; RawJson tokens as their text. */
const argument = fc.oneof(
  { weight: 6, arbitrary: nastyValue.map((v) => (v instanceof RawJson ? v.text : v)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
  { weight: 1, arbitrary: fc.constantFrom('x'.repeat(70 * 1024), new Uint8Array(70 * 1024)) },
);

const ackProblem = (ack: unknown): string | null => {
  const a = ack as { ok?: unknown; error?: { code?: unknown; message?: unknown } };
  if (a?.ok === true) return null;
  if (a?.ok === false && typeof a.error?.code === 'string' && typeof a.error.message === 'string' && a.error.message.length > 0) return null;
  return `ack is neither { ok: true } nor { ok: false, error: { code, message } }: ${JSON.stringify(ack)?.slice(0, 300)}`;
};

/**
 * Emits with an ack and follows with a ping: the server handles a socket's packets in order and
 * acks synchronously, so an ack that has not come when the ping's answer does will not come (a
 * malformed call, e.g. an argument where the ack should be, is dropped without one). Resolves
 * with the ack, with none, or with the server cutting the socket (an over-size packet).
 */
function emitWithAck(socket: AnySocket, event: string, args: unknown[]): Promise<{ ack: unknown } | { none: true } | { cut: true }> {
  return new Promise((done) => {
    let settled = false;
    const finish = (r: { ack: unknown } | { none: true } | { cut: true }) => {
      if (settled) return;
      settled = true;
      socket.off('disconnect', onCut);
      done(r);
    };
    const onCut = () => finish({ cut: true });
    socket.once('disconnect', onCut);
    socket.emit(event, ...args, (ack: unknown) => finish({ ack }));
    socket.emit('sync:ping', () => setImmediate(() => finish({ none: true })));
  });
}

describe('the socket commands', () => {
  it('fuzzes every command the server listens to', async () => {
    expect(everyCommandFuzzed).toBe(true);
    const socket = await sockets.get('demo-dispatcher');
    const server = [...fz.server.handles.io.of('/').sockets.values()].find((s) => s.id === socket.id)!;
    const handled = server.eventNames().filter((e) => typeof e === 'string' && !['disconnect', 'disconnecting', 'error'].includes(e));
    expect(handled.filter((e) => !(COMMANDS as readonly string[]).includes(e as string))).toEqual([]);
  });

  const validPosition = () => ({ lon: point.lon, lat: point.lat, accuracy: 10, teamId: fieldTeam });
  const caseArb = fc.record({
    user: fc.oneof({ weight: 3, arbitrary: fc.constant('demo-field') }, { weight: 1, arbitrary: fc.constantFrom('demo-dispatcher', 'demo-lead', 'demo-wall') }),
    event: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...COMMANDS) }, { weight: 2, arbitrary: nastyString }, { weight: 1, arbitrary: fc.constantFrom('connect', 'disconnect', 'connect_error', 'error', 'newListener', '__proto__', 'event:changed', 'sync:ready') }),
    args: fc.oneof(
      { weight: 1, arbitrary: fc.constant<unknown[]>([validPosition()]) },
      { weight: 3, arbitrary: mutations.map((m): unknown[] => [applyMutations(validPosition(), m)]) },
      { weight: 2, arbitrary: fc.array<unknown>(argument, { maxLength: 3 }) },
    ),
    withAck: fc.boolean(),
  });

  it('answers every command with a well-formed ack or not at all, changes nothing when it refuses, and keeps running', async () => {
    const mark = fz.trouble.errors.length;
    const outcomes = new Map<string, number>();
    await fc.assert(
      fc.asyncProperty(caseArb, async (c) => {
        fz.clock.advance(1_000);
        const socket = await sockets.get(c.user);
        const before = writes.snapshot();
        const args = c.args.map((a) => (a instanceof RawJson ? jsonText(a) : a));
        let ack: unknown = undefined;
        let cut = false;
        // reserved names (connect, disconnect…) cannot be emitted by a client library: the server never sees them
        if (['connect', 'connect_error', 'disconnect', 'disconnecting', 'newListener', 'removeListener'].includes(c.event)) return;
        if (c.withAck) {
          const r = await emitWithAck(socket, c.event, args);
          if ('cut' in r) cut = true;
          else if ('ack' in r) ack = r.ack;
        } else {
          socket.emit(c.event, ...args);
        }
        const alive = cut ? false : await pings(socket);
        const where = `\n${c.event}(${args.map((a) => (typeof a === 'string' ? JSON.stringify(a.slice(0, 200)) : Buffer.isBuffer(a) ? `<${a.length} bytes>` : jsonText(a).slice(0, 300))).join(', ')})${c.withAck ? ' with ack' : ''} as ${c.user}`;
        if (!alive && (await health()) !== 200) throw new Error(`the server stopped answering${where}`);
        const trouble = fz.trouble.since(mark);
        if (trouble.length > 0) throw new Error(`server trouble:\n${trouble.join('\n')}${where}`);
        if (c.withAck && c.event === 'team:position' && ack !== undefined) {
          const problem = ackProblem(ack);
          if (problem) throw new Error(`${problem}${where}`);
        }
        if (c.event === 'sync:ping' && ack !== undefined && typeof (ack as { seq?: unknown }).seq !== 'number') throw new Error(`a ping's ack without its seq: ${JSON.stringify(ack)}${where}`);
        const outcome = cut ? 'cut' : ack === undefined ? 'no ack' : c.event === 'sync:ping' ? 'pong' : (ack as { ok?: boolean }).ok ? 'ok' : `refused ${(ack as { error?: { code?: string } }).error?.code}`;
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
        const refused = !(c.event === 'team:position' && (ack as { ok?: boolean } | undefined)?.ok === true);
        const changed = Object.keys(writes.since(before)).filter((t) => !(t in REFUSAL_MAY_WRITE));
        if (refused && changed.length > 0) throw new Error(`a refused command changed ${changed.join(', ')}${where}`);
      }),
      { seed: seedOf('socket commands'), numRuns: RUNS },
    );
    expect(await health()).toBe(200);
    // what the commands got, for the report (a fuzz whose every command is refused reaches little)
    console.info(`socket commands: ${[...outcomes].map(([k, n]) => `${k}×${n}`).join(' ')}`);
  });
});

describe('the handshake', () => {
  const authArb = fc.oneof(
    nastyValue,
    fc.record({ token: fc.oneof(nastyString, fc.constant(token('demo-dispatcher'))), lastSeq: fc.oneof(nastyValue, fc.integer({ min: -5, max: 1_000_000 })) }, { requiredKeys: [] }),
    mutations.map((m) => applyMutations({ token: token('demo-dispatcher'), lastSeq: 0 }, m)),
  );

  it('connects or refuses with a reason, whatever the auth object, and keeps running', async () => {
    const mark = fz.trouble.errors.length;
    await fc.assert(
      fc.asyncProperty(authArb, async (auth) => {
        const before = writes.snapshot();
        const value = auth instanceof RawJson ? auth.text : auth;
        const { socket, error } = await connect(value);
        try {
          const where = `\nauth: ${jsonText(auth).slice(0, 300)}`;
          if (error) {
            const data = error.data as { code?: unknown } | undefined;
            // a refusal names its code (invalid_auth, unauthenticated…); a transport-level refusal has none to give
            if (data !== undefined && typeof data.code !== 'string') throw new Error(`connect refusal without a code: ${JSON.stringify(data)}${where}`);
          } else if (!(await pings(socket))) throw new Error(`connected but does not answer a ping${where}`);
          const trouble = fz.trouble.since(mark);
          if (trouble.length > 0) throw new Error(`server trouble:\n${trouble.join('\n')}${where}`);
          const changed = Object.keys(writes.since(before)).filter((t) => !(t in REFUSAL_MAY_WRITE));
          if (changed.length > 0) throw new Error(`a handshake changed ${changed.join(', ')}${where}`);
        } finally {
          socket.close();
        }
      }),
      { seed: seedOf('socket handshake'), numRuns: LONG ? 2_000 : 150 },
    );
    expect(await health()).toBe(200);
  });
});
