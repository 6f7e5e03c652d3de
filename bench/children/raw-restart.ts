/**
 * The restart baseline: what any server on this database must do before a console is live again.
 * Opens the database file with better-sqlite3 (WAL, synchronous=FULL, as the server does), listens
 * with a bare Socket.IO server on a free port, and sends a connecting socket every change after
 * its `lastSeq` from the change log, then `sync:ready`. No migrations, no checks, no sweeps.
 * Usage: node --import tsx bench/children/raw-restart.ts DATABASE_FILE
 */
import { createServer } from 'node:http';
import Database from 'better-sqlite3';
import { Server } from 'socket.io';

const file = process.argv[2];
if (!file) throw new Error('usage: raw-restart.ts DATABASE_FILE');
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
const changesAfter = db.prepare('SELECT seq, kind, snapshot FROM event_changes WHERE seq > ? ORDER BY seq');
const lastSeq = db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM event_changes');

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => {
  const after = Number((socket.handshake.auth as { lastSeq?: number }).lastSeq ?? 0);
  let replayed = 0;
  for (const row of changesAfter.iterate(after) as Iterable<{ seq: number; kind: string; snapshot: string }>) {
    socket.emit('event:changed', { seq: row.seq, event: JSON.parse(row.snapshot) as unknown, kind: row.kind });
    replayed++;
  }
  socket.emit('sync:ready', { seq: (lastSeq.get() as { s: number }).s, replayed });
});
const stop = () => {
  io.close(() => {
    db.close();
    process.exit(0);
  });
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
http.listen(0, '127.0.0.1', () => {
  const { port } = http.address() as { port: number };
  process.stdout.write(`raw server listening: console http://127.0.0.1:${port}/\n`);
});
