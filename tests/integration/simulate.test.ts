import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventListResponse } from '../../shared/contracts/events.js';
import { runSimulation } from '../../server/src/modules/simulate/simulation.js';
import { api, DEMO_PASSWORD, startTestServer, type TestServer } from './harness.js';
import { TestClock } from './workflow-driver.js';

/**
 * The daily curve decides how many reports a run brings, so every run here starts at a given
 * simulated time (a Monday morning and a night of the same working week), and the server's
 * clock stands at that time too: ranking reads position ages from it. Nothing depends on the
 * hour `npm test` runs at.
 */
const MORNING = '2026-11-23T09:00:00+08:00';
const NIGHT = '2026-11-24T02:00:00+08:00';
const clock = new TestClock(Date.parse(MORNING));

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ clock });
});
afterAll(async () => server?.stop());

const THREE_HOURS = { ratePerHour: 10, speed: 900, durationSec: 0, tickMs: 200, maxTicks: 60, seed: 7, password: DEMO_PASSWORD } as const;

describe('npm run simulate', () => {
  it('drives cases through the whole loop over the real API, with separation of duties and team positions', async () => {
    const before = (await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1')).body.total;
    const lines: string[] = [];
    // 60 ticks of 3 simulated minutes, as fast as the server answers: 09:00–12:00, the busiest hours.
    const stats = await runSimulation({ ...THREE_HOURS, url: server.url, start: MORNING, log: (l) => lines.push(l) });

    // about 72 expected (10 an hour × HOUR_FACTOR of 09, 10, 11); a run on the machine's clock at night brings a few
    expect(stats.reported).toBeGreaterThan(40);
    const after = (await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1')).body.total;
    expect(after - before).toBe(stats.reported);
    expect(stats.dispatched).toBeGreaterThan(0);
    expect(stats.closed).toBeGreaterThan(0);
    expect(stats.errors, lines.join('\n')).toBe(0);
    // Teams travelled and their positions came in through the gateway account, as a tracker's would.
    expect(stats.positions).toBeGreaterThan(0);
    const trail = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM team_positions'))!;
    expect(trail.n).toBe(stats.positions);

    // Every closed case went through the loop with different people reporting, handling, verifying.
    const closed = await server.store.all<{ r: string; h: string; v: string }>(
      "SELECT reporter_user_id AS r, handler_user_id AS h, verifier_user_id AS v FROM events WHERE status = 'closed' AND reporter_user_id IS NOT NULL AND self_handled = 0",
    );
    expect(closed.length).toBeGreaterThan(0);
    for (const c of closed) expect(new Set([c.r, c.h, c.v]).size).toBe(3);
  });

  it('follows the daily curve from the start it is given: three hours from 02:00 bring a handful of reports', async () => {
    clock.set(new Date(NIGHT));
    const lines: string[] = [];
    const night = await runSimulation({ ...THREE_HOURS, url: server.url, start: NIGHT, log: (l) => lines.push(l) });
    // 02:00–05:00 carries about a fortieth of 09:00–12:00's load (HOUR_FACTOR): ~1.6 reports expected
    expect(night.reported).toBeLessThan(6);
    expect(night.errors, lines.join('\n')).toBe(0);
  });

  it('refuses a start that is not a time rather than running on the machine clock', async () => {
    await expect(runSimulation({ ...THREE_HOURS, url: server.url, start: '09:00' })).rejects.toThrow(/start must be an ISO 8601 day or time/);
  });
});
