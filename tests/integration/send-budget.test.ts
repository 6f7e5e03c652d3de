import type { Socket as NetSocket } from 'node:net';
import { describe, expect, it } from 'vitest';
import type { EventChangedPayload } from '../../shared/contracts/socket.js';
import { cleanupAfterAll, connectClient, loginAs, startTestServer, waitFor, type TestSocket } from './harness.js';

const { later } = cleanupAfterAll();

/** The TCP connection under a socket.io-client WebSocket (engine.io-client's transport over `ws`). */
function tcpOf(socket: TestSocket): NetSocket {
  const transport = (socket.io as unknown as { engine: { transport: { name: string; ws?: { _socket?: NetSocket } } } }).engine.transport;
  const tcp = transport.ws?._socket;
  if (transport.name !== 'websocket' || !tcp) throw new Error('expected a WebSocket transport over TCP');
  return tcp;
}

describe('a socket that stops reading its feed', () => {
  it('is cut once it is over its send budget and its transport takes nothing; a reading console is not; the cut is audited', async () => {
    // small figures so that a few MB of changes are enough; the sweep looks every 100 ms
    const server = await startTestServer({ config: { sendBudget: { packets: 200, stallMs: 500, hardLimitPackets: 1_000_000, sweepMs: 100 } } });
    later(() => server.stop());
    const stalled = connectClient(server.url, {});
    const reader = connectClient(server.url, { token: await loginAs(server.url, 'demo-duty') });
    await stalled.ready;
    await reader.ready;
    later(() => stalled.socket.close());
    later(() => reader.socket.close());
    let stalledGone = false;
    stalled.socket.on('disconnect', () => (stalledGone = true));

    // The stalled console stops reading: its kernel buffers fill, then nothing more leaves the
    // server for it, while it stays connected (no close, no error).
    tcpOf(stalled.socket).pause();

    // A real change, pushed many times with a long description: more than the kernel buffers of
    // a loopback connection hold (tcp_rmem's maximum is 32 MB here). Pushed 50 at a time, each
    // lot only once the reading console has all before it: that console never has more than 50
    // waiting, however slow the machine, while the stalled one's backlog only grows.
    const row = (await server.store.get<{ seq: number; kind: string; snapshot: string }>('SELECT seq, kind, snapshot FROM event_changes ORDER BY seq DESC LIMIT 1'))!;
    const event = { ...(JSON.parse(row.snapshot) as EventChangedPayload['event']), description: '东门垃圾桶满溢，'.repeat(500) };
    const cutRecord = async () => (await server.handles.audit.list({ action: 'feed:cut', page: 1, pageSize: 10 })).items[0];
    let pushes = 0;
    while (!(await cutRecord()) && pushes < 40_000) {
      for (let i = 0; i < 50; i++) server.handles.bus.publish('case:changed', { seq: row.seq, event, kind: row.kind });
      pushes += 50;
      await waitFor(() => reader.changes.length === pushes, 60_000, 'the reading console to have every push');
    }

    // The server cut it (its own reason, not a ping timeout) and wrote why in the audit trail.
    const cut = await waitFor(cutRecord, 60_000, 'the cut of the stalled socket');
    expect(cut).toMatchObject({ action: 'feed:cut', result: 'failure', reason: 'send_stalled', username: 'demo-dispatcher', objectType: 'socket' });
    expect((cut.details as { unsent: number }).unsent).toBeGreaterThan(200);
    expect(server.handles.io.of('/').sockets.size).toBe(1);

    // The console that reads got every push and is still connected.
    expect(reader.changes.length).toBe(pushes);
    expect(reader.socket.connected).toBe(true);

    // Once it reads again, the stalled console learns it was cut (and would reconnect with its lastSeq).
    tcpOf(stalled.socket).resume();
    await waitFor(() => stalledGone, 60_000, 'the stalled console to see its disconnect');
  });
});
