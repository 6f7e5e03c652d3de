import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import type { EventCreated } from '../../shared/contracts/events.js';
import type { ServerConfig } from '../../server/src/config.js';
import { parsePublicKeys, readAnchorFile } from '../../server/src/modules/audit/audit-anchor.js';
import { anchorPaths } from '../../server/src/modules/audit/audit-anchor-writer.js';
import { api, cleanupAfterAll, intakeAt, pointInCounty, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';
import { TestClock } from './workflow-driver.js';

/**
 * Several nodes on one database (here one SQLite file): the timed duties (deadline monitor,
 * alerts sweep, retention, audit anchors) run on the one node holding their lease. A clean stop
 * hands them over at the other node's next try; a node that dies keeps them until its lease
 * expires on the clock, then another takes over and catches up. The lease is on the test's
 * clock, which only the test moves: a takeover that needs the TTL to pass waits for the test.
 */

const { tempDir, later } = cleanupAfterAll();
// Monday 2026-11-23, 09:00 in the county
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const TTL_MS = 60_000;
const ALL = ['deadlines', 'alerts', 'retention', 'auditAnchor'];

function node(dataDir: string, nodeId: string): Promise<TestServer> {
  const config: Partial<ServerConfig> = {
    nodeId,
    changeFeed: { mode: 'tail', pollMs: 200 },
    // renewals (and other nodes' tries) every 40 ms of the wall clock; the lease lasts a minute of the test's clock
    leases: { ttlMs: TTL_MS, renewMs: 40 },
    deadlineSweepMs: 40,
  };
  return startTestServer({ dataDir, clock, config }).then((server) => {
    // a test may stop a node itself; it is stopped once
    let stopped: Promise<void> | null = null;
    const stop = () => (stopped ??= server.stop());
    later(stop);
    return { ...server, stop };
  });
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('the timed duties with several nodes on one database', () => {
  it('runs them on one node, hands them over on a clean stop, and takes them from a dead node once its lease expired', async () => {
    const dataDir = tempDir();
    const a = await node(dataDir, 'node-a');
    const b = await node(dataDir, 'node-b');
    const duties = (s: TestServer) => s.handles.duties!;
    // node A listened first and holds the lease: its timers run, node B's do not
    expect(duties(a).running).toEqual(ALL);
    expect(duties(b).running).toEqual([]);
    const sweeps = [a, b].map((s) => ({ deadlines: vi.spyOn(s.handles.deadlines, 'sweep'), alerts: vi.spyOn(s.handles.alerts, 'sweep') }));
    await pause(400);
    expect(sweeps[0]!.deadlines.mock.calls.length).toBeGreaterThan(2);
    expect(sweeps[0]!.alerts.mock.calls.length).toBeGreaterThan(2);
    expect([sweeps[1]!.deadlines.mock.calls.length, sweeps[1]!.alerts.mock.calls.length]).toEqual([0, 0]);
    expect((await a.store.get<{ holder: string }>("SELECT holder FROM node_leases WHERE name = 'timers'"))!.holder).toBe('node-a');

    // a clean stop releases the lease: node B takes over at its next try, with the clock standing still
    await a.stop();
    await waitFor(() => duties(b).running.length === ALL.length, 5_000, 'node B to take the duties over');
    const bSweeps = sweeps[1]!.deadlines.mock.calls.length;
    await waitFor(() => sweeps[1]!.deadlines.mock.calls.length > bSweeps + 2, 5_000, "node B's deadline monitor to run");

    // a third node joins and files a case; node B then dies without releasing its lease
    const c = await node(dataDir, 'node-c');
    // read through node C's connection (node A's is closed by then)
    const audited = async () =>
      (
        await c.store.all<{ action: string; node: string; result: string; reason: string | null; details: string }>(
          "SELECT action, object_id AS node, result, reason, details FROM audit_log WHERE action LIKE 'system:duty%' ORDER BY seq",
        )
      ).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

    const { lon, lat } = await pointInCounty(c.url, 1);
    const created = await api<EventCreated>(c.url, '/api/v1/events', { method: 'POST', json: intakeAt(await someItemCode(c.url), { lon, lat }, { description: '节点交接期间受理' }) });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const deadlineAt = Date.parse(created.body.event.deadlineAt!);
    await duties(b).abandon();
    // the lease stands until it expires on the clock: node C tries again and again, and waits
    await pause(400);
    expect(duties(c).running).toEqual([]);
    expect(duties(b).running).toEqual([]);
    const expiresAt = Date.parse((await c.store.get<{ expires_at: string }>("SELECT expires_at FROM node_leases WHERE name = 'timers'"))!.expires_at);
    expect(expiresAt - clock.now().getTime()).toBeGreaterThan(TTL_MS - 1_000);
    const overdue = async () => (await c.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM event_changes WHERE event_id = ? AND kind = 'deadline-overdue'", created.body.id))!.n;
    expect(await overdue()).toBe(0);

    // past the lease's expiry (and the new case's deadline): node C takes over and catches up
    clock.set(new Date(Math.max(expiresAt, deadlineAt) + 1_000));
    await waitFor(() => duties(c).running.length === ALL.length, 5_000, 'node C to take the duties over');
    await waitFor(async () => (await overdue()) === 1, 5_000, "node C's deadline monitor to catch up on the case");
    await pause(200);
    expect(await overdue()).toBe(1);

    expect((await audited()).map((r) => [r.action, r.node, r.result, r.reason])).toEqual([
      ['system:duty_take', 'node-a', 'success', null],
      ['system:duty_yield', 'node-a', 'success', 'released'],
      ['system:duty_take', 'node-b', 'success', null],
      ['system:duty_take', 'node-c', 'success', 'lease_expired'],
    ]);
    expect((await audited()).at(-1)!.details).toMatchObject({ lease: 'timers', duties: ALL, from: 'node-b' });

    // the anchors of the three holders, in the one folder they share, make one unbroken chain
    await c.handles.auditAnchor.writeNow();
    const paths = anchorPaths(dataDir, { dir: null, keyFile: null });
    const reading = readAnchorFile(readFileSync(paths.anchorFile, 'utf8'), parsePublicKeys(readFileSync(paths.publicKeysFile, 'utf8')).keys);
    expect(reading.problems).toEqual([]);
    expect(reading.anchors.length).toBeGreaterThanOrEqual(3);
  });

  it('starts the timers of a single server without any lease', async () => {
    const single = await startTestServer({ dataDir: tempDir(), clock });
    later(() => single.stop());
    expect(single.handles.duties).toBeNull();
    expect(await single.store.get('SELECT COUNT(*) AS n FROM node_leases')).toEqual({ n: 0 });
  });
});
