import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../shared/contracts/catalog.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventIntake, Urgency } from '../../shared/contracts/events.js';
import { api, intakeAt, ROOT, startTestServer, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';
import { as, catalogOf, pick, pointIn, report, towns, type Who } from './workflow-driver.js';

let server: TestServer;
let item: { item: CatalogItem; urgency: Urgency };
let body: EventIntake;
let gatewayKey: string;

/** The last `event:create` audit record. */
const lastIntakeAudit = () => server.store.get("SELECT username, role, result, reason FROM audit_log WHERE action = 'event:create' ORDER BY seq DESC LIMIT 1");

const postWithKey = (json: EventIntake, lang = 'zh-CN') =>
  api<EventCreated & ApiError>(server.url, '/api/v1/events', { method: 'POST', anonymous: true, headers: { 'x-api-key': gatewayKey, 'accept-language': lang }, json });

beforeAll(async () => {
  server = await startTestServer();
  // the key is issued as an operator would: `npm run admin -- create-api-key` on the server's data folder
  const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'create-api-key', '--username', 'demo-gateway', ...server.databaseArgs], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (cli.status !== 0) throw new Error(`create-api-key: ${cli.status} ${cli.stderr}`);
  gatewayKey = cli.stdout.split('\n')[0]!.trim();
  item = pick(await catalogOf(server.url), 'handled on the spot', (i) => i.selfHandle);
  const firstTown = (await towns(server.url))[0]!;
  const p = await pointIn(server.url, firstTown);
  body = intakeAt(item.item.code, { lon: p.lon, lat: p.lat }, { urgency: item.urgency, selfHandled: true, result: '已当场处置' });
});
afterAll(async () => server?.stop());

describe('self-handling (自行处置) is for field workers in person', () => {
  it('refuses an integration client with an API key: 403, audited, nothing stored', async () => {
    const before = await storedCountsIn(server.store);
    const zh = await postWithKey(body);
    expect(zh.status).toBe(403);
    expect(zh.body.error).toMatchObject({ code: 'forbidden', permission: 'case:self-handle', fields: [{ field: 'selfHandled', code: 'self_handle_forbidden' }] });
    expect(zh.body.error.message).toContain('自行处置只限网格员');
    const en = await postWithKey(body, 'en');
    expect(en.body.error.message).toContain('integration clients (API keys)');
    expect(await storedCountsIn(server.store)).toEqual(before);
    expect(await lastIntakeAudit()).toEqual({ username: 'demo-gateway', role: 'integration', result: 'denied', reason: 'self_handle_forbidden' });
  });

  it('still takes the same client\'s ordinary report', async () => {
    const { selfHandled: _s, result: _r, ...ordinary } = body;
    const res = await postWithKey({ ...ordinary, source: 'video_ai' });
    expect([res.status, res.body.event?.status]).toEqual([201, 'reported']);
  });

  it('refuses a dispatcher, who is not a field worker', async () => {
    const dispatcher = await as(server.url, 'demo-dispatcher');
    const res = await report(server.url, dispatcher, body);
    expect([res.status, res.body.error?.code]).toEqual([403, 'forbidden']);
    expect(await lastIntakeAudit()).toMatchObject({ username: 'demo-dispatcher', result: 'denied', reason: 'self_handle_forbidden' });
  });

  it('lets the grid worker close it on the spot', async () => {
    const field: Who = await as(server.url, 'demo-field');
    const res = await report(server.url, field, body);
    expect([res.status, res.body.event?.status, res.body.event?.selfHandled]).toEqual([201, 'closed', true]);
  });
});
