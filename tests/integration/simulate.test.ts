import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListResponse } from '../../shared/contracts/events.js';
import { runSimulation } from '../../server/src/modules/simulate/simulation.js';
import { api, DEMO_PASSWORD, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

describe('npm run simulate', () => {
  it('drives cases through the whole loop over the real API, with separation of duties and team positions', async () => {
    const before = (await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1')).body.total;
    const lines: string[] = [];
    // 60 ticks of 3 simulated minutes, as fast as the server answers: three simulated hours at a busy rate.
    const stats = await runSimulation({ url: server.url, ratePerHour: 40, speed: 900, durationSec: 0, tickMs: 200, maxTicks: 60, seed: 7, password: DEMO_PASSWORD, log: (l) => lines.push(l) });

    expect(stats.reported).toBeGreaterThan(10);
    const after = (await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1')).body.total;
    expect(after - before).toBe(stats.reported);
    expect(stats.dispatched).toBeGreaterThan(0);
    expect(stats.closed).toBeGreaterThan(0);
    expect(stats.errors, lines.join('\n')).toBe(0);
    // Teams travelled and their positions came in through the gateway account, as a tracker's would.
    expect(stats.positions).toBeGreaterThan(0);
    const trail = server.db.prepare('SELECT COUNT(*) AS n FROM team_positions').get() as { n: number };
    expect(trail.n).toBe(stats.positions);

    // Every closed case went through the loop with different people reporting, handling, verifying.
    const closed = server.db
      .prepare("SELECT reporter_user_id AS r, handler_user_id AS h, verifier_user_id AS v FROM events WHERE status = 'closed' AND reporter_user_id IS NOT NULL AND self_handled = 0")
      .all() as Array<{ r: string; h: string; v: string }>;
    expect(closed.length).toBeGreaterThan(0);
    for (const c of closed) expect(new Set([c.r, c.h, c.v]).size).toBe(3);
  });
});
