import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditListResponse } from '../../shared/contracts/audit.js';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import type { RecommendationsResponse } from '../../shared/contracts/workflow.js';
import { autoDispatchChoice } from '../../shared/domain/recommend.js';
import { api, startTestServer, type TestServer } from './harness.js';
import { act, as, catalogOf, done, getEvent, manual, pick, pointIn, reported, timelineOf, type Who } from './workflow-driver.js';

// Dispatch without mistakes: a team the ranking marks ineligible goes only with the dispatcher's
// written reason, recorded on the timeline and the audit record; separation of duties is never
// overridden; a team that returned the case ranks after the others and the machine never picks it.
let server: TestServer;
let catalog: CatalogResponse;
let duty: Who;
let dispatcher: Who;
let field: Who;
let auditor: Who;
let homeVillage: string;

beforeAll(async () => {
  server = await startTestServer();
  [duty, dispatcher, field, auditor] = (await Promise.all(['demo-duty', 'demo-dispatcher', 'demo-field', 'demo-auditor'].map((u) => as(server.url, u)))) as [Who, Who, Who, Who];
  homeVillage = (await server.store.get<{ id: string }>('SELECT home_region_id AS id FROM teams WHERE id = ?', field.teamId))!.id;
  catalog = await catalogOf(server.url, dispatcher);
});
afterAll(async () => server?.stop());

/** The seeded duty roster is random: every team on duty, so each test sets only what it needs. */
async function everyTeamOnDuty(): Promise<void> {
  await server.store.run("UPDATE teams SET status = 'available'");
}

const setStatus = (teamId: string, status: string) => server.store.run('UPDATE teams SET status = ? WHERE id = ?', status, teamId);

/** A filed case in the field team's home village of an item dispatched by hand, of the team's type unless told. */
async function filedCase(by: Who = duty, teamType: 'own' | 'other' = 'own'): Promise<EventRecord> {
  const ownType = (await server.store.get<{ type: string }>('SELECT type FROM teams WHERE id = ?', field.teamId))!.type;
  const item = pick(catalog, `dispatched by hand, ${teamType === 'own' ? 'of' : 'not of'} the field team's type`, (i, u) => (i.teamType === ownType) === (teamType === 'own') && manual(i, u));
  const event = await reported(server.url, by, item, await pointIn(server.url, field.towns![0]!, 0, homeVillage), { description: `派遣规则测试 ${Math.random()}` });
  await done(server.url, dispatcher, event.id, { action: 'file' });
  return event;
}

const recommendations = async (id: string) => (await api<RecommendationsResponse>(server.url, `/api/v1/events/${id}/recommendations`, { token: dispatcher.token })).body;
const auditOf = async (id: string) => (await api<AuditListResponse>(server.url, `/api/v1/audit?objectId=${id}&pageSize=50`, { token: auditor.token })).body.items;

describe('dispatching a team the ranking marks ineligible', () => {
  it('refuses an off-duty team without a reason, naming the field, and changes nothing; the refusal is audited', async () => {
    await everyTeamOnDuty();
    const event = await filedCase();
    await setStatus(field.teamId!, 'off_duty');
    const own = (await recommendations(event.id)).recommendations.find((r) => r.teamId === field.teamId)!;
    expect(own).toMatchObject({ eligible: false, status: 'off_duty' });

    const refused = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId! });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'team_ineligible', ineligible: ['off_duty'], overridable: true, teamStatus: 'off_duty' });
    expect(refused.body.error.fields?.map((f) => [f.field, f.code])).toEqual([
      ['teamId', 'team_off_duty'],
      ['override.reason', 'override_reason_required'],
    ]);
    expect(refused.body.error.message).toContain('override.reason');
    expect(await getEvent(server.url, dispatcher, event.id)).toMatchObject({ status: 'filed', teamId: null });

    const english = await api<ApiError>(server.url, `/api/v1/events/${event.id}/actions`, {
      method: 'POST',
      token: dispatcher.token,
      json: { action: 'dispatch', teamId: field.teamId },
      headers: { 'accept-language': 'en' },
    });
    expect(english.body.error.message).toMatch(/is not eligible for this case: it is off duty\. To dispatch it anyway, give a reason/);

    const blank = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '   ' } });
    expect(blank.status).toBe(400);
    expect(blank.body.error.fields?.map((f) => f.field)).toEqual(['override.reason']);

    const refusal = (await auditOf(event.id)).find((r) => r.action === 'event:dispatch' && r.result !== 'success');
    expect(refusal).toMatchObject({ username: 'demo-dispatcher', result: 'failure', reason: 'team_ineligible' });
    expect(refusal?.details).toMatchObject({ action: 'dispatch', ineligible: ['off_duty'], overridable: true });
  });

  it('dispatches it with a written reason, and keeps the reason on the timeline and the audit record', async () => {
    await everyTeamOnDuty();
    const event = await filedCase();
    await setStatus(field.teamId!, 'off_duty');
    const reason = '本村队伍虽已下班，值班长电话召回，十分钟内可到场';
    const dispatched = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason } });
    expect(dispatched.event).toMatchObject({ status: 'dispatched', teamId: field.teamId });
    expect(dispatched.entry.details.override).toEqual({ reason, ineligible: ['off_duty'] });

    const entry = (await timelineOf(server.url, dispatcher, event.id)).body.entries.at(-1)!;
    expect(entry).toMatchObject({ action: 'dispatch', details: { teamId: field.teamId, override: { reason, ineligible: ['off_duty'] } } });
    const record = (await auditOf(event.id)).find((r) => r.action === 'event:dispatch' && r.result === 'success');
    expect(record?.details).toMatchObject({ action: 'dispatch', teamId: field.teamId, override: { reason, ineligible: ['off_duty'] } });
  });

  it('asks a reason for a team of another type than the item needs, and records none for an eligible team', async () => {
    await everyTeamOnDuty();
    const other = await filedCase(duty, 'other');
    const refused = await act(server.url, dispatcher, other.id, { action: 'dispatch', teamId: field.teamId! });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'team_ineligible', ineligible: ['type_mismatch'], overridable: true });
    const sent = await done(server.url, dispatcher, other.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '专业队伍均在外处置，先由网格员到场稳控' } });
    expect(sent.entry.details.override).toMatchObject({ ineligible: ['type_mismatch'] });

    const own = await filedCase();
    const plain = await done(server.url, dispatcher, own.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '多余的理由' } });
    expect(plain.event.status).toBe('dispatched');
    expect(plain.entry.details).not.toHaveProperty('override');
  });

  it('never overrides separation of duties: the team whose only member reported the case is refused, reason or not', async () => {
    await everyTeamOnDuty();
    const event = await filedCase(field);
    for (const override of [undefined, { reason: '情况紧急，只能由本队处置' }]) {
      const refused = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, ...(override ? { override } : {}) });
      expect(refused.status).toBe(422);
      expect(refused.body.error).toMatchObject({ code: 'team_ineligible', ineligible: ['reporter_only_member'], overridable: false });
      expect(refused.body.error.fields?.map((f) => [f.field, f.code])).toEqual([['teamId', 'team_reporter_only_member']]);
      expect(refused.body.error.message).toContain('不能以理由越过');
    }
    // off duty as well: one rule that cannot be lifted is enough to refuse
    await setStatus(field.teamId!, 'off_duty');
    const both = await act(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '召回本队' } });
    expect(both.body.error).toMatchObject({ code: 'team_ineligible', ineligible: ['off_duty', 'reporter_only_member'], overridable: false });
    expect(await getEvent(server.url, dispatcher, event.id)).toMatchObject({ status: 'filed', teamId: null });
  });
});

describe('a team that returned the case (回退)', () => {
  it('ranks after every other eligible team, says why, and is never the machine’s choice', async () => {
    await everyTeamOnDuty();
    // law enforcement: the town's squad and the county's unit both serve the village
    const item = pick(catalog, 'handled by law enforcement, dispatched by hand', (i, u) => i.teamType === 'law_enforcement' && manual(i, u));
    const event = await reported(server.url, duty, item, await pointIn(server.url, field.towns![0]!, 0, homeVillage), { description: '回退后重新派遣' });
    await done(server.url, dispatcher, event.id, { action: 'file' });
    const before = (await recommendations(event.id)).recommendations;
    const first = before[0]!;
    expect(first.eligible).toBe(true);
    expect(first.reasons.map((r) => r.code)).not.toContain('returned_before');
    expect(autoDispatchChoice(before)?.teamId).toBe(first.teamId);

    await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: first.teamId });
    // the duty officer records the team's return on its behalf
    await done(server.url, duty, event.id, { action: 'return', reason: '不属于本队职责范围' });

    const after = (await recommendations(event.id)).recommendations;
    const returned = after.find((r) => r.teamId === first.teamId)!;
    expect(returned.eligible).toBe(true);
    expect(returned.reasons).toContainEqual({ code: 'returned_before', params: { times: 1 }, points: 0 });
    const otherEligible = after.filter((r) => r.eligible && r.teamId !== first.teamId);
    expect(otherEligible.length).toBeGreaterThan(0);
    expect(returned.rank).toBe(otherEligible.length + 1);
    expect(returned.score).toBeGreaterThan(otherEligible.at(-1)!.score); // below them whatever its points
    expect(autoDispatchChoice(after)?.teamId).not.toBe(first.teamId);

    // the only eligible team left: first in the list, still never the machine's to send
    for (const r of otherEligible) await setStatus(r.teamId, 'off_duty');
    const alone = (await recommendations(event.id)).recommendations;
    expect(alone[0]).toMatchObject({ teamId: first.teamId, eligible: true });
    expect(autoDispatchChoice(alone)).toBeNull();

    // a dispatcher may still send it back by hand: a return is a reason to look twice, not a rule
    const again = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: first.teamId });
    expect(again.entry.details).not.toHaveProperty('override');
  });
});
