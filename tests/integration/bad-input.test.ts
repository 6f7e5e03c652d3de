import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventIntake } from '../../shared/contracts/events.js';
import { api, intakeAt, pointInCounty, someItemCode, startTestServer, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';

let server: TestServer;
let good: EventIntake;

beforeAll(async () => {
  server = await startTestServer();
  const p = await pointInCounty(server.url, 3);
  good = intakeAt(await someItemCode(server.url), { lon: p.lon, lat: p.lat });
});
afterAll(async () => server?.stop());

const without = (obj: Record<string, unknown>, key: string) => Object.fromEntries(Object.entries(obj).filter(([k]) => k !== key));

/** Posts `body`, expects `status` with `code`, and that nothing at all was stored. */
async function expectRefused(body: unknown, status: number, code: string, fields: string[] = [], init: { headers?: Record<string, string>; raw?: string } = {}) {
  const before = await storedCountsIn(server.store);
  const res = await api<ApiError>(server.url, '/api/v1/events', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...init.headers },
    body: init.raw ?? JSON.stringify(body),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(status);
  expect(res.body.error.code).toBe(code);
  expect(res.body.error.message.length).toBeGreaterThan(0);
  const named = (res.body.error.fields ?? []).map((f) => f.field);
  for (const f of fields) expect(named, JSON.stringify(res.body.error.fields)).toContain(f);
  for (const f of res.body.error.fields ?? []) expect(f.message.length).toBeGreaterThan(0);
  expect(await storedCountsIn(server.store)).toEqual(before);
  return res.body;
}

describe('bad intake is refused with the bad fields named, and nothing is stored', () => {
  it.each([
    ['itemCode missing', () => without(good, 'itemCode'), ['itemCode']],
    ['description empty', () => ({ ...good, description: '   ' }), ['description']],
    ['description over 4,000 characters', () => ({ ...good, description: '很'.repeat(4001) }), ['description']],
    ['source not a known channel', () => ({ ...good, source: 'fax' }), ['source']],
    ['urgency not a tier', () => ({ ...good, urgency: 'P9' }), ['urgency']],
    ['longitude a string', () => ({ ...good, location: { lon: '120.1', lat: 29 } }), ['location.lon']],
    ['latitude out of range', () => ({ ...good, location: { lon: 120.1, lat: 95 } }), ['location.lat']],
    ['location of neither shape', () => ({ ...good, location: { x: 1 } }), ['location']],
    ['address code malformed', () => ({ ...good, location: { addressCode: 'abc' } }), ['location.addressCode']],
    ['reporter phone malformed', () => ({ ...good, reporter: { name: '李', phone: '12345' } }), ['reporter.phone']],
    ['reporter missing', () => without(good, 'reporter'), ['reporter']],
    ['an unknown field', () => ({ ...good, priority: 'high' }), ['priority']],
    ['several bad fields at once', () => ({ ...good, source: 'fax', urgency: 'P9', description: '' }), ['source', 'urgency', 'description']],
  ])('%s → 400', async (_name, body, fields) => {
    await expectRefused(body(), 400, 'invalid_body', fields);
  });

  it('refuses a body that is not an object', async () => {
    await expectRefused([1, 2], 400, 'invalid_body');
    await expectRefused('text', 400, 'invalid_body');
  });

  it('refuses malformed JSON', async () => {
    await expectRefused(null, 400, 'invalid_body', [], { raw: '{"itemCode": ' });
  });

  it('refuses a body that is not JSON', async () => {
    await expectRefused(null, 415, 'unsupported_media_type', [], { raw: 'itemCode=A01', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  });

  it('refuses an oversized body', async () => {
    await expectRefused(null, 413, 'payload_too_large', [], { raw: JSON.stringify({ ...good, description: 'x'.repeat(100_000) }) });
  });

  // A well-formed code outside the catalog is recorded as not admitted (intake.test.ts); a
  // malformed one is no matter to record.
  it.each(['zz99', 'A 01', '01A', 'A'])('refuses the malformed item code %j', async (itemCode) => {
    await expectRefused({ ...good, itemCode }, 400, 'invalid_body', ['itemCode']);
  });

  it('refuses a point outside the county with 422 and a clear message', async () => {
    const body = await expectRefused({ ...good, location: { lon: 116.397, lat: 39.909 } }, 422, 'outside_county', ['location']);
    expect(body.error.message).toContain('116.397');
  });

  it('refuses an unknown unified address with 422', async () => {
    await expectRefused({ ...good, location: { addressCode: '3308990000000000000001' } }, 422, 'unknown_address', ['location.addressCode']);
  });

  it('refuses a malformed Idempotency-Key', async () => {
    await expectRefused(good, 400, 'invalid_body', ['Idempotency-Key'], { headers: { 'idempotency-key': 'x'.repeat(200) } });
  });

  it('speaks English when asked, Chinese by default', async () => {
    const zh = await expectRefused({ ...good, urgency: 'P9' }, 400, 'invalid_body', ['urgency']);
    expect(zh.error.message).toMatch(/[\u4e00-\u9fff]/);
    const en = await expectRefused({ ...good, urgency: 'P9' }, 400, 'invalid_body', ['urgency'], { headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.error.message).toMatch(/invalid/i);
    expect(en.error.fields![0]!.message).toContain('P0');
  });
});

describe('bad reads', () => {
  it.each([
    ['/api/v1/events?status=bogus', 400, 'invalid_query'],
    ['/api/v1/events?pageSize=5000', 400, 'invalid_query'],
    ['/api/v1/events?since=yesterday', 400, 'invalid_query'],
    ['/api/v1/events?town=abc', 400, 'invalid_query'],
    ['/api/v1/events?colour=red', 400, 'invalid_query'],
    ['/api/v1/events/EV209901010001', 404, 'not_found'],
    ['/api/v1/events/..%2f..%2fetc', 400, 'invalid_params'],
    ['/api/v1/geo/province', 400, 'invalid_params'],
    ['/api/v1/nothing-here', 404, 'not_found'],
  ])('%s → %i %s', async (path, status, code) => {
    const res = await api<ApiError>(server.url, path);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
  });
});

describe('paths the router refuses before any route runs (found by the fuzz)', () => {
  it('answers a path that does not decode with the API error body (404), not Fastify\'s own', async () => {
    for (const path of ['/api/v1/events/%zz', '/api/v1/events/%E7%BD/timeline', '/api/v1/users/%C0%AF/totp']) {
      const res = await api<ApiError>(server.url, path, { headers: { 'accept-language': 'en' } });
      expect(res.status, path).toBe(404);
      expect(res.body.error, path).toMatchObject({ code: 'not_found', message: expect.stringContaining('No such endpoint') });
    }
  });

  it('answers a path parameter over the router\'s length limit with the API error body', async () => {
    const res = await api<ApiError>(server.url, `/api/v1/events/${'网'.repeat(120)}`);
    // 414 from the router; where the built console is served, its wildcard route takes the path
    // first and it is the API's 404
    if (res.status === 414) expect(res.body.error).toMatchObject({ code: 'invalid_params', fields: [{ field: '(path)', code: 'too_long' }] });
    else expect({ status: res.status, code: res.body.error.code }).toEqual({ status: 404, code: 'not_found' });
  });

  it('answers such paths under /open311/ in Open311\'s own error list', async () => {
    const json = await api<Array<{ code: number; description: string }>>(server.url, '/open311/v2/requests/%zz.json', { anonymous: true });
    expect(json.status).toBe(404);
    expect(json.body).toEqual([{ code: 404, description: expect.any(String) }]);
    const xml = await api<string>(server.url, '/open311/v2/requests/%E7%BD.xml', { anonymous: true });
    expect(xml.status).toBe(404);
    expect(xml.body).toMatch(/<errors>\s*<error>\s*<code>404<\/code>\s*<description>/);
  });
});
