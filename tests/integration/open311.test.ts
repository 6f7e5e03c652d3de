import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import type { Open311Created, Open311Request, Open311Service, Open311ServiceDefinition, Open311Update } from '../../shared/contracts/open311.js';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import { MANUAL_TRIAGE_BODY } from '../../server/src/modules/events/events.service.js';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { api, DEMO_PASSWORD, ROOT, startTestServer, type TestServer } from './harness.js';
import { columnOf, storedCountsIn } from './store-rows.js';
import { as, catalogOf, done, manual, pick, pointIn, TestClock, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county (the small county is seeded up to 2026-11-20).
const T0 = Date.parse('2026-11-23T09:00:00+08:00');
const clock = new TestClock(T0);
const DAY = 86_400_000;

let server: TestServer;
let catalog: CatalogResponse;
let dispatcher: Who;
let field: Who;
let fieldTown: string;
/** A verified item a dispatcher dispatches by hand, at an urgency an Open311 client can ask for. */
let item: ReturnType<typeof pick>;
const keys = { open311: '', unbound: '', video: '', revoked: '' };

// --- the published schemas, copied unchanged (open311-schemas/README.md). Written in the draft-04
// era, they declare no $schema and use no keyword draft-07 reads differently, so Ajv 8 reads them
// as they are (no ajv-draft-04); `strict: false` because `minItems` sits inside `items` there. ---
const SCHEMA_DIR = resolve(ROOT, 'tests/integration/open311-schemas');
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of ['service.json', 'request.json']) ajv.addSchema(JSON.parse(readFileSync(resolve(SCHEMA_DIR, name), 'utf8')) as object, name);
const schema = (name: string): ValidateFunction => ajv.compile(JSON.parse(readFileSync(resolve(SCHEMA_DIR, name), 'utf8')) as object);
const validate = { services: schema('services.json'), definition: schema('service-definition.json'), requests: schema('requests.json') };
const valid = (check: ValidateFunction, data: unknown) => {
  const ok = check(data);
  return ok ? 'valid' : JSON.stringify(check.errors?.slice(0, 3));
};

// --- XML read back, every value as text, every list element as an array ---
const LIST_ELEMENTS = new Set(['service', 'request', 'request_update', 'error', 'attribute', 'value', 'endpoint', 'format']);
const xmlParser = new XMLParser({ parseTagValue: false, isArray: (name) => LIST_ELEMENTS.has(name) });
const SINGULAR: Record<string, string> = { attributes: 'attribute', values: 'value', formats: 'format', endpoints: 'endpoint' };
/** A JSON answer as its XML must read: text leaves, null as empty, nested lists wrapped in their singular element. */
function asXmlText(value: unknown): unknown {
  if (value === null) return '';
  if (Array.isArray(value)) return value.map(asXmlText);
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, Array.isArray(v) && SINGULAR[k] ? (v.length ? { [SINGULAR[k]]: v.map(asXmlText) } : '') : asXmlText(v)]),
    );
  }
  return String(value);
}

interface Raw {
  status: number;
  text: string;
  type: string;
}

async function raw(path: string, init: RequestInit = {}): Promise<Raw> {
  const res = await fetch(new URL(path, server.url), init);
  return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
}

/** GET in both formats: the JSON answer, checked to be what the XML answer says. */
async function both<T>(path: string, root: string, item: string | null, init: RequestInit = {}): Promise<{ status: number; json: T }> {
  const [base, query] = path.split('?');
  const q = query ? `?${query}` : '';
  const json = await raw(`${base}.json${q}`, init);
  const xml = await raw(`${base}.xml${q}`, init);
  expect(json.type).toContain('application/json');
  expect(xml.type).toContain('text/xml');
  expect(xml.status).toBe(json.status);
  expect(xml.text.startsWith('<?xml version="1.0" encoding="utf-8"?>')).toBe(true);
  const body = JSON.parse(json.text) as T;
  const parsed = xmlParser.parse(xml.text) as Record<string, unknown>;
  const expected = asXmlText(body);
  if (item === null) expect(parsed[root]).toEqual(expected);
  else expect(parsed[root]).toEqual(Array.isArray(expected) && expected.length === 0 ? '' : { [item]: expected });
  return { status: json.status, json: body };
}

type Fields = Record<string, string>;

/** POST requests as a form (the spec's encoding) or as JSON. */
async function post(fields: Fields, opts: { format?: 'json' | 'xml'; as?: 'form' | 'json'; headers?: Record<string, string> } = {}): Promise<Raw> {
  const form = (opts.as ?? 'form') === 'form';
  return raw(`/open311/v2/requests.${opts.format ?? 'json'}`, {
    method: 'POST',
    headers: { 'content-type': form ? 'application/x-www-form-urlencoded' : 'application/json', ...opts.headers },
    body: form ? new URLSearchParams(fields).toString() : JSON.stringify(fields),
  });
}

async function created(fields: Fields, opts: Parameters<typeof post>[1] = {}): Promise<Open311Created> {
  const res = await post(fields, opts);
  expect(res.status, res.text).toBe(201);
  const body = JSON.parse(res.text) as Open311Created[];
  expect(body).toHaveLength(1);
  return body[0]!;
}

async function point(nth = 0) {
  return pointIn(server.url, fieldTown, nth);
}

async function request(extra: Fields = {}, nth = 0): Promise<Fields> {
  const at = await point(nth);
  return {
    api_key: keys.open311,
    service_code: item.item.code,
    ...(item.item.urgencies.length > 1 ? { 'attribute[urgency]': item.urgency } : {}),
    lat: String(at.lat),
    long: String(at.lon),
    description: '村口路灯不亮已经三天，晚上很黑',
    ...extra,
  };
}

/** Errors as the spec shapes them: `[{ code, description }]`, the same in XML. */
async function expectErrors(res: Raw, status: number, format: 'json' | 'xml' = 'json'): Promise<string> {
  expect(res.status, res.text).toBe(status);
  if (format === 'xml') {
    const parsed = xmlParser.parse(res.text) as { errors: { error: { code: string; description: string }[] } };
    expect(parsed.errors.error[0]!.code).toBe(String(status));
    return parsed.errors.error.map((e) => e.description).join(' | ');
  }
  const body = JSON.parse(res.text) as { code: number; description: string }[];
  expect(body.length).toBeGreaterThan(0);
  for (const e of body) expect(e).toEqual({ code: status, description: expect.any(String) });
  return body.map((e) => e.description).join(' | ');
}

const eventOf = (id: string) => api<EventRecord>(server.url, `/api/v1/events/${id}`, { token: dispatcher.token }).then((r) => r.body);

beforeAll(async () => {
  server = await startTestServer({ clock, config: { deadlineSweepMs: 3_600_000 } });
  [dispatcher, field] = (await Promise.all(['demo-dispatcher', 'demo-field'].map((u) => as(server.url, u)))) as [Who, Who];
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
  fieldTown = field.towns![0]!;
  catalog = await catalogOf(server.url);
  const teamType = (await server.store.get<{ type: string }>('SELECT type FROM teams WHERE id = ?', field.teamId))!.type;
  item = pick(catalog, 'verified, dispatched by hand, of the field team\'s type, that an Open311 client can ask for', (i, u) =>
    i.verificationRequired && manual(i, u) && i.teamType === teamType && (i.urgencies.length > 1 || u === i.defaultUrgency));

  const { auth } = server.handles;
  const ctx = { sourceIp: null, client: 'open311.test' };
  const client = await auth.createUser(null, { username: 'open311-client', displayName: '某某便民App', password: 'Gateway-Pass-2026x', roles: ['integration'], scope: { kind: 'county' } }, ctx);
  keys.open311 = (await auth.createApiKey(null, client.id, { name: 'Open311 App', channel: 'open311' }, ctx)).key;
  keys.unbound = (await auth.createApiKey(null, client.id, { name: 'unbound' }, ctx)).key;
  keys.video = (await auth.createApiKey(null, client.id, { name: 'video platform', channel: 'video' }, ctx)).key;
  const revoked = await auth.createApiKey(null, client.id, { name: 'old', channel: 'open311' }, ctx);
  await auth.revokeApiKey(null, revoked.record.keyId, 'rotated', ctx);
  keys.revoked = revoked.key;
});
afterAll(async () => server?.stop());

describe('Open311 discovery and services', () => {
  it('describes the endpoint in JSON and XML', async () => {
    const { status, json } = await both<{ endpoints: { url: string; specification: string; formats: string[] }[] }>('/open311/v2/discovery', 'discovery', null);
    expect(status).toBe(200);
    expect(json.endpoints[0]).toMatchObject({ specification: 'http://wiki.open311.org/GeoReport_v2', formats: ['application/json', 'text/xml'] });
    expect(json.endpoints[0]!.url).toMatch(/\/open311\/v2\/$/);
  });

  it('lists one service per active catalog item, valid against services.json', async () => {
    const { status, json } = await both<Open311Service[]>('/open311/v2/services', 'services', 'service');
    expect(status).toBe(200);
    expect(valid(validate.services, json)).toBe('valid');
    expect(json.map((s) => s.service_code)).toEqual(catalog.items.map((i) => i.code));
    for (const [n, service] of json.entries()) {
      const it = catalog.items[n]!;
      expect(service).toMatchObject({ service_name: it.name, group: it.categoryName, type: 'realtime', metadata: it.urgencies.length > 1 });
    }
    const en = (await api<Open311Service[]>(server.url, '/open311/v2/services.json', { anonymous: true, headers: { 'accept-language': 'en' } })).body;
    expect(en[0]).toMatchObject({ service_name: catalog.items[0]!.nameEn, group: catalog.items[0]!.categoryNameEn });
  });

  it('defines a service\'s attributes (urgency where the item has more than one), valid against service-definition.json', async () => {
    const multi = catalog.items.find((i) => i.urgencies.length > 1)!;
    const single = catalog.items.find((i) => i.urgencies.length === 1);
    const { json } = await both<Open311ServiceDefinition>(`/open311/v2/services/${multi.code}`, 'service_definition', null);
    expect(valid(validate.definition, json)).toBe('valid');
    expect(json.service_code).toBe(multi.code);
    expect(json.attributes).toEqual([
      expect.objectContaining({ code: 'urgency', datatype: 'singlevaluelist', required: false, variable: true, values: multi.urgencies.map((u) => ({ key: u, name: expect.any(String) })) }),
    ]);
    if (single) {
      const { json: none } = await both<Open311ServiceDefinition>(`/open311/v2/services/${single.code}`, 'service_definition', null);
      expect(none).toEqual({ service_code: single.code, attributes: [] });
    }
  });

  it('answers an unknown service code 404 in the spec\'s error shape, JSON and XML', async () => {
    expect(await expectErrors(await raw('/open311/v2/services/ZZ999.json'), 404)).toContain('ZZ999');
    await expectErrors(await raw('/open311/v2/services/ZZ999.xml'), 404, 'xml');
    await expectErrors(await raw('/open311/v2/nothing-here.json'), 404);
  });
});

describe('Open311 POST requests', () => {
  it('creates a request through the one intake from a form, answers id, token and notice, and reads it back', async () => {
    const before = (await storedCountsIn(server.store)).events;
    const answer = await created(await request({ account_id: 'acct-42', email: 'resident@example.com', device_id: 'dev-1' }));
    expect(answer).toEqual({ service_request_id: expect.stringMatching(/^EV\d{12}$/), token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), service_notice: expect.any(String), account_id: 'acct-42' });
    expect(answer.service_notice).toContain(item.item.department);
    expect((await storedCountsIn(server.store)).events).toBe(before + 1);

    // the one intake: a resident's report (citizen_app) with the channel named, reported by the key's account
    const event = await eventOf(answer.service_request_id);
    expect(event).toMatchObject({ source: 'citizen_app', itemCode: item.item.code, urgency: item.urgency, status: 'reported' });
    const timeline = (await api<TimelineResponse>(server.url, `/api/v1/events/${event.id}/timeline`, { token: dispatcher.token })).body;
    expect(timeline.entries[0]).toMatchObject({ action: 'intake', details: expect.objectContaining({ source: 'citizen_app', channel: 'open311' }), actor: expect.objectContaining({ username: 'open311-client' }) });

    const { json } = await both<Open311Request[]>(`/open311/v2/requests/${answer.service_request_id}`, 'service_requests', 'request');
    expect(valid(validate.requests, json)).toBe('valid');
    expect(json).toHaveLength(1);
    expect(json[0]).toMatchObject({
      service_request_id: answer.service_request_id,
      status: 'open',
      service_code: item.item.code,
      service_name: item.item.name,
      agency_responsible: item.item.department,
      address: event.address,
      lat: event.location.lat,
      long: event.location.lon,
    });
    expect(Date.parse(json[0]!.requested_datetime)).toBe(T0);
    expect(Date.parse(json[0]!.expected_datetime!)).toBe(Date.parse(event.dueAt!));

    const { json: token } = await both<{ service_request_id: string; token: string }[]>(`/open311/v2/tokens/${answer.token}`, 'service_requests', 'request');
    expect(token).toEqual([{ service_request_id: answer.service_request_id, token: answer.token }]);
    await expectErrors(await raw(`/open311/v2/tokens/${'x'.repeat(32)}.json`), 404);
  });

  it('takes a JSON body and answers in XML', async () => {
    const res = await post(await request({}, 1), { as: 'json', format: 'xml' });
    expect(res.status, res.text).toBe(201);
    const parsed = xmlParser.parse(res.text) as { service_requests: { request: { service_request_id: string; token: string; service_notice: string; account_id: string }[] } };
    expect(parsed.service_requests.request).toEqual([{ service_request_id: expect.stringMatching(/^EV/), token: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/), service_notice: expect.any(String), account_id: '' }]);
  });

  it('places a request by address_id and by address_string (the unified address search)', async () => {
    const house = (await server.store.get<{ code: string; address: string }>('SELECT address_code AS code, address FROM households ORDER BY address_code LIMIT 1'))!;
    const byId = await created({ ...(await request()), lat: '', long: '', address_id: house.code });
    expect((await eventOf(byId.service_request_id)).addressCode).toBe(house.code);
    const byText = await created({ ...(await request()), lat: '', long: '', address_string: house.address });
    const event = await eventOf(byText.service_request_id);
    expect(event.addressCode).toBe(house.code);
    const [listed] = (await both<Open311Request[]>(`/open311/v2/requests/${event.id}`, 'service_requests', 'request')).json;
    expect(listed).toMatchObject({ address_id: house.code, address: house.address });
  });

  it('records a service code outside the catalog as not admitted, referred, and says so', async () => {
    const answer = await created(await request({ service_code: 'ZZ99', 'attribute[urgency]': '' }));
    expect(answer.service_notice).toContain(MANUAL_TRIAGE_BODY);
    const event = await eventOf(answer.service_request_id);
    expect(event).toMatchObject({ status: 'not_admitted', refusal: { reason: 'unknown_item', receivingBody: MANUAL_TRIAGE_BODY } });
    const [listed] = (await both<Open311Request[]>(`/open311/v2/requests/${event.id}`, 'service_requests', 'request')).json;
    expect(listed).toMatchObject({ status: 'closed', agency_responsible: MANUAL_TRIAGE_BODY, expected_datetime: null });
    expect(listed!.status_notes).toContain(MANUAL_TRIAGE_BODY);
  });

  it('answers a retry with the same Idempotency-Key with the first id and token, and refuses another body under it', async () => {
    const body = await request({ description: '幂等重试测试：井盖缺失' }, 2);
    const headers = { 'idempotency-key': 'app-report-7781' };
    const first = await created(body, { headers });
    const before = (await storedCountsIn(server.store)).events;
    expect(await created(body, { headers })).toEqual(first);
    expect((await storedCountsIn(server.store)).events).toBe(before);
    await expectErrors(await post({ ...body, description: '另一件事' }, { headers }), 400);
    expect((await storedCountsIn(server.store)).events).toBe(before);
  });

  it('refuses a missing, wrong, revoked or other-channel api_key with 403 and writes nothing; takes an unbound key', async () => {
    const body = await request();
    const before = await storedCountsIn(server.store);
    const tokens = async () => (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM public_requests'))!.n;
    const tokensBefore = await tokens();
    const { api_key: _key, ...withoutKey } = body;
    expect(await expectErrors(await post(withoutKey), 403)).toContain('api_key');
    await expectErrors(await post(withoutKey, { format: 'xml' }), 403, 'xml');
    for (const key of ['gck_not-a-key', keys.revoked, keys.video]) await expectErrors(await post({ ...body, api_key: key }), 403);
    // a key in the X-API-Key header is read the same way; one in the query string is not read at all (URLs are logged)
    await expectErrors(await post(withoutKey, { headers: { 'x-api-key': keys.video } }), 403);
    await expectErrors(await raw(`/open311/v2/requests.json?api_key=${keys.open311}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(withoutKey).toString() }), 403);
    expect(await storedCountsIn(server.store)).toEqual(before);
    expect(await tokens()).toBe(tokensBefore);

    await created({ ...body, api_key: keys.unbound });
    await created(withoutKey, { headers: { 'x-api-key': keys.open311 } });
  });

  it('takes the demo open311 key of the README, and refuses the demo hotline key', async () => {
    const body = await request({}, 4);
    const answer = await created({ ...body, api_key: demoChannelKey('open311', DEMO_PASSWORD) });
    expect((await eventOf(answer.service_request_id)).source).toBe('citizen_app');
    await expectErrors(await post({ ...body, api_key: demoChannelKey('hotline', DEMO_PASSWORD) }), 403);
  });

  it('refuses bad input with 400 naming the Open311 parameter, and stores nothing', async () => {
    const body = await request();
    const before = (await storedCountsIn(server.store)).events;
    expect(await expectErrors(await post({ ...body, lat: '', long: '' }), 400)).toContain('lat');
    expect(await expectErrors(await post({ ...body, long: '' }), 400)).toContain('long');
    expect(await expectErrors(await post({ ...body, description: '长'.repeat(4001) }), 400)).toContain('description');
    expect(await expectErrors(await post({ ...body, description: '' }), 400)).toContain('description');
    expect(await expectErrors(await post({ ...body, service_code: 'not a code' }), 400)).toContain('service_code');
    expect(await expectErrors(await post({ ...body, lat: '31.9', long: '100.1' }), 400)).toContain('lat');
    expect(await expectErrors(await post({ ...body, lat: '', long: '', address_string: '火星基地一号' }), 400)).toContain('address_string');
    expect(await expectErrors(await post({ ...body, lat: 'north' }), 400)).toContain('lat');
    expect(await expectErrors(await post({ ...body, 'attribute[urgency]': 'P9' }), 400)).toContain('attribute[urgency]');
    expect(await expectErrors(await post({ ...body, 'attribute[colour]': 'red' }), 400)).toContain('attribute[colour]');
    expect(await expectErrors(await post({ ...body, phone: 'call me' }), 400)).toContain('phone');
    expect(await expectErrors(await post({ ...body, media_url: 'javascript:alert(1)' }), 400)).toContain('media_url');
    const en = await expectErrors(await post({ ...body, lat: '', long: '' }, { headers: { 'accept-language': 'en' } }), 400);
    expect(en).toContain('A location is required');
    expect((await storedCountsIn(server.store)).events).toBe(before);
  });
});

describe('Open311 GET requests', () => {
  it('lists residents\' requests of the last 90 days by default, newest first, ids as strings, valid against requests.json', async () => {
    const mine = await created(await request({ description: '默认窗口测试' }));
    const { json } = await both<Open311Request[]>('/open311/v2/requests', 'service_requests', 'request');
    expect(valid(validate.requests, json)).toBe('valid');
    expect(json.length).toBeGreaterThan(1);
    expect(json.map((r) => r.service_request_id)).toContain(mine.service_request_id);
    for (const r of json) expect(typeof r.service_request_id).toBe('string');
    const times = json.map((r) => Date.parse(r.requested_datetime));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    // only residents' reports are public: a grid patrol's case is not listed and not found
    const patrol = (await server.store.get<{ id: string }>("SELECT id FROM events WHERE source <> 'citizen_app' ORDER BY id LIMIT 1"))!;
    expect(json.map((r) => r.service_request_id)).not.toContain(patrol.id);
    await expectErrors(await raw(`/open311/v2/requests/${patrol.id}.json`), 404);
    await expectErrors(await raw('/open311/v2/requests/EV202611239999.xml'), 404, 'xml');
    await expectErrors(await raw('/open311/v2/requests/not-an-id.json'), 404);

    // 91 days later the default window has moved past it; an explicit window still finds it
    clock.set(new Date(T0 + 91 * DAY));
    try {
      const later = (await both<Open311Request[]>('/open311/v2/requests', 'service_requests', 'request')).json;
      expect(later.map((r) => r.service_request_id)).not.toContain(mine.service_request_id);
      const start = new Date(T0 - DAY).toISOString();
      const explicit = (await both<Open311Request[]>(`/open311/v2/requests?start_date=${start}`, 'service_requests', 'request')).json;
      expect(explicit.map((r) => r.service_request_id)).toContain(mine.service_request_id);
    } finally {
      clock.set(new Date(T0));
    }
  });

  it('filters by id list, service code and status', async () => {
    const a = await created(await request({ description: '筛选测试甲' }));
    const b = await created(await request({ service_code: 'ZZ98', 'attribute[urgency]': '' }));
    const ids = (await both<Open311Request[]>(`/open311/v2/requests?service_request_id=${a.service_request_id},${b.service_request_id}`, 'service_requests', 'request')).json;
    expect(ids.map((r) => r.service_request_id)).toEqual([a.service_request_id, b.service_request_id]);
    const open = (await both<Open311Request[]>(`/open311/v2/requests?status=open&service_code=${item.item.code}`, 'service_requests', 'request')).json;
    expect(open.every((r) => r.status === 'open' && r.service_code === item.item.code)).toBe(true);
    expect(open.map((r) => r.service_request_id)).toContain(a.service_request_id);
    const closed = (await both<Open311Request[]>('/open311/v2/requests?status=closed', 'service_requests', 'request')).json;
    expect(closed.map((r) => r.service_request_id)).toContain(b.service_request_id);
    expect(closed.every((r) => r.status === 'closed')).toBe(true);
  });

  it('refuses a window longer than 90 days or ending before it starts (400), JSON and XML', async () => {
    const start = '2026-08-01T00:00:00+08:00';
    expect(await expectErrors(await raw(`/open311/v2/requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent('2026-10-31T00:00:00+08:00')}`), 400)).toContain('90');
    await expectErrors(await raw(`/open311/v2/requests.xml?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent('2026-07-01T00:00:00+08:00')}`), 400, 'xml');
    await expectErrors(await raw('/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z'), 400);
    await expectErrors(await raw('/open311/v2/requests.json?start_date=yesterday'), 400);
    // exactly 90 days is allowed
    expect((await raw(`/open311/v2/requests.json?start_date=${encodeURIComponent(start)}&end_date=${encodeURIComponent('2026-10-30T00:00:00+08:00')}`)).status).toBe(200);
  });

  it('answers at most 1,000 rows, the newest', async () => {
    // 1,010 residents' reports in June, copied from one at the database (their content does not matter here)
    const source = (await created(await request({ description: '千条上限测试' }))).service_request_id;
    const columns = await columnOf<string>(
      server.store,
      server.store.dialect === 'postgres'
        ? "SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = 'events' ORDER BY ordinal_position"
        : "SELECT name FROM pragma_table_info('events') ORDER BY cid",
    );
    const select = columns.map((c) => (c === 'id' ? '?' : c === 'reported_at' ? '?' : c)).join(', ');
    const insert = `INSERT INTO events (${columns.join(', ')}) SELECT ${select} FROM events WHERE id = ?`;
    await server.store.inTransaction(async () => {
      for (let n = 1; n <= 1010; n++) await server.store.run(insert, `EV20260601${String(n).padStart(4, '0')}`, new Date(Date.parse('2026-06-01T00:00:00Z') + n * 60_000).toISOString(), source);
    });
    const window = 'start_date=2026-05-30T00:00:00Z&end_date=2026-06-10T00:00:00Z';
    const { json } = await both<Open311Request[]>(`/open311/v2/requests?${window}`, 'service_requests', 'request');
    expect(json).toHaveLength(1000);
    expect(json[0]!.service_request_id).toBe('EV202606011010');
    expect(json.at(-1)!.service_request_id).toBe('EV202606010011');
  });
});

describe('Open311 closed requests and servicerequestupdates', () => {
  it('follows a request through the loop: updates per public step, closed time as updated_datetime, no names or numbers', async () => {
    const reporterPhone = '13812345678';
    const answer = await created(await request({ first_name: '伟明', last_name: '张', phone: reporterPhone, description: `路灯坏了，我是张伟明，电话 ${reporterPhone}` }, 3));
    const id = answer.service_request_id;
    const fieldName = (await server.store.get<{ n: string }>('SELECT display_name AS n FROM users WHERE username = ?', 'demo-field'))!.n;
    const dispatcherName = (await server.store.get<{ n: string }>('SELECT display_name AS n FROM users WHERE username = ?', 'demo-dispatcher'))!.n;
    const teamName = (await server.store.get<{ name: string }>('SELECT name FROM teams WHERE id = ?', field.teamId))!.name;

    clock.advance(2 * 60_000);
    await done(server.url, dispatcher, id, { action: 'file', note: `${dispatcherName}立案` });
    clock.advance(2 * 60_000);
    await done(server.url, dispatcher, id, { action: 'dispatch', teamId: field.teamId!, override: { reason: 'Open311 测试：指定队伍' } });
    clock.advance(2 * 60_000);
    await done(server.url, field, id, { action: 'accept' });
    await done(server.url, field, id, { action: 'start' });
    clock.advance(2 * 60_000);
    await done(server.url, field, id, { action: 'report', result: `${fieldName}已更换灯泡，联系电话 13900001111` });
    clock.advance(2 * 60_000);
    await done(server.url, dispatcher, id, { action: 'verify' });
    clock.advance(2 * 60_000);
    const closed = (await done(server.url, dispatcher, id, { action: 'close' })).event;

    const [request311] = (await both<Open311Request[]>(`/open311/v2/requests/${id}`, 'service_requests', 'request')).json;
    expect(valid(validate.requests, [request311])).toBe('valid');
    expect(request311).toMatchObject({ status: 'closed' });
    expect(Date.parse(request311!.updated_datetime)).toBe(Date.parse(closed.closedAt!));
    expect(request311!.status_notes).toContain('已更换灯泡');

    const window = `start_date=${encodeURIComponent(new Date(T0 - DAY).toISOString())}&end_date=${encodeURIComponent(new Date(T0 + DAY).toISOString())}`;
    const { json: updates } = await both<Open311Update[]>(`/open311/v2/servicerequestupdates?${window}`, 'service_request_updates', 'request_update');
    const mine = updates.filter((u) => u.service_request_id === id);
    expect(mine.map((u) => [u.update_id, u.status, u.description.split('：')[0]])).toEqual([
      [`${id}-received`, 'open', '已受理登记'],
      [`${id}-filed`, 'open', '已立案'],
      [`${id}-in_progress`, 'open', '处置中'],
      [`${id}-closed`, 'closed', '已办结'],
    ]);
    expect(Date.parse(mine.at(-1)!.updated_datetime)).toBe(Date.parse(closed.closedAt!));
    for (const u of updates) expect(u).toEqual({ update_id: expect.any(String), service_request_id: expect.any(String), status: expect.stringMatching(/^(open|closed)$/), updated_datetime: expect.any(String), description: expect.any(String), media_url: null });

    // nothing public carries the reporter's name or number, staff names, the team's name or the client's email
    const everything = [
      (await raw(`/open311/v2/requests.json?${window}`)).text,
      (await raw(`/open311/v2/requests.xml?${window}`)).text,
      (await raw(`/open311/v2/servicerequestupdates.json?${window}`)).text,
      (await raw(`/open311/v2/servicerequestupdates.xml?${window}`)).text,
      (await raw(`/open311/v2/requests/${id}.json`)).text,
    ].join('\n');
    expect(everything).toContain(id);
    for (const secret of ['张伟明', reporterPhone, '13900001111', fieldName, dispatcherName, teamName, 'resident@example.com', '某某便民App']) expect(everything).not.toContain(secret);
    const residents = await server.store.all<{ name: string; phone: string }>("SELECT DISTINCT reporter_name AS name, reporter_phone AS phone FROM events WHERE source = 'citizen_app'");
    for (const r of residents) {
      if (r.phone) expect(everything).not.toContain(r.phone);
    }
  });
});

describe('Open311 limits and documentation', () => {
  it('rate-limits posting per key, answering 429 in the spec\'s error shape', async () => {
    const { auth } = server.handles;
    const ctx = { sourceIp: null, client: 'open311.test' };
    const user = await auth.createUser(null, { username: 'open311-burst', displayName: 'burst', password: 'Gateway-Pass-2026y', roles: ['integration'], scope: { kind: 'county' } }, ctx);
    const key = (await auth.createApiKey(null, user.id, { name: 'burst', channel: 'open311' }, ctx)).key;
    // invalid bodies: counted, never stored
    const body = { api_key: key, service_code: item.item.code };
    const statuses: number[] = [];
    for (let n = 0; n < 61; n++) statuses.push((await post(body)).status);
    expect(statuses.slice(0, 60).every((s) => s === 400)).toBe(true);
    await expectErrors(await post(body), 429);
    // another key has its own bucket
    await expectErrors(await post({ ...body, api_key: keys.unbound }), 400);
  });

  it('appears in the OpenAPI document with summaries', async () => {
    const { body } = await api<{ paths: Record<string, Record<string, { summary?: string; tags?: string[] }>> }>(server.url, '/api/v1/openapi.json', { token: dispatcher.token });
    for (const path of ['/open311/v2/discovery.json', '/open311/v2/services.xml', '/open311/v2/services/{code}.json', '/open311/v2/requests.json', '/open311/v2/requests/{id}.xml', '/open311/v2/tokens/{token}.json', '/open311/v2/servicerequestupdates.json']) {
      const op = Object.values(body.paths[path] ?? {})[0];
      expect(op?.summary, path).toMatch(/^Open311 /);
      expect(op?.tags).toEqual(['open311']);
    }
    expect(body.paths['/open311/v2/requests.json']!.post).toBeDefined();
  });
});
