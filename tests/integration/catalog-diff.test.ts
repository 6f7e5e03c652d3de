import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogDiffResponse } from '../../shared/contracts/catalog-diff.js';
import type { CatalogItem, CatalogItemInput, CatalogResponse, CatalogVersionDetail } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { api, loginAs, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let lead: string;
let approver: string;

beforeAll(async () => {
  server = await startTestServer();
  lead = await loginAs(server.url, 'demo-lead');
  approver = await loginAs(server.url, 'demo-approver');
});
afterAll(async () => server?.stop());

const input = ({ handleLimit: _derived, ...item }: CatalogItem): CatalogItemInput => structuredClone(item);
const diffOf = (version: number, as = approver, query = '') => api<CatalogDiffResponse>(server.url, `/api/v1/catalog/versions/${version}/diff${query}`, { token: as });

describe('the difference a catalog version makes', () => {
  let v1: CatalogResponse;
  let draft: CatalogVersionDetail;

  beforeAll(async () => {
    v1 = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
    const [first, second, ...rest] = v1.items.map(input);
    const u = first!.defaultUrgency;
    const slower: CatalogItemInput = { ...first!, limits: { ...first!.limits, [u]: { ...first!.limits[u]!, handle: { value: 3, unit: 'work_days' } } } };
    const added: CatalogItemInput = { ...second!, code: 'Z01', name: '共享单车乱停放', nameEn: 'Bikes parked badly' };
    const res = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions', {
      method: 'POST',
      token: lead,
      json: { note: '放宽时限，新增共享单车', items: [slower, added, ...rest], referrals: v1.referrals },
    });
    expect(res.status).toBe(201);
    draft = res.body;
  });

  it('shows a draft against the active version, field by field, with the step limit split per urgency and step', async () => {
    const { status, body } = await diffOf(draft.version);
    expect(status).toBe(200);
    const first = v1.items[0]!;
    const u = first.defaultUrgency;
    expect(body.against).toBe(v1.version);
    expect(body.items.added.map((i) => i.code)).toEqual(['Z01']);
    expect(body.items.removed.map((i) => i.code)).toEqual([v1.items[1]!.code]);
    expect(body.items.changed).toEqual([{ code: first.code, name: first.name, nameEn: first.nameEn, fields: [{ path: `limits.${u}.handle`, before: first.limits[u]!.handle, after: { value: 3, unit: 'work_days' } }] }]);
    expect(body.items.unchanged).toBe(v1.items.length - 2);
    expect(body.referrals).toEqual({ added: [], removed: [], changed: [] });
    expect(body.authoredByYou).toBe(false);
  });

  it('tells the draft’s author that it is theirs (they may not decide it)', async () => {
    expect((await diffOf(draft.version, lead)).body.authoredByYou).toBe(true);
    const refused = await api<ApiError>(server.url, `/api/v1/catalog/versions/${draft.version}/approve`, { method: 'POST', token: lead, json: {} });
    expect(refused.status).toBe(403);
  });

  it('shows an approved version against the version it replaced, also once a later one is active', async () => {
    expect((await api(server.url, `/api/v1/catalog/versions/${draft.version}/approve`, { method: 'POST', token: approver, json: {} })).status).toBe(200);
    const active = (await api<CatalogResponse>(server.url, '/api/v1/catalog')).body;
    const next = await api<CatalogVersionDetail>(server.url, '/api/v1/catalog/versions', {
      method: 'POST',
      token: lead,
      json: { note: '改名', items: active.items.map(input).map((i) => (i.code === 'Z01' ? { ...i, name: '共享单车违规停放' } : i)), referrals: active.referrals },
    });
    expect((await api(server.url, `/api/v1/catalog/versions/${next.body.version}/approve`, { method: 'POST', token: approver, json: {} })).status).toBe(200);

    const approved = (await diffOf(draft.version)).body;
    expect(approved.against).toBe(v1.version);
    expect(approved.items.added.map((i) => i.code)).toEqual(['Z01']);
    const renamed = (await diffOf(next.body.version)).body;
    expect(renamed.against).toBe(draft.version);
    expect(renamed.items.changed).toEqual([expect.objectContaining({ code: 'Z01', fields: [{ path: 'name', before: '共享单车乱停放', after: '共享单车违规停放' }] })]);
    // and against any version asked for
    expect((await diffOf(next.body.version, approver, `?against=${v1.version}`)).body.items.added.map((i) => i.code)).toEqual(['Z01']);
  });

  it('answers 404 for an unknown version or base, and 400 for a malformed one', async () => {
    expect((await diffOf(999)).status).toBe(404);
    expect((await diffOf(draft.version, approver, '?against=999')).status).toBe(404);
    expect((await diffOf(draft.version, approver, '?against=0x1')).status).toBe(400);
  });
});
