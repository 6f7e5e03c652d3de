/**
 * The raw baseline, in a process of its own like the product: a bare HTTP server with a bare
 * Socket.IO server on it, no authentication, no rooms, no database. Driven over IPC:
 *   `payloads { payloads }`          the payloads to emit (the product's own, so the bytes are the same);
 *   `publish { count, intervalMs }`  `io.emit('event:changed', …)` to every socket;
 *   `replayOnConnect { on }`         each new socket gets every payload, then `sync:ready`;
 *   `memory { gc }`                  process.memoryUsage(), after a full collection when asked.
 * `team:position` is acknowledged `{ ok: true, result }` without storing anything. `/health`
 * answers a small JSON object.
 * Usage: node --expose-gc --import tsx bench/children/raw-server.ts
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { paced } from '../support.js';

let payloads: Array<{ seq: number }> = [];
let replayOnConnect = false;
let nextSeq = 1;

const http = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', seq: nextSeq - 1, serverTime: new Date().toISOString() }));
});
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  socket.on('team:position', (report: { teamId?: string; lon: number; lat: number }, ack: unknown) => {
    if (typeof ack === 'function') ack({ ok: true, result: { teamId: report.teamId ?? null, position: { lon: report.lon, lat: report.lat, accuracy: null, at: new Date().toISOString() }, latest: true } });
  });
  if (!replayOnConnect) return;
  for (const p of payloads) socket.emit('event:changed', p);
  socket.emit('sync:ready', { seq: payloads.at(-1)?.seq ?? 0, replayed: payloads.length });
});

function publishOne(): { seq: number; at: number } {
  const seq = nextSeq++;
  const at = performance.timeOrigin + performance.now();
  io.emit('event:changed', { ...payloads[seq % payloads.length]!, seq });
  return { seq, at };
}

const publish = (count: number, intervalMs: number) => paced(count, intervalMs, publishOne);

process.on('message', (m: { id: number; type: string; payloads?: Array<{ seq: number }>; on?: boolean; count?: number; intervalMs?: number; gc?: boolean }) => {
  const answer = (body: Record<string, unknown>) => process.send!({ id: m.id, ...body });
  void (async () => {
    switch (m.type) {
      case 'payloads':
        payloads = m.payloads!;
        nextSeq = (payloads.at(-1)?.seq ?? 0) + 1;
        return answer({});
      case 'replayOnConnect':
        replayOnConnect = Boolean(m.on);
        return answer({});
      case 'publish':
        return answer({ sent: await publish(m.count!, m.intervalMs ?? 0) });
      case 'memory':
        if (m.gc) globalThis.gc?.();
        return answer({ memory: process.memoryUsage() });
      default:
        return answer({ error: `unknown request ${m.type}` });
    }
  })();
});

const stop = () => {
  io.disconnectSockets(true);
  io.close(() => process.exit(0));
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);

http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  process.send!({ type: 'ready', url: `http://127.0.0.1:${port}/`, pid: process.pid, seq: 0, token: '' });
});
