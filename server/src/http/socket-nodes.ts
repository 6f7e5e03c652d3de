import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import type { Bus, TeamMoved } from '../core/bus.js';

/** What this module needs of the Socket.IO server: its adapter, and word to and from the other nodes. */
interface NodesServer {
  adapter(factory: ReturnType<typeof createAdapter>): unknown;
  serverSideEmit(ev: 'feed:nudge', seq: number): boolean;
  serverSideEmit(ev: 'team:moved', move: TeamMoved): boolean;
  on(ev: 'feed:nudge', listener: (seq: number) => void): unknown;
  on(ev: 'team:moved', listener: (move: TeamMoved) => void): unknown;
}

/** Tries at start before the node gives up on Redis (a wrong address fails the start, not the first push). */
const START_TRIES = 5;
/** The longest wait between two tries to reach Redis again once it was reached. */
const MAX_RECONNECT_MS = 2_000;

/**
 * Several server nodes behind one proxy (issue 15 part 3): the Socket.IO adapter on Redis
 * Streams carries what one node broadcasts to the others' sockets (team changes, alerts, triage)
 * and keeps the packets of a short Redis outage in the stream; team moves, which each node batches
 * for its own sockets, are handed to the other nodes' batches; case changes do
 * not go through it (each node's change feed reads them from the database, change-feed.ts),
 * but each commit is announced to the other nodes so that their feeds read at once instead of
 * at their next poll.
 *
 * Resolves once Redis answered; rejects, naming the address, when it cannot be reached at start.
 */
export async function joinNodes(
  io: NodesServer,
  deps: { url: string; bus: Bus; nudge: (seq: number) => void; onError: (err: unknown) => void },
): Promise<{ close(): Promise<void> }> {
  let connected = false;
  const client = createClient({
    url: deps.url,
    socket: {
      connectTimeout: 5_000,
      reconnectStrategy: (retries, cause) => {
        if (!connected && retries >= START_TRIES) return new Error(`Redis ${redacted(deps.url)} cannot be reached: ${cause.message}`);
        return Math.min(100 * 2 ** retries, MAX_RECONNECT_MS);
      },
    },
  });
  // a lost connection is retried by the client; the node goes on serving its own sockets meanwhile
  client.on('error', (err: unknown) => {
    if (connected) deps.onError(err);
  });
  await client.connect();
  connected = true;
  io.adapter(createAdapter(client, { streamName: 'gridcommand', channelPrefix: 'gridcommand' }));
  io.on('feed:nudge', (seq) => {
    if (Number.isSafeInteger(seq)) deps.nudge(seq);
  });
  const stopWritten = deps.bus.subscribe('case:written', ({ seq }) => {
    io.serverSideEmit('feed:nudge', seq);
  });
  // a move heard from another node goes into this node's batch, and only there
  let fromPeer = false;
  io.on('team:moved', (move) => {
    if (!isTeamMove(move)) return;
    fromPeer = true;
    try {
      deps.bus.publish('team:moved', move);
    } finally {
      fromPeer = false;
    }
  });
  const stopMoved = deps.bus.subscribe('team:moved', (move) => {
    if (!fromPeer) io.serverSideEmit('team:moved', move);
  });
  return {
    async close() {
      stopWritten();
      stopMoved();
      connected = false;
      await client.close().catch(() => undefined);
    },
  };
}

/** The address without its password, for a message or a log. */
export function redacted(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(not a URL)';
  }
}

/** A peer's team move as this node's batch needs it (peers are trusted, their packets still checked). */
function isTeamMove(m: unknown): m is TeamMoved {
  const x = m as Partial<TeamMoved> | null;
  return (
    typeof x === 'object' && x !== null && typeof x.teamId === 'string' && typeof x.at === 'string' && Number.isFinite(x.lon) && Number.isFinite(x.lat) &&
    (x.townId === null || typeof x.townId === 'string') && (x.countyId === null || typeof x.countyId === 'string')
  );
}
