import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { RecommendationsResponse } from '../../shared/contracts/workflow.js';
import { api, startTestServer, tempDataDir, type TestServer } from './harness.js';
import { as, catalogOf, pick, pointIn, reported, timelineOf, type Who } from './workflow-driver.js';

// Separation of duties (采办分离) in machine dispatch: the reporter may not handle the case, so a
// team whose only member who could handle it is the reporter is never sent it by the machine,
// and the dispatch dialog's ranking says why.
const data = tempDataDir();
let server: TestServer;
let field: Who;
let duty: Who;
let dispatcher: Who;
let homeVillage: string;

const recommendations = (id: string) => api<RecommendationsResponse & ApiError>(server.url, `/api/v1/events/${id}/recommendations`, { token: dispatcher.token });

/** Every team free and at its base, so the field worker's village team is the machine's first choice for a case in its village. */
async function freeAllTeams(): Promise<void> {
  await server.store.run("UPDATE teams SET status = 'available'");
}

beforeAll(async () => {
  server = await startTestServer({ dataDir: data.dir });
  [field, duty, dispatcher] = (await Promise.all(['demo-field', 'demo-duty', 'demo-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who];
  homeVillage = (await server.store.get<{ id: string }>('SELECT home_region_id AS id FROM teams WHERE id = ?', field.teamId))!.id;
});
afterAll(async () => {
  await server?.stop();
  data.remove();
});

describe('machine dispatch and the reporter (采办分离)', () => {
  it('sends a case the team could handle to it when someone else reported it', async () => {
    await freeAllTeams();
    const catalog = await catalogOf(server.url, dispatcher);
    const item = pick(catalog, "auto-dispatched to the grid workers' team", (i, u) => i.teamType === 'grid_worker' && (i.autoDispatch?.urgencies.includes(u) ?? false));
    const at = await pointIn(server.url, field.towns![0]!, 0, homeVillage);
    const event = await reported(server.url, duty, item, at, { description: '机器派单：他人上报，派给本村网格队' });
    expect(event).toMatchObject({ status: 'dispatched', teamId: field.teamId, autoDispatched: true });
  });

  it('never sends it to a team whose only member is the reporter: the ranking marks the team ineligible with the reason', async () => {
    await freeAllTeams();
    const catalog = await catalogOf(server.url, dispatcher);
    const item = pick(catalog, "auto-dispatched to the grid workers' team", (i, u) => i.teamType === 'grid_worker' && (i.autoDispatch?.urgencies.includes(u) ?? false));
    const at = await pointIn(server.url, field.towns![0]!, 0, homeVillage);
    const event = await reported(server.url, field, item, at, { description: '机器派单：本队唯一成员上报，不得派给本队' });
    expect(event.teamId).not.toBe(field.teamId);

    const ranking = await recommendations(event.id);
    expect(ranking.status).toBe(200);
    const own = ranking.body.recommendations.find((r) => r.teamId === field.teamId)!;
    expect(own.eligible).toBe(false);
    expect(own.reasons).toContainEqual({ code: 'reporter_only_member', params: {}, points: 0 });
    expect(own.rank).toBeGreaterThan(ranking.body.recommendations.filter((r) => r.eligible).length);

    const machine = (await timelineOf(server.url, dispatcher, event.id)).body.entries.filter((e) => e.action === 'auto-dispatch');
    if (event.status === 'dispatched') expect(machine.at(-1)?.details.teamId).toBe(event.teamId);
    else expect(machine.at(-1)?.details).toMatchObject({ dispatched: false });
  });

  it('counts only active accounts that may handle: a second member makes the team eligible again', async () => {
    await freeAllTeams();
    const catalog = await catalogOf(server.url, dispatcher);
    const item = pick(catalog, "auto-dispatched to the grid workers' team", (i, u) => i.teamType === 'grid_worker' && (i.autoDispatch?.urgencies.includes(u) ?? false));
    const at = await pointIn(server.url, field.towns![0]!, 0, homeVillage);
    const event = await reported(server.url, field, item, at, { description: '机器派单：本队另有成员' });
    const before = (await recommendations(event.id)).body.recommendations.find((r) => r.teamId === field.teamId)!;
    expect(before.eligible).toBe(false);

    // a teammate's account: the team now has someone besides the reporter to handle it
    await server.store.run('UPDATE users SET team_id = ? WHERE id = ?', field.teamId, duty.userId);
    try {
      const after = (await recommendations(event.id)).body.recommendations.find((r) => r.teamId === field.teamId)!;
      expect(after.eligible).toBe(true);
      expect(after.reasons.some((r) => r.code === 'reporter_only_member')).toBe(false);
      // a disabled account does not count
      await server.store.run('UPDATE users SET disabled = 1 WHERE id = ?', duty.userId);
      const disabled = (await recommendations(event.id)).body.recommendations.find((r) => r.teamId === field.teamId)!;
      expect(disabled.eligible).toBe(false);
    } finally {
      await server.store.run('UPDATE users SET team_id = NULL, disabled = 0 WHERE id = ?', duty.userId);
    }
  });
});
