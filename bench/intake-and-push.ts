/**
 * Intake and push, against raw baselines measured in the same run on the same machine:
 *   1. write cost: one intake over HTTP (validate, locate, insert, change log, commit with
 *      synchronous=FULL) vs one raw better-sqlite3 INSERT per transaction, also synchronous=FULL;
 *   2. push latency: POST → `event:changed` at a connected client vs a raw Socket.IO server
 *      emitting to a raw client on loopback;
 *   3. replay: reconnecting with lastSeq N changes behind vs reading the same rows raw.
 * Prints ratios, never absolute pass/fail. Run: npx tsx bench/intake-and-push.ts [--n 400]
 */
import { createServer as createHttpServer } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';
import { io as connect } from 'socket.io-client';
import { api, connectClient, intakeAt, pointInCounty, someItemCode, startTestServer } from '../tests/integration/harness.js';

const { values } = parseArgs({ options: { n: { type: 'string', default: '400' } } });
const N = Number(values.n);

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;

async function rawSqlite(): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'gc-bench-raw-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const body = JSON.stringify({ description: '东门垃圾桶满溢'.repeat(4), lon: 119.9, lat: 29.1 });
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    db.transaction(() => insert.run(body))();
    times.push(performance.now() - t0);
  }
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return times;
}

/** Baseline C: a bare Fastify POST route doing one raw INSERT per transaction (no validation, no locating). */
async function bareFastify(): Promise<number[]> {
  const { default: Fastify } = await import('fastify');
  const dir = mkdtempSync(join(tmpdir(), 'gc-bench-fastify-'));
  const db = new Database(join(dir, 'raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
  const app = Fastify();
  app.post('/x', async (req, reply) => {
    const id = db.transaction(() => insert.run(JSON.stringify(req.body)).lastInsertRowid)();
    return reply.status(201).send({ id: Number(id) });
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const res = await fetch(`${url}/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ description: `压测 ${i}`, lon: 119.9, lat: 29.1 }) });
    await res.text();
    times.push(performance.now() - t0);
  }
  await app.close();
  db.close();
  rmSync(dir, { recursive: true, force: true });
  return times;
}

/** Baseline D: a raw Socket.IO client connecting and receiving `count` payloads of `size` bytes. */
async function rawConnectAndReceive(count: number, size: number): Promise<number> {
  const http = createHttpServer();
  const server = new Server(http, { serveClient: false });
  const payload = { seq: 0, event: { description: 'x'.repeat(size) } };
  server.on('connection', (socket) => {
    for (let i = 0; i < count; i++) socket.emit('x', { ...payload, seq: i });
    socket.emit('done');
  });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const port = (http.address() as { port: number }).port;
  const t0 = performance.now();
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'], forceNew: true });
  await new Promise<void>((ok) => client.on('done', () => ok()));
  const ms = performance.now() - t0;
  client.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  return ms;
}

async function rawSocketIo(): Promise<number[]> {
  const http = createHttpServer();
  const server = new Server(http, { serveClient: false });
  await new Promise<void>((ok) => http.listen(0, '127.0.0.1', ok));
  const port = (http.address() as { port: number }).port;
  const client = connect(`http://127.0.0.1:${port}`, { transports: ['websocket'] });
  await new Promise<void>((ok) => client.on('connect', () => ok()));
  const times: number[] = [];
  for (let i = 0; i < N; i++) {
    const t0 = performance.now();
    const got = new Promise<void>((ok) => client.once('x', () => ok()));
    server.emit('x', { seq: i, event: { id: `EV${i}`, description: '东门垃圾桶满溢' } });
    await got;
    times.push(performance.now() - t0);
  }
  client.close();
  await new Promise<void>((ok) => server.close(() => ok()));
  return times;
}

async function gridCommand() {
  const server = await startTestServer();
  const itemCode = await someItemCode(server.url);
  const p = await pointInCounty(server.url, 3);
  const health = await api<{ seq: number }>(server.url, '/api/v1/health');
  const client = connectClient(server.url, { lastSeq: health.body.seq });
  await client.ready;
  const write: number[] = [];
  const push: number[] = [];
  for (let i = 0; i < N; i++) {
    const before = client.changes.length;
    const t0 = performance.now();
    const res = await api(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, { lon: p.lon, lat: p.lat }, { description: `压测 ${i}` }) });
    const tAnswer = performance.now();
    if (res.status !== 201) throw new Error(`intake failed: ${res.status}`);
    while (client.changes.length === before) await new Promise((r) => setImmediate(r));
    write.push(tAnswer - t0);
    push.push(performance.now() - t0);
  }
  client.socket.close();

  // replay of N changes vs a raw connect that receives as many payloads of the same size
  const snapshotSize = (server.db.prepare('SELECT AVG(LENGTH(snapshot)) AS n FROM event_changes WHERE seq > ?').get(health.body.seq) as { n: number }).n;
  const t0 = performance.now();
  const replay = connectClient(server.url, { lastSeq: health.body.seq });
  await replay.ready;
  const replayMs = performance.now() - t0;
  replay.socket.close();
  await server.stop();
  const rawReplayMs = await rawConnectAndReceive(N, Math.round(snapshotSize));
  return { write, push, replayMs, rawReplayMs };
}

const raw = await rawSqlite();
const fastify = await bareFastify();
const rawPush = await rawSocketIo();
const gc = await gridCommand();

const row = (name: string, xs: number[], base: number[]) =>
  `| ${name} | ${fmt(pct(xs, 50))} | ${fmt(pct(xs, 99))} | ${(pct(xs, 50) / pct(base, 50)).toFixed(1)}× |`;
console.log(`\nN = ${N} sequential operations, 2-core machine, loopback\n`);
console.log('| measurement | median | p99 | median ÷ baseline median |');
console.log('|---|---|---|---|');
console.log(row('raw SQLite INSERT, 1 tx, synchronous=FULL (baseline A)', raw, raw));
console.log(row('GridCommand POST /events → 201 (vs A)', gc.write, raw));
console.log(row('bare Fastify POST + raw INSERT, synchronous=FULL (baseline C)', fastify, fastify));
console.log(row('GridCommand POST /events → 201 (vs C)', gc.write, fastify));
console.log(row('raw Socket.IO emit → client (baseline B)', rawPush, rawPush));
const afterAnswer = gc.push.map((p, i) => Math.max(0, p - gc.write[i]!));
console.log(`| GridCommand event:changed arrival after the 201 (0 = already there) | ${fmt(pct(afterAnswer, 50))} | ${fmt(pct(afterAnswer, 99))} | — |`);
console.log(`\nreplay of ${N} changes on reconnect (connect + replay + sync:ready): ${gc.replayMs.toFixed(1)} ms; raw Socket.IO connect receiving ${N} payloads of the same size: ${gc.rawReplayMs.toFixed(1)} ms (${(gc.replayMs / gc.rawReplayMs).toFixed(1)}×)`);
process.exit(0);
