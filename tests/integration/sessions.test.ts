import { Writable } from 'node:stream';
import * as OTPAuth from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserSummary } from '../../shared/contracts/auth.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated } from '../../shared/contracts/events.js';
import { api, connectClient, DEMO_PASSWORD, intakeAt, login, loginAs, pointInCounty, someItemCode, startTestServer, type TestServer } from './harness.js';

/** A clock the test moves forward. */
const offset = { ms: 0 };
const clock = { now: () => new Date(Date.now() + offset.ms) };
let logs = '';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    clock,
    config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 200 } },
    logStream: new Writable({ write: (chunk, _enc, done) => ((logs += String(chunk)), done()) }),
  });
});
afterAll(async () => server?.stop());

describe('the security administrator', () => {
  it('creates a user under the password policy, and the user can log in', async () => {
    const sec = await loginAs(server.url, 'demo-secadmin');
    const weak = await api<ApiError>(server.url, '/api/v1/users', {
      method: 'POST',
      token: sec,
      json: { username: 'wang.fang', displayName: '王芳', password: 'abc', roles: ['dispatcher'] },
    });
    expect(weak.status).toBe(400);
    expect(weak.body.error.fields!.map((f) => f.code)).toContain('password_too_short');
    const ok = await api<UserSummary>(server.url, '/api/v1/users', {
      method: 'POST',
      token: sec,
      json: { username: 'wang.fang', displayName: '王芳', password: 'Wangfang#2026', roles: ['dispatcher'] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body).not.toHaveProperty('passwordHash');
    expect((await login(server.url, 'wang.fang', 'Wangfang#2026')).status).toBe(200);
    // the dispatcher may not manage users
    expect((await api(server.url, '/api/v1/users', { token: server.token })).status).toBe(403);
  });

  it('changes a user’s roles and scope: audited, their sessions end, the new rights apply', async () => {
    const sec = await loginAs(server.url, 'demo-secadmin');
    const users = (await api<{ items: UserSummary[] }>(server.url, '/api/v1/users', { token: sec })).body.items;
    const wang = users.find((u) => u.username === 'wang.fang')!;
    // a session of hers from before the change must end with it
    const signedIn = await login(server.url, 'wang.fang', 'Wangfang#2026');
    expect(signedIn.status).toBe(200);
    const old = signedIn.body.token;
    const firstTown = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1"))!.id;
    const res = await api(server.url, `/api/v1/users/${wang.id}/roles`, { method: 'POST', token: sec, json: { roles: ['wall'], towns: [firstTown] } });
    expect(res.status).toBe(204);
    expect((await api(server.url, '/api/v1/auth/me', { token: old })).status).toBe(401);
    const now = await login(server.url, 'wang.fang', 'Wangfang#2026');
    expect(now.body.user).toMatchObject({ roles: ['wall'], scope: { kind: 'towns', towns: [firstTown] } });
    const record = (await server.handles.audit.list({ action: 'user:role_change', page: 1, pageSize: 1 })).items[0]!;
    expect(record).toMatchObject({ username: 'demo-secadmin', objectId: wang.id, result: 'success' });
    expect(record.details).toMatchObject({ from: { roles: ['dispatcher'] }, to: { roles: ['wall'] } });
  });

  it('an integration client reports with an API key, and may do nothing else', async () => {
    const client = await server.handles.auth.createUser(
      null,
      { username: 'hotline-12345', displayName: '12345 热线接口', password: 'Hotline#12345x', roles: ['integration'], scope: { kind: 'county' } },
      { sourceIp: null, client: 'test' },
    );
    const { key, record: issued } = await server.handles.auth.createApiKey(null, client.id, { name: 'hotline gateway' }, { sourceIp: null, client: 'test' });
    const p = await pointInCounty(server.url, 4);
    const headers = { 'x-api-key': key };
    const posted = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', anonymous: true, headers, json: intakeAt(await someItemCode(server.url), { lon: p.lon, lat: p.lat }, { source: 'hotline_12345' }) });
    expect(posted.status).toBe(201);
    expect((await api(server.url, '/api/v1/events?pageSize=1', { anonymous: true, headers })).status).toBe(403);
    expect((await api(server.url, '/api/v1/events?pageSize=1', { anonymous: true, headers: { 'x-api-key': 'gck_wrong' } })).status).toBe(401);
    const record = (await server.handles.audit.list({ action: 'event:create', page: 1, pageSize: 1 })).items[0]!;
    expect(record).toMatchObject({ username: 'hotline-12345', role: 'integration', objectId: posted.body.id });
    // the record names the key that did it, not only its account
    expect(record.client).toContain(`api-key ${issued.keyId}`);
  });

  it('enrols a TOTP second factor, which login then requires', async () => {
    const sec = await loginAs(server.url, 'demo-secadmin');
    const user = (await api<{ items: UserSummary[] }>(server.url, '/api/v1/users', { token: sec })).body.items.find((u) => u.username === 'demo-sysadmin')!;
    const { body } = await api<{ otpauthUri: string }>(server.url, `/api/v1/users/${user.id}/totp`, { method: 'POST', token: sec });
    const totp = OTPAuth.URI.parse(body.otpauthUri) as OTPAuth.TOTP;
    const without = await login(server.url, 'demo-sysadmin');
    expect(without.status).toBe(401);
    expect((without.body as unknown as ApiError).error.code).toBe('totp_required');
    const code = totp.generate({ timestamp: clock.now().getTime() });
    const wrong = code === '000000' ? '111111' : '000000';
    expect((await api(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username: 'demo-sysadmin', password: DEMO_PASSWORD, totp: wrong } })).status).toBe(401);
    expect((await api(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username: 'demo-sysadmin', password: DEMO_PASSWORD, totp: code } })).status).toBe(200);
  });
});

describe('passwords', () => {
  it('a user changes their password; the old one stops working, reuse is refused, other sessions end', async () => {
    const a = await loginAs(server.url, 'demo-approver');
    const b = await loginAs(server.url, 'demo-approver');
    const change = (token: string, currentPassword: string, newPassword: string) =>
      api<ApiError>(server.url, '/api/v1/auth/change-password', { method: 'POST', token, json: { currentPassword, newPassword } });
    expect((await change(a, 'wrong', 'Approver#2026x')).body.error.fields![0]!.code).toBe('wrong_password');
    expect((await change(a, DEMO_PASSWORD, DEMO_PASSWORD)).body.error.fields!.map((f) => f.code)).toContain('password_reused');
    expect((await change(a, DEMO_PASSWORD, 'Approver#2026x')).status).toBe(204);
    expect((await api(server.url, '/api/v1/auth/me', { token: a })).status).toBe(200);
    expect((await api(server.url, '/api/v1/auth/me', { token: b })).status).toBe(401);
    expect((await login(server.url, 'demo-approver')).status).toBe(401);
    expect((await login(server.url, 'demo-approver', 'Approver#2026x')).status).toBe(200);
  });

  it('never writes passwords or tokens to the logs', async () => {
    const token = await loginAs(server.url, 'demo-lead');
    await api(server.url, '/api/v1/events?pageSize=1', { token });
    expect(logs.length).toBeGreaterThan(1000);
    expect(logs).not.toContain(DEMO_PASSWORD);
    expect(logs).not.toContain('Approver#2026x');
    expect(logs).not.toContain(token);
  });
});

describe('the audit trail of a scripted session', () => {
  it('holds exactly one record per audited action, in order', async () => {
    // identical denials within a window are counted, not repeated: start a fresh window
    await server.handles.denials.flush(true);
    const before = await server.handles.audit.lastSeq();
    const token = await loginAs(server.url, 'demo-duty');
    await api(server.url, '/api/v1/events?pageSize=3', { token }); // a read: not audited
    const p = await pointInCounty(server.url, 2);
    const created = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', token, json: intakeAt(await someItemCode(server.url), { lon: p.lon, lat: p.lat }) });
    await api(server.url, '/api/v1/audit', { token }); // denied
    await api(server.url, '/api/v1/auth/logout', { method: 'POST', token });
    await api(server.url, '/api/v1/auth/me', { token }); // denied: session ended
    const records = (await server.handles.audit.list({ page: 1, pageSize: 50 })).items.filter((r) => r.seq > before).reverse();
    expect(records.map((r) => [r.username, r.action, r.result, r.objectId])).toEqual([
      ['demo-duty', 'auth:login', 'success', expect.any(String)],
      ['demo-duty', 'event:create', 'success', created.body.id],
      ['demo-duty', 'access:denied', 'denied', 'GET /api/v1/audit'],
      ['demo-duty', 'auth:logout', 'success', expect.any(String)],
      [null, 'access:denied', 'denied', 'GET /api/v1/auth/me'],
    ]);
    for (const r of records) {
      expect(r.at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(r.sourceIp).toBe('127.0.0.1');
    }
    expect(await server.handles.audit.verify()).toMatchObject({ ok: true });
  });
});

describe('socket commands', () => {
  it('are rate-limited per socket', async () => {
    const client = connectClient(server.url, {});
    await client.ready;
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => new Promise<boolean>((ok) => {
        client.socket.timeout(500).emit('sync:ping', (err: unknown) => ok(!err));
      })),
    );
    expect(answers.filter(Boolean).length).toBe(30);
    client.socket.close();
  });
});

// Last: these move the clock forward, which ends the other tests' sessions too.
describe('session lifetime', () => {
  it('ends a session idle for longer than 30 minutes, but not a wall display’s', async () => {
    const duty = await loginAs(server.url, 'demo-duty');
    const wall = await loginAs(server.url, 'demo-wall');
    offset.ms += 29 * 60_000;
    expect((await api(server.url, '/api/v1/auth/me', { token: duty })).status).toBe(200);
    offset.ms += 29 * 60_000;
    expect((await api(server.url, '/api/v1/auth/me', { token: duty })).status).toBe(200);
    offset.ms += 31 * 60_000;
    expect((await api(server.url, '/api/v1/auth/me', { token: duty })).status).toBe(401);
    expect((await api(server.url, '/api/v1/auth/me', { token: wall })).status).toBe(200);
  });

  it('ends every session after its absolute lifetime', async () => {
    const wall = await loginAs(server.url, 'demo-wall');
    offset.ms += 12 * 3600_000 + 1000;
    expect((await api(server.url, '/api/v1/auth/me', { token: wall })).status).toBe(401);
  });
});
