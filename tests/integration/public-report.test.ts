import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PUBLIC_REPORT_LIMITS } from '../../server/src/config.js';
import { PUBLIC_ACCOUNT_ID } from '../../server/src/db/migration-open311.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import { FORM_TOKEN_HEADER, type PublicAttachment, type PublicClassifyResponse, type PublicFormToken, type PublicItemsResponse } from '../../shared/contracts/public-page.js';
import type { PublicReportCreated, PublicReportStatus } from '../../shared/contracts/public-report.js';
import { api, startTestServer, type TestServer } from './harness.js';
import { as, done, pointIn, TestClock, towns, type Who } from './workflow-driver.js';

/**
 * The resident page's API (`/api/v1/public/*`): a report through the one intake, its status by
 * the tracking token along the loop, and the abuse protection (form token and fill time,
 * honeypot, daily cap, rate limits), each refusal writing nothing.
 */

const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const LIMITS = { ...DEFAULT_PUBLIC_REPORT_LIMITS, reportsPerMinute: 100, reportsPerDay: 7, lookupsPerMinute: 12 };
const FILL_MS = LIMITS.minFillSeconds * 1000;

let server: TestServer;
let dispatcher: Who;
let field: Who;
let items: PublicItemsResponse;
let place: { lon: number; lat: number };
let fieldTown: string;

const eventCount = async () => (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n;

async function formToken(): Promise<string> {
  const res = await api<PublicFormToken>(server.url, '/api/v1/public/form', { anonymous: true });
  expect(res.status).toBe(200);
  return res.body.formToken;
}

/** A form opened, filled for longer than the minimum fill time, and sent. */
async function submit(body: Record<string, unknown>, opts: { token?: string; fill?: boolean } = {}) {
  const token = opts.token ?? (await formToken());
  if (opts.fill !== false) clock.advance(FILL_MS + 1000);
  return api<PublicReportCreated & ApiError>(server.url, '/api/v1/public/reports', { method: 'POST', json: { formToken: token, ...body }, anonymous: true });
}

const status = (token: string) => api<PublicReportStatus & ApiError>(server.url, `/api/v1/public/reports/${token}`, { anonymous: true });

function report(overrides: Record<string, unknown> = {}) {
  return { itemCode: items.items[0]!.code, description: '小区东门路灯不亮已经三天了，晚上很黑', location: place, ...overrides };
}

/** The case behind a token, as the dispatcher's queue shows it. */
async function caseOf(token: string): Promise<EventRecord> {
  const row = (await server.store.get<{ id: string }>('SELECT event_id AS id FROM public_requests WHERE token = ?', token))!;
  const res = await api<{ items: EventRecord[] }>(server.url, `/api/v1/events?pageSize=1000`, { token: dispatcher.token });
  expect(res.status).toBe(200);
  const found = res.body.items.find((e) => e.id === row.id);
  expect(found, `case ${row.id} in the dispatcher's queue`).toBeDefined();
  return found!;
}

beforeAll(async () => {
  server = await startTestServer({ clock, config: { publicReport: LIMITS } });
  [dispatcher, field] = await Promise.all([as(server.url, 'demo-dispatcher'), as(server.url, 'demo-field')]);
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  fieldTown = field.towns?.[0] ?? (await towns(server.url))[0]!;
  const at = await pointIn(server.url, fieldTown);
  place = { lon: at.lon, lat: at.lat };
  items = (await api<PublicItemsResponse>(server.url, '/api/v1/public/items', { anonymous: true })).body;
});
afterAll(async () => server?.stop());

describe('a resident reports and follows up', () => {
  it('lists the admitted items and the matters outside the list, without login', () => {
    expect(items.items.length).toBeGreaterThan(3);
    expect(items.items[0]).toEqual({
      code: expect.any(String),
      name: expect.any(String),
      nameEn: expect.any(String),
      category: expect.any(String),
      categoryName: expect.any(String),
      categoryNameEn: expect.any(String),
      department: expect.any(String),
    });
    expect(items.referrals[0]).toEqual({ code: expect.any(String), name: expect.any(String), nameEn: expect.any(String), receivingBody: expect.any(String) });
  });

  it('submits, gets an unguessable token, reads "received", and the case is in the dispatcher queue through the one intake', async () => {
    const res = await submit(report({ reporter: { name: '李阿姨', phone: '13905710002' } }));
    expect(res.status).toBe(201);
    expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{32}$/);

    const s = await status(res.body.token);
    expect(s.status).toBe(200);
    expect(s.headers.get('cache-control')).toBe('no-store');
    expect(s.body).toMatchObject({ token: res.body.token, itemName: items.items[0]!.name, status: 'received', steps: [{ step: 'received' }] });
    expect(JSON.stringify(s.body)).not.toMatch(/李阿姨|13905710002/);

    const event = await caseOf(res.body.token);
    expect(event).toMatchObject({ source: 'citizen_app', status: 'reported', itemCode: items.items[0]!.code, reporter: { name: '李阿姨', phone: '13905710002' } });
    // audited by the intake as the public account, with the resident's address
    const audit = await server.store.get<{ user_id: string; source_ip: string }>("SELECT user_id, source_ip FROM audit_log WHERE action = 'event:create' AND object_id = ?", event.id);
    expect(audit).toEqual({ user_id: PUBLIC_ACCOUNT_ID, source_ip: expect.stringMatching(/127\.0\.0\.1/) });
  });

  it('shows a matter outside the list as not admitted, with the receiving body', async () => {
    const referral = items.referrals[0]!;
    const res = await submit(report({ itemCode: referral.code, description: '有人在村口聚众赌博' }));
    expect(res.status).toBe(201);
    const s = await status(res.body.token);
    expect(s.body.status).toBe('not_admitted');
    expect(s.body.steps.map((x) => x.step)).toEqual(['received', 'not_admitted']);
    expect(s.body.steps[1]!.receivingBody).toBe(referral.receivingBody);
  });

  it('follows the case through the workflow to closed with the result, and never names the staff', async () => {
    const res = await submit(report({ description: '垃圾桶满溢，暴露垃圾约两平方米，请尽快清理' }));
    expect(res.status).toBe(201);
    const event = await caseOf(res.body.token);
    await done(server.url, dispatcher, event.id, { action: 'file' });
    expect((await status(res.body.token)).body.status).toBe('filed');
    await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '测试：指定网格员队伍' } });
    await done(server.url, field, event.id, { action: 'accept' });
    await done(server.url, field, event.id, { action: 'start' });
    expect((await status(res.body.token)).body.status).toBe('in_progress');
    await done(server.url, field, event.id, { action: 'report', result: '已清理完毕，现场恢复整洁' });
    const closing = await api<EventRecord>(server.url, `/api/v1/events/${event.id}`, { token: dispatcher.token });
    if (closing.body.status === 'handled') await done(server.url, dispatcher, event.id, { action: 'verify' });
    await done(server.url, dispatcher, event.id, { action: 'close' });

    const s = await status(res.body.token);
    expect(s.body.status).toBe('closed');
    expect(s.body.steps.map((x) => x.step)).toEqual(['received', 'filed', 'in_progress', 'closed']);
    expect(s.body.steps.at(-1)!.result).toBe('已清理完毕，现场恢复整洁');
    const staff = await server.store.all<{ username: string; name: string }>('SELECT username, display_name AS name FROM users WHERE id IN (?, ?)', dispatcher.userId, field.userId);
    const team = (await server.store.get<{ name: string }>('SELECT name FROM teams WHERE id = ?', field.teamId))!;
    const text = JSON.stringify(s.body);
    for (const word of [...staff.flatMap((u) => [u.username, u.name]), team.name, field.teamId!]) expect(text).not.toContain(word);
  });

  it('takes photos uploaded under the same form only', async () => {
    const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#4a7' } }).jpeg().toBuffer();
    const token = await formToken();
    const up = await api<PublicAttachment & ApiError>(server.url, '/api/v1/public/attachments', {
      method: 'POST',
      body: photo as RequestInit['body'],
      headers: { 'content-type': 'image/jpeg', 'x-filename': encodeURIComponent('路灯.jpg'), [FORM_TOKEN_HEADER]: token },
      anonymous: true,
    });
    expect(up.status).toBe(201);
    expect(up.body).toEqual({ id: expect.stringMatching(/^AT/), name: '路灯.jpg' });

    const before = await eventCount();
    // another form may not reference it
    const foreign = await submit(report({ attachments: [{ id: up.body.id, name: '路灯.jpg' }] }));
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.fields).toEqual([expect.objectContaining({ field: 'attachments.0.id', code: 'unknown_attachment' })]);
    expect(await eventCount()).toBe(before);

    const ok = await submit(report({ attachments: [{ id: up.body.id, name: '路灯.jpg' }] }), { token });
    expect(ok.status).toBe(201);
    const row = (await server.store.get<{ id: string }>('SELECT event_id AS id FROM public_requests WHERE token = ?', ok.body.token))!;
    const linked = (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM attachments WHERE id = ? AND created_by = ?', up.body.id, PUBLIC_ACCOUNT_ID))!;
    expect(linked.n).toBe(1);
    expect(row.id).toMatch(/^EV/);

    // a photo without a form token is refused before its body is read
    const bare = await api<ApiError>(server.url, '/api/v1/public/attachments', { method: 'POST', body: photo as RequestInit['body'], headers: { 'content-type': 'image/jpeg' }, anonymous: true });
    expect(bare.status).toBe(400);
    expect(bare.body.error.fields).toEqual([expect.objectContaining({ field: FORM_TOKEN_HEADER, code: 'form_invalid' })]);
  });

  it('suggests items of the public list from what the resident types', async () => {
    const res = await api<PublicClassifyResponse>(server.url, '/api/v1/public/classify', { method: 'POST', json: { text: '楼道里拉插线板给电瓶车充电' }, anonymous: true });
    expect(res.status).toBe(200);
    expect(res.body.suggestions.length).toBeLessThanOrEqual(3);
    const codes = new Set(items.items.map((i) => i.code));
    for (const s of res.body.suggestions) expect(codes.has(s.itemCode)).toBe(true);
  });

  it('serves the county layers for the map, names and label points only', async () => {
    const res = await api<{ features: Array<{ properties: Record<string, unknown> }> }>(server.url, '/api/v1/public/map/village', { anonymous: true });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.features[0]!.properties).sort()).toEqual(['id', 'labelLat', 'labelLon', 'level', 'name']);
    expect((await api(server.url, '/api/v1/public/map/microgrid', { anonymous: true })).status).toBe(400);
  });
});

describe('abuse protection', () => {
  it('refuses a filled honeypot, audited with the source address, and writes nothing', async () => {
    const before = await eventCount();
    const res = await submit(report({ website: 'http://cheap-pills.example' }));
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'website', code: 'honeypot' })]);
    expect(await eventCount()).toBe(before);
    const denial = await server.store.get<{ source_ip: string }>("SELECT source_ip FROM audit_log WHERE action = 'access:denied' AND reason = 'honeypot' ORDER BY seq LIMIT 1");
    expect(denial?.source_ip).toMatch(/127\.0\.0\.1/);
  });

  it('refuses a report sent sooner than the minimum fill time, a reused form and a forged token', async () => {
    const before = await eventCount();
    const token = await formToken();
    const fast = await submit(report(), { token, fill: false });
    expect(fast.status).toBe(400);
    expect(fast.body.error).toMatchObject({ reason: 'form_too_fast', fields: [expect.objectContaining({ field: 'formToken', code: 'form_too_fast' })] });

    expect((await submit(report(), { token })).status).toBe(201);
    const again = await submit(report(), { token });
    expect(again.body.error.fields).toEqual([expect.objectContaining({ field: 'formToken', code: 'form_used' })]);

    const [issued, nonce] = (await formToken()).split('.');
    const forged = await submit(report(), { token: `${issued}.${nonce}.${'A'.repeat(43)}` });
    expect(forged.body.error.fields).toEqual([expect.objectContaining({ field: 'formToken', code: 'form_invalid' })]);

    const old = await formToken();
    clock.advance(LIMITS.maxFormAgeSeconds * 1000);
    const expired = await submit(report(), { token: old });
    expect(expired.body.error.fields).toEqual([expect.objectContaining({ field: 'formToken', code: 'form_expired' })]);
    expect(await eventCount()).toBe(before + 1);
  });

  it('answers bad bodies with bilingual field errors and writes nothing', async () => {
    const before = await eventCount();
    const zh = await submit({ itemCode: '', description: '', location: { lon: 'east' }, reporter: { phone: '12345' } });
    expect(zh.status).toBe(400);
    const fields = zh.body.error.fields!.map((f) => f.field).sort();
    expect(fields).toEqual(expect.arrayContaining(['description', 'itemCode', 'reporter.phone']));
    expect(fields.some((f) => f.startsWith('location'))).toBe(true);
    expect(zh.body.error.message).toMatch(/[\u4e00-\u9fff]/);

    const token = await formToken();
    clock.advance(FILL_MS + 1000);
    const en = await api<ApiError>(server.url, '/api/v1/public/reports', {
      method: 'POST',
      json: { formToken: token, ...report({ location: { lon: 10, lat: 10 } }) },
      headers: { 'accept-language': 'en' },
      anonymous: true,
    });
    expect(en.status).toBe(422);
    expect(en.body.error.message).toMatch(/outside the county/);

    const unknown = await submit({ ...report(), staffNote: 'x' });
    expect(unknown.body.error.fields).toEqual([expect.objectContaining({ field: 'staffNote', code: 'unknown_field' })]);

    const huge = await submit(report({ description: '很'.repeat(12_000) }));
    expect(huge.status).toBe(413);
    expect(await eventCount()).toBe(before);
  });

  it('rate-limits status lookups per address, and refuses tokens that are not tokens', async () => {
    expect((await status('not-a-token')).status).toBe(400);
    const unknown = await status('A'.repeat(32));
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('not_found');
    let limited = 0;
    for (let i = 0; i < LIMITS.lookupsPerMinute + 2; i++) if ((await status('B'.repeat(32))).status === 429) limited++;
    expect(limited).toBeGreaterThan(0);
  });

  it('caps reports per address per day, and takes them again the next day', async () => {
    const before = await eventCount();
    const used = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM public_requests WHERE channel = 'resident'"))!.n;
    for (let i = used; i < LIMITS.reportsPerDay; i++) expect((await submit(report())).status).toBe(201);
    const capped = await submit(report());
    expect(capped.status).toBe(429);
    expect(capped.body.error).toMatchObject({ code: 'rate_limited', reason: 'daily_cap' });
    expect(await eventCount()).toBe(before + LIMITS.reportsPerDay - used);
    clock.advance(24 * 3600_000);
    expect((await submit(report())).status).toBe(201);
  });
});
