import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem, CatalogItemInput, CatalogResponse, CatalogVersionDetail, CatalogVersionSummary } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import { api, intakeAt, loginAs, pointInCounty, startTestServer, type TestServer } from './harness.js';
import { valueOf } from './store-rows.js';

let server: TestServer;
let lead: string;
let approver: string;

beforeAll(async () => {
  server = await startTestServer();
  lead = await loginAs(server.url, 'demo-lead');
  approver = await loginAs(server.url, 'demo-approver');
});
afterAll(async () => server?.stop());

/** The stored part of an item, as an editor sends it back in a draft. */
const input = ({ handleLimit: _derived, ...item }: CatalogItem): CatalogItemInput => structuredClone(item);

const draftOf = (items: CatalogItemInput[], note = '调整暴露垃圾处置时限，新增共享单车乱停放') => ({ note, items, referrals: [] });

const catalogAudit = async (version: number) =>
  (
    await server.store.all<{
      username: string;
      result: string;
      reason: string | null;
      details: string;
    }>("SELECT username, result, reason, details FROM audit_log WHERE action = 'catalog:change' AND object_id = ? ORDER BY seq", String(version))
  ).map((r) => ({ ...r, details: JSON.parse(r.details) as Record<string, unknown> }));

describe('the versioned admitted-item catalog', () => {
  let active: CatalogResponse;
  let draft: CatalogVersionDetail;
  let oldEvent: EventRecord;

  it('serves the active version with urgencies, per-urgency step limits, the old handleLimit and the referrals', async () => {
    const { status, body } = await api<CatalogResponse>(server.url, '/api/v1/catalog');
    expect(status).toBe(200);
    active = body;
    expect(body.version).toBe(1);
    expect(Date.parse(body.activatedAt)).not.toBeNaN();
    expect(body.items).toHaveLength(57);
    expect(body.referrals.length).toBeGreaterThan(5);
    for (const item of body.items) {
      expect(item.urgencies).toContain(item.defaultUrgency);
      for (const u of item.urgencies) expect(Object.keys(item.limits[u]!).sort()).toEqual(['dispatch', 'file', 'handle', 'verify']);
      expect(item.handleLimit).toEqual(item.limits[item.defaultUrgency]!.handle);
      expect(typeof item.verificationRequired).toBe('boolean');
    }
    const versions = await api<{ items: CatalogVersionSummary[] }>(server.url, '/api/v1/catalog/versions');
    expect(versions.body.items).toEqual([expect.objectContaining({ version: 1, status: 'active', itemCount: 57, createdBy: 'system' })]);
    const events = await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1');
    oldEvent = events.body.items[0]!;
    expect(oldEvent.catalogVersion).toBe(1);
  });

  it('refuses a bad draft with 400 naming each field, and stores nothing', async () => {
    const [first, second] = active.items.map(input);
    const bad = [
      { ...first!, defaultUrgency: first!.urgencies.includes('P3') ? 'P0' : 'P3' },
      { ...second!, code: first!.code },
      { ...second!, code: 'J90', urgencies: ['P1', 'P2'], limits: { P2: second!.limits.P2 ?? second!.limits[second!.defaultUrgency] } },
    ];
    const { status, body } = await api<ApiError>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: lead, json: draftOf(bad as CatalogItemInput[]) });
    expect(status).toBe(400);
    expect(body.error.code).toBe('invalid_body');
    expect(body.error.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ field: 'items.0.defaultUrgency', code: 'not_in_urgencies' }),
        expect.objectContaining({ field: 'items.1.code', code: 'duplicate_code' }),
        expect.objectContaining({ field: 'items.2.limits.P1', code: 'missing_limits' }),
      ]),
    );
    const english = await api<ApiError>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: lead, json: draftOf(bad as CatalogItemInput[]), headers: { 'accept-language': 'en' } });
    expect(english.body.error.fields!.find((f) => f.code === 'duplicate_code')!.message).toMatch(/repeats a code/);
    expect(await valueOf<number>(server.store, 'SELECT COUNT(*) AS n FROM catalog_versions')).toBe(1);
  });

  it('refuses drafts from a role without catalog:edit', async () => {
    const { status, body } = await api<ApiError>(server.url, '/api/v1/catalog/versions', { method: 'POST', json: draftOf(active.items.map(input)) });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
  });

  it('stores a complete new catalog as a draft, with its difference from the active version; nothing changes for intake', async () => {
    const items = active.items.map(input);
    const d30 = items.find((i) => i.code === 'D30')!;
    d30.limits.P2 = { ...d30.limits.P2!, handle: { value: 3, unit: 'work_hours' } };
    items.push({
      ...d30,
      code: 'J58',
      name: '共享单车乱停放',
      nameEn: 'Shared bikes parked badly',
      category: 'city_order',
      categoryName: '违法建设与市容秩序',
      categoryNameEn: 'Illegal building and street order',
      autoDispatch: null,
    });
    const { status, body } = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: lead, json: draftOf(items) });
    expect(status).toBe(201);
    draft = body;
    expect(body).toMatchObject({ version: 2, status: 'draft', itemCount: 58, createdBy: '演示·带班领导', decidedAt: null, activatedAt: null });
    expect(body.diff).toEqual({ added: ['J58'], removed: [], changed: ['D30'] });
    expect(body.items.find((i) => i.code === 'D30')!.handleLimit).toEqual({ value: 3, unit: 'work_hours' });
    expect((await api<CatalogResponse>(server.url, '/api/v1/catalog')).body.version).toBe(1);
    expect(await catalogAudit(2)).toEqual([expect.objectContaining({ username: 'demo-lead', result: 'success', details: expect.objectContaining({ version: 2, change: 'draft', diff: { added: 1, removed: 0, changed: 1 } }) })]);
    const read = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions/2');
    expect(read.body).toEqual(body);
  });

  it('never lets the author decide their own draft (403, audited as denied, nothing changed)', async () => {
    const own = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: approver, json: draftOf(active.items.map(input), '审核人自己起草') });
    expect(own.status).toBe(201);
    const version = own.body.version;
    for (const [verb, json] of [['approve', undefined], ['reject', { reason: '自己驳回自己' }]] as const) {
      const { status, body } = await api<ApiError>(server.url, `/api/v1/catalog/versions/${version}/${verb}`, { method: 'POST', token: approver, json });
      expect(status).toBe(403);
      expect(body.error.code).toBe('catalog_own_draft');
    }
    expect((await api<CatalogVersionDetail>(server.url, `/api/v1/catalog/versions/${version}`)).body.status).toBe('draft');
    expect((await api<CatalogResponse>(server.url, '/api/v1/catalog')).body.version).toBe(1);
    expect((await catalogAudit(version)).map((a) => [a.result, a.reason])).toEqual([
      ['success', null],
      ['denied', 'catalog_own_draft'],
      ['denied', 'catalog_own_draft'],
    ]);
  });

  it('approves a draft made by someone else: it becomes active, the previous version superseded, audited with the diff', async () => {
    const { status, body } = await api<CatalogVersionDetail>(server.url, `/api/v1/catalog/versions/${draft.version}/approve`, { method: 'POST', token: approver });
    expect(status).toBe(200);
    expect(body).toMatchObject({ version: 2, status: 'active', decidedBy: '演示·清单审核人' });
    expect(body.activatedAt).toBe(body.decidedAt);
    expect(body.diff).toEqual({ added: [], removed: [], changed: [] });
    const catalog = await api<CatalogResponse>(server.url, '/api/v1/catalog');
    expect(catalog.body).toMatchObject({ version: 2, activatedAt: body.activatedAt });
    expect(catalog.body.items.map((i) => i.code)).toContain('J58');
    const versions = await api<{ items: CatalogVersionSummary[] }>(server.url, '/api/v1/catalog/versions');
    expect(versions.body.items.map((v) => [v.version, v.status])).toEqual([
      [3, 'draft'],
      [2, 'active'],
      [1, 'superseded'],
    ]);
    expect((await catalogAudit(2)).at(-1)).toMatchObject({ username: 'demo-approver', result: 'success', details: { version: 2, change: 'approve', previous: 1, diff: { added: 1, removed: 0, changed: 1 } } });
  });

  it('answers 409 for a version that is not a draft, and changes nothing', async () => {
    for (const version of [1, 2]) {
      const { status, body } = await api<ApiError>(server.url, `/api/v1/catalog/versions/${version}/approve`, { method: 'POST', token: approver });
      expect(status).toBe(409);
      expect(body.error).toMatchObject({ code: 'catalog_version_state', status: version === 1 ? 'superseded' : 'active' });
    }
    expect((await api<CatalogResponse>(server.url, '/api/v1/catalog')).body.version).toBe(2);
    expect((await api<ApiError>(server.url, '/api/v1/catalog/versions/99/approve', { method: 'POST', token: approver })).status).toBe(404);
  });

  it('applies the active version to new events only: a new intake carries it, older events keep theirs', async () => {
    const place = await pointInCounty(server.url, 3);
    const created = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt('J58', { lon: place.lon, lat: place.lat }, { source: 'hotline_12345' }) });
    expect(created.status).toBe(201);
    expect(created.body.event).toMatchObject({ itemCode: 'J58', itemName: '共享单车乱停放', catalogVersion: 2 });
    const old = await api<EventRecord>(server.url, `/api/v1/events/${oldEvent.id}`);
    expect(old.body.catalogVersion).toBe(1);
  });

  it('rejects a draft with the reason; a rejected draft cannot be approved later', async () => {
    const made = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions', { method: 'POST', token: lead, json: draftOf(active.items.map(input), '回到第 1 版') });
    const version = made.body.version;
    expect(made.body.diff).toEqual({ added: [], removed: ['J58'], changed: ['D30'] });
    const noReason = await api<ApiError>(server.url, `/api/v1/catalog/versions/${version}/reject`, { method: 'POST', token: approver, json: {} });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields).toEqual([expect.objectContaining({ field: 'reason', code: 'required' })]);
    const { status, body } = await api<CatalogVersionDetail>(server.url, `/api/v1/catalog/versions/${version}/reject`, { method: 'POST', token: approver, json: { reason: '时限调整未经论证' } });
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'rejected', decisionReason: '时限调整未经论证', decidedBy: '演示·清单审核人', activatedAt: null });
    const again = await api<ApiError>(server.url, `/api/v1/catalog/versions/${version}/approve`, { method: 'POST', token: approver });
    expect(again.status).toBe(409);
    expect((await api<CatalogResponse>(server.url, '/api/v1/catalog')).body.version).toBe(2);
    expect((await catalogAudit(version)).map((a) => [a.username, a.result, a.details.change])).toEqual([
      ['demo-lead', 'success', 'draft'],
      ['demo-approver', 'success', 'reject'],
    ]);
  });
});
