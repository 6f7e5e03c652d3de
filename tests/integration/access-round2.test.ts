import { spawnSync } from 'node:child_process';
import { request } from 'node:http';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiKeyCreated, ApiKeySummary, Role, UserListResponse, UserSummary } from '../../shared/contracts/auth.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventListResponse } from '../../shared/contracts/events.js';
import { DEFAULT_AUTH_CONFIG } from '../../server/src/modules/auth/auth.service.js';
import { api, connectClient, DEMO_PASSWORD, intakeAt, login, loginAs, pointInCounty, ROOT, someItemCode, startTestServer, type TestServer } from './harness.js';

// Security review, second round (issue 9): each describe reproduces one defect through the real
// server and shows it closed. Times come from a clock the tests move, never the wall clock.
let offsetMs = 0;
const clock = { now: () => new Date(Date.parse('2026-12-02T09:00:00+08:00') + offsetMs) };

let server: TestServer;
const logLines: string[] = [];
let secadmin: string;
let itemCode: string;
const ctx = { sourceIp: null, client: 'test' };
const STRONG = 'Strong#Pass2026';

const errorOf = (res: { body: unknown }) => (res.body as ApiError).error;
/** Audit records after `seq`, oldest first. */
const trailAfter = async (s: TestServer, seq: number) =>
  (await s.handles.audit.list({ page: 1, pageSize: 500 })).items.filter((r) => r.seq > seq).reverse();
const auditSince = (seq: number) => trailAfter(server, seq);

/** Logs in one of this file's own users (their password is STRONG, not the demo one). */
async function signIn(username: string): Promise<string> {
  const res = await login(server.url, username, STRONG);
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.token;
}

async function makeUser(username: string, roles: Role[], extra: { teamId?: string | null; towns?: string[] } = {}) {
  return server.handles.auth.createUser(
    null,
    { username, displayName: username, password: STRONG, roles, scope: server.handles.users.scopeOf(extra.towns ?? null), teamId: extra.teamId ?? null },
    ctx,
  );
}

/** Forces roles into the database, as an old or hand-edited database might hold them. */
async function forceRoles(userId: string, roles: string[]) {
  await server.store.run('UPDATE users SET roles = ? WHERE id = ?', JSON.stringify(roles), userId);
}

async function firstTeam(): Promise<string> {
  return (await server.store.get<{ id: string }>("SELECT id FROM teams WHERE type = 'grid_worker' ORDER BY id LIMIT 1"))!.id;
}

beforeAll(async () => {
  const logStream = new Writable({
    write(chunk, _enc, done) {
      logLines.push(String(chunk));
      done();
    },
  });
  server = await startTestServer({
    clock,
    logStream,
    config: {
      rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 500 },
      auth: { ...DEFAULT_AUTH_CONFIG, loginThrottle: { perAddress: 1000, perUsername: 6, windowMs: 15 * 60_000 } },
    },
  });
  secadmin = await loginAs(server.url, 'demo-secadmin');
  itemCode = await someItemCode(server.url);
});
afterAll(async () => server?.stop());

describe('三权分立: no account holds two administrator roles, nobody changes their own', () => {
  it('refuses to create an account holding secadmin + auditor + sysadmin, stores nothing, audits the refusal', async () => {
    const before = await server.handles.audit.lastSeq();
    const users = await server.handles.users.count();
    const res = await api(server.url, '/api/v1/users', {
      method: 'POST',
      token: secadmin,
      json: { username: 'all.powers', displayName: '全能', password: STRONG, roles: ['secadmin', 'auditor', 'sysadmin'] },
    });
    expect(res.status).toBe(403);
    expect(errorOf(res)).toMatchObject({ code: 'role_conflict', conflict: 'multiple_admin_roles' });
    expect(errorOf(res).message).toContain('三权分立');
    expect(await server.handles.users.count()).toBe(users);
    expect(await server.handles.users.byUsername('all.powers')).toBeNull();
    expect((await auditSince(before)).map((r) => [r.action, r.result, r.reason])).toEqual([['user:create', 'denied', 'role_conflict:multiple_admin_roles']]);
  });

  it.each([
    [['dispatcher', 'auditor'], 'role_conflict'],
    [['secadmin', 'field_worker'], 'role_conflict'],
    [['wall', 'dispatcher'], 'role_conflict'],
    [['integration', 'duty_officer'], 'role_conflict'],
    [['dispatcher', 'dispatcher'], 'role_conflict'],
    [['auditor'], 'admin_role_host_only'],
    [['sysadmin'], 'admin_role_host_only'],
    [['secadmin'], 'admin_role_host_only'],
  ])('the security administrator cannot create %j over REST (%s)', async (roles, code) => {
    const res = await api(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username: `x.${roles.join('.')}`.slice(0, 60), displayName: 'x', password: STRONG, roles } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe(code);
  });

  it('the security administrator cannot add the auditor role (or any) to its own account, nor disable itself', async () => {
    await server.handles.denials.flush(true);
    const me = (await api<{ id: string }>(server.url, '/api/v1/auth/me', { token: secadmin })).body;
    const before = await server.handles.audit.lastSeq();
    const add = await api(server.url, `/api/v1/users/${me.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['secadmin', 'auditor'] } });
    expect(add.status).toBe(403);
    const own = await api(server.url, `/api/v1/users/${me.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['secadmin'], towns: [] } });
    expect(own.status).toBe(403);
    expect(errorOf(own).code).toBe('own_account');
    expect((await api(server.url, `/api/v1/users/${me.id}/disable`, { method: 'POST', token: secadmin })).status).toBe(403);
    // still a security administrator only: the audit trail stays closed to it
    expect((await api(server.url, '/api/v1/audit', { token: secadmin })).status).toBe(403);
    expect((await server.handles.users.byId(me.id))!.roles).toEqual(['secadmin']);
    expect((await auditSince(before)).filter((r) => r.result === 'denied').map((r) => [r.action, r.reason])).toEqual([
      ['user:role_change', 'own_account'],
      ['user:role_change', 'own_account'],
      ['user:disable', 'own_account'],
      ['access:denied', 'missing audit:read'],
    ]);
  });

  it('cannot turn another administrator into anything, nor an operational account into an administrator', async () => {
    const other = await makeUser('second.secadmin', ['secadmin']);
    const res = await api(server.url, `/api/v1/users/${other.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['dispatcher'] } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('admin_role_host_only');
    const op = await makeUser('op.dispatcher', ['dispatcher']);
    const promote = await api(server.url, `/api/v1/users/${op.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['auditor'] } });
    expect(promote.status).toBe(403);
    expect((await server.handles.users.byId(op.id))!.roles).toEqual(['dispatcher']);
  });

  it('the admin CLI keeps the same rules and mends an account that breaks them', async () => {
    const admin = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', ...args, ...server.databaseArgs], {
        cwd: ROOT,
        env: { ...process.env, GRIDCOMMAND_NEW_PASSWORD: STRONG },
        encoding: 'utf8',
      });
    const refused = admin('create-user', '--username', 'cli.allpowers', '--role', 'secadmin,auditor');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/refused: Separation of administrators/);
    expect(await server.handles.users.byUsername('cli.allpowers')).toBeNull();
    const noTeam = admin('create-user', '--username', 'cli.field', '--role', 'field_worker');
    expect(noTeam.status).toBe(1);
    expect(noTeam.stderr).toMatch(/must belong to a team/);

    const broken = admin('create-user', '--username', 'cli.auditor', '--role', 'auditor');
    expect(broken.status, broken.stderr).toBe(0);
    const user = (await server.handles.users.byUsername('cli.auditor'))!;
    await forceRoles(user.id, ['auditor', 'secadmin']);
    expect(admin('list-users').stdout).toMatch(/cli\.auditor .*BREAKS THE RULES: multiple_admin_roles/);
    const mended = admin('set-roles', '--username', 'cli.auditor', '--role', 'auditor');
    expect(mended.status, mended.stderr).toBe(0);
    expect((await server.handles.users.byId(user.id))!.roles).toEqual(['auditor']);
  });

  it('an account that already breaks the rules is reported and cannot be used: not at login, not with a session of before', async () => {
    const account = await makeUser('old.combined', ['auditor']);
    const session = await signIn('old.combined');
    await forceRoles(account.id, ['auditor', 'sysadmin']);
    // the session of before: every route refused, the trail closed
    for (const path of ['/api/v1/audit', '/api/v1/catalog', '/api/v1/auth/me']) {
      const res = await api(server.url, path, { token: session });
      expect(res.status, path).toBe(403);
      expect(errorOf(res).code).toBe('role_conflict');
    }
    const again = await login(server.url, 'old.combined', STRONG);
    expect(again.status).toBe(403);
    expect(errorOf(again).code).toBe('role_conflict');
    // the security administrator's list flags it
    const list = (await api<UserListResponse>(server.url, '/api/v1/users', { token: secadmin })).body;
    expect(list.problems).toContainEqual(expect.objectContaining({ username: 'old.combined', problem: 'multiple_admin_roles' }));
    expect(list.items.find((u) => u.username === 'old.combined')!.problem).toBe('multiple_admin_roles');
    // and so does npm run audit:verify, which fails until it is mended
    const verify = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/audit-verify.ts', ...server.databaseArgs], { cwd: ROOT, encoding: 'utf8' });
    expect(verify.status, verify.stdout + verify.stderr).toBe(1);
    expect(verify.stdout).toContain('separation of duties BROKEN: account old.combined (auditor, sysadmin): multiple_admin_roles');
    await forceRoles(account.id, ['auditor']);
  });
});

describe('the role × route matrix with administrator-role combinations', () => {
  const COMBINATIONS: Role[][] = [
    ['sysadmin', 'secadmin'],
    ['sysadmin', 'auditor'],
    ['secadmin', 'auditor'],
    ['sysadmin', 'secadmin', 'auditor'],
    ['auditor', 'dispatcher'],
    ['secadmin', 'shift_lead'],
    ['sysadmin', 'catalog_approver'],
    ['wall', 'dispatcher'],
  ];
  const ROUTES = ['/api/v1/audit', '/api/v1/audit/export', '/api/v1/users', '/api/v1/events?pageSize=1', '/api/v1/catalog', '/api/v1/settings/workflow', '/api/v1/kpis?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z'];
  it.each(COMBINATIONS)('an account holding %s (forced into the database) is refused every route', async (...roles) => {
    const name = `combo.${roles.join('.')}`;
    const user = await makeUser(name, [roles[0]!]);
    const token = await signIn(name);
    await forceRoles(user.id, roles);
    for (const path of ROUTES) {
      const res = await api(server.url, path, { token });
      expect(res.status, `${roles.join('+')} ${path}`).toBe(403);
      expect(errorOf(res).code).toBe('role_conflict');
    }
    await forceRoles(user.id, [roles[0]!]);
  });
});

describe('rate limits cannot be escaped with junk bearer tokens', () => {
  let limited: TestServer;
  beforeAll(async () => {
    limited = await startTestServer({ clock, config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 30, loginPerMinute: 10 } } });
  });
  afterAll(async () => limited?.stop());
  const junk = () => `Bearer ${Array.from({ length: 43 }, () => 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'[Math.floor(Math.random() * 62)]).join('')}`;

  it('unauthenticated requests with a fresh random token each are limited per address, and flood the trail with one record', async () => {
    await limited.handles.denials.flush(true);
    const before = await limited.handles.audit.lastSeq();
    const statuses: number[] = [];
    for (let i = 0; i < 45; i++) statuses.push((await api(limited.url, '/api/v1/events', { anonymous: true, headers: { authorization: junk() } })).status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(30);
    expect(statuses.slice(-10)).toEqual(Array(10).fill(429));
    // a verified session has its own bucket and is not held up by the junk
    expect((await api(limited.url, '/api/v1/events?pageSize=1', { token: limited.token })).status).toBe(200);
    await limited.handles.denials.settled();
    const during = await trailAfter(limited, before);
    // one record for the first 401 and one for the first 429; repeats only counted so far
    expect(during.map((r) => r.reason)).toEqual(['unauthenticated', 'rate_limited']);
    await limited.handles.denials.flush(true);
    const counted = (await trailAfter(limited, before)).filter((r) => (r.details as { repeated?: number } | null)?.repeated);
    const repeats = Object.fromEntries(counted.map((r) => [r.reason, (r.details as { repeated: number }).repeated]));
    expect(repeats.unauthenticated! + 1 + repeats.rate_limited! + 1).toBe(45);
  });

  it('login attempts are limited per address whatever bearer token they carry', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) {
      statuses.push((await api(limited.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, headers: { authorization: junk() }, json: { username: `nobody${i}`, password: 'x' } })).status);
    }
    // the harness logged in once already: 9 more fit in the minute's 10
    expect(statuses.slice(0, 9)).toEqual(Array(9).fill(401));
    expect(statuses.slice(9)).toEqual([429, 429, 429]);
  });
});

describe('login failures limited per username and per address', () => {
  let throttled: TestServer;
  beforeAll(async () => {
    throttled = await startTestServer({
      clock,
      config: {
        rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 500 },
        auth: { ...DEFAULT_AUTH_CONFIG, maxFailedAttempts: 50, loginThrottle: { perAddress: 8, perUsername: 3, windowMs: 15 * 60_000 } },
      },
    });
  });
  afterAll(async () => throttled?.stop());

  it('three failures for one username, known or not, hold its logins off — even the right password — alike for both', async () => {
    for (const username of ['demo-duty', 'no-such-user']) {
      for (let i = 0; i < 3; i++) expect((await login(throttled.url, username, 'wrong')).status).toBe(401);
      const held = await login(throttled.url, username, username === 'demo-duty' ? DEMO_PASSWORD : 'wrong');
      expect(held.status).toBe(429);
      expect(errorOf(held).code).toBe('rate_limited');
    }
    const trail = (await throttled.handles.audit.list({ action: 'auth:login', result: 'denied', page: 1, pageSize: 5 })).items;
    expect(trail.map((r) => r.reason)).toContain('throttled_username');
  });

  it('failures across usernames from one address hold off that address', async () => {
    // 6 failures so far from this address (the test above); 2 more reach the limit of 8
    for (const u of ['a.one', 'a.two']) expect((await login(throttled.url, u, 'wrong')).status).toBe(401);
    expect((await login(throttled.url, 'demo-lead', DEMO_PASSWORD)).status).toBe(429);
    offsetMs += 16 * 60_000;
    expect((await login(throttled.url, 'demo-lead', DEMO_PASSWORD)).status).toBe(200);
  });
});

describe('API keys are bound to what they were issued for', () => {
  let integration: UserSummary;
  const intake = async (key: string) => {
    const p = await pointInCounty(server.url, 3);
    return api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', anonymous: true, headers: { 'x-api-key': key }, json: intakeAt(itemCode, { lon: p.lon, lat: p.lat }, { source: 'hotline_12345' }) });
  };
  const issue = async (json: Record<string, unknown> = { name: 'hotline' }) => {
    const res = await api<ApiKeyCreated>(server.url, `/api/v1/users/${integration.id}/api-keys`, { method: 'POST', token: secadmin, json });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body;
  };
  beforeAll(async () => {
    const res = await api<UserSummary>(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username: 'hotline.gw', displayName: '12345 热线', password: STRONG, roles: ['integration'] } });
    integration = res.body;
  });

  it('a role or scope change of its user revokes the key; it never takes the new role', async () => {
    const { key, apiKey } = await issue();
    expect(apiKey).toMatchObject({ roles: ['integration'], scope: { kind: 'county' }, state: 'active' });
    expect((await intake(key)).status).toBe(201);
    const firstTown = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1"))!.id;
    expect((await api(server.url, `/api/v1/users/${integration.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['integration'], towns: [firstTown] } })).status).toBe(204);
    expect((await intake(key)).status).toBe(401);
    const keys = (await api<{ items: ApiKeySummary[] }>(server.url, `/api/v1/users/${integration.id}/api-keys`, { token: secadmin })).body.items;
    expect(keys.find((k) => k.keyId === apiKey.keyId)).toMatchObject({ state: 'revoked', revokeReason: 'grant_changed' });
    expect((await api(server.url, `/api/v1/users/${integration.id}/roles`, { method: 'POST', token: secadmin, json: { roles: ['integration'] } })).status).toBe(204);
  });

  it('a key whose user was changed behind its back (in the database) opens nothing and is revoked', async () => {
    const { key, apiKey } = await issue();
    await server.store.run('UPDATE users SET scope_towns = ? WHERE id = ?', JSON.stringify(['330000000']), integration.id);
    expect((await intake(key)).status).toBe(401);
    expect((await server.handles.users.apiKeyById(apiKey.keyId))!.revokeReason).toBe('grant_changed');
    await server.store.run('UPDATE users SET scope_towns = NULL WHERE id = ?', integration.id);
  });

  it('revoked over REST or with npm run admin -- revoke-api-key, a key is refused at once', async () => {
    const rest = await issue();
    expect((await api(server.url, `/api/v1/api-keys/${rest.apiKey.keyId}/revoke`, { method: 'POST', token: secadmin, json: { reason: 'leaked' } })).status).toBe(200);
    expect((await intake(rest.key)).status).toBe(401);
    const cli = await issue();
    expect((await intake(cli.key)).status).toBe(201);
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'revoke-api-key', '--key-id', cli.apiKey.keyId, ...server.databaseArgs], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect((await intake(cli.key)).status).toBe(401);
    const listed = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'list-api-keys', '--username', 'hotline.gw', ...server.databaseArgs], { cwd: ROOT, encoding: 'utf8' });
    expect(listed.stdout).toContain(`${cli.apiKey.keyId}`);
    expect(listed.stdout).toMatch(new RegExp(`${cli.apiKey.keyId}.*REVOKED`));
    // only the security administrator sees and revokes keys
    expect((await api(server.url, '/api/v1/api-keys', { token: server.token })).status).toBe(403);
  });

  it('never lists, enables, re-roles, enrols or keys the built-in account of the public channel', async () => {
    const builtin = 'builtin-public-reports';
    const list = (await api<UserListResponse>(server.url, '/api/v1/users', { token: secadmin })).body;
    expect(list.items.map((u) => u.id)).not.toContain(builtin);
    for (const [path, json] of [
      [`/api/v1/users/${builtin}/enable`, undefined],
      [`/api/v1/users/${builtin}/roles`, { roles: ['integration'] }],
      [`/api/v1/users/${builtin}/totp`, undefined],
      [`/api/v1/users/${builtin}/api-keys`, { name: 'x', channel: 'open311' }],
    ] as const) {
      // not an id of an account anyone manages
      const res = await api<ApiError>(server.url, path, { method: 'POST', token: secadmin, ...(json ? { json } : {}) });
      expect(res.status, path).toBe(400);
    }
    // nor on the server's host (npm run admin goes through the same service)
    const ctx = { sourceIp: null, client: 'test' };
    const auth = server.handles.auth;
    for (const attempt of [
      () => auth.setDisabled(null, builtin, false, ctx),
      () => auth.changeRoles(null, builtin, { roles: ['integration'], scope: { kind: 'county' } }, ctx),
      () => auth.enrollTotp(null, builtin, ctx),
      () => auth.createApiKey(null, builtin, { name: 'x', channel: 'open311' }, ctx),
    ]) {
      await expect(attempt()).rejects.toThrow(expect.objectContaining({ code: 'builtin_account' }));
    }
    const row = (await server.store.get<{ disabled: number }>('SELECT disabled FROM users WHERE id = ?', builtin))!;
    expect(row.disabled).toBe(1);
    expect(await server.store.get('SELECT COUNT(*) AS n FROM api_keys WHERE user_id = ?', builtin)).toEqual({ n: 0 });
  });

  it('is bound to the one intake channel it was issued for, shown in the list and in the CLI', async () => {
    const bad = await api<ApiError>(server.url, `/api/v1/users/${integration.id}/api-keys`, { method: 'POST', token: secadmin, json: { name: 'x', channel: 'fax' } });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.field).toBe('channel');
    const { key, apiKey } = await issue({ name: '12345 热线', channel: 'hotline' });
    expect(apiKey.channel).toBe('hotline');
    expect((await server.handles.auth.authenticate({ apiKey: key }, false))?.apiKeyChannel).toBe('hotline');
    const unbound = await issue({ name: 'gateway' });
    expect(unbound.apiKey.channel).toBeNull();
    const cli = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'create-api-key', '--username', 'hotline.gw', '--channel', 'video', ...server.databaseArgs], { cwd: ROOT, encoding: 'utf8' });
    expect(cli.status, cli.stderr).toBe(0);
    expect(cli.stdout).toContain('channel video');
    const refused = spawnSync(process.execPath, ['--import', 'tsx', 'server/src/cli/admin.ts', 'create-api-key', '--username', 'hotline.gw', '--channel', 'fax', ...server.databaseArgs], { cwd: ROOT, encoding: 'utf8' });
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toContain('--channel must be one of open311, video, hotline, miniprogram');
  });

  it('expires at its expiry, and every use is attributable to the key in the audit trail', async () => {
    const expiresAt = new Date(clock.now().getTime() + 2 * 60_000).toISOString();
    const { key, apiKey } = await issue({ name: 'short-lived', expiresAt });
    const posted = await intake(key);
    expect(posted.status).toBe(201);
    const record = (await server.handles.audit.list({ objectId: posted.body.id, action: 'event:create', page: 1, pageSize: 1 })).items[0]!;
    expect(record).toMatchObject({ username: 'hotline.gw' });
    expect(record.client).toContain(`api-key ${apiKey.keyId}`);
    offsetMs += 3 * 60_000;
    expect((await intake(key)).status).toBe(401);
    const listed = (await api<{ items: ApiKeySummary[] }>(server.url, '/api/v1/api-keys', { token: secadmin })).body.items;
    expect(listed.find((k) => k.keyId === apiKey.keyId)!.state).toBe('expired');
    expect((await issue({ name: 'past', expiresAt: new Date(clock.now().getTime() - 1000).toISOString() }).catch(() => null))).toBeNull();
  });

  it('a key is never issued to an account that is not an integration client', async () => {
    const op = (await server.handles.users.byUsername('demo-duty'))!;
    const res = await api(server.url, `/api/v1/users/${op.id}/api-keys`, { method: 'POST', token: secadmin, json: { name: 'x' } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('not_integration');
  });
});

describe('an expired password opens nothing but the password change, on every channel', () => {
  let token: string;
  beforeAll(async () => {
    const user = await makeUser('old.password', ['dispatcher']);
    token = await signIn('old.password');
    await server.store.run('UPDATE users SET password_changed_at = ? WHERE id = ?', '2026-01-01T00:00:00.000Z', user.id);
  });

  it('REST answers password_expired', async () => {
    const res = await api(server.url, '/api/v1/events?pageSize=1', { token });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('password_expired');
  });

  it('the socket refuses the handshake, replays nothing, and the refusal is audited', async () => {
    await server.handles.denials.flush(true);
    const before = await server.handles.audit.lastSeq();
    const client = connectClient(server.url, { token, lastSeq: 0 });
    await expect(client.ready).rejects.toMatchObject({ data: { code: 'password_expired' } });
    expect(client.changes).toEqual([]);
    client.socket.close();
    expect((await auditSince(before)).map((r) => [r.username, r.action, r.reason, r.objectType])).toEqual([['old.password', 'access:denied', 'password_expired', 'socket']]);
  });

  it('a socket open before the password expired is ended at its next command', async () => {
    const user = await makeUser('expires.live', ['duty_officer']);
    const live = await signIn('expires.live');
    const client = connectClient(server.url, { token: live });
    await client.ready;
    await server.store.run('UPDATE users SET password_changed_at = ? WHERE id = ?', '2026-01-01T00:00:00.000Z', user.id);
    const ended = new Promise<{ reason: string }>((ok) => client.socket.once('session:ended', ok));
    client.socket.emit('sync:ping', () => undefined);
    expect(await ended).toEqual({ reason: 'expired' });
    client.socket.close();
  });
});

describe('the login answer reveals no account', () => {
  it('unknown user, wrong password, locked and disabled accounts answer alike; the trail keeps the truth', async () => {
    const locked = await makeUser('will.lock', ['dispatcher']);
    await server.store.run('UPDATE users SET failed_attempts = 5, locked_until = ? WHERE id = ?', new Date(clock.now().getTime() + 600_000).toISOString(), locked.id);
    const disabled = await makeUser('is.disabled', ['dispatcher']);
    await server.handles.auth.setDisabled(null, disabled.id, true, ctx);
    const before = await server.handles.audit.lastSeq();
    const answers = await Promise.all(
      [['nobody.at.all', 'Wrong#123'], ['demo-dispatcher', 'Wrong#123'], ['will.lock', 'Wrong#123'], ['is.disabled', 'Wrong#123']].map(async ([u, p]) => {
        const res = await api(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username: u, password: p } });
        return { status: res.status, body: res.body };
      }),
    );
    for (const a of answers) expect(a).toEqual({ status: 401, body: { error: { code: 'invalid_credentials', message: '用户名或密码错误。' } } });
    const en = await api(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, headers: { 'accept-language': 'en' }, json: { username: 'nobody.at.all', password: 'x' } });
    expect(errorOf(en).message).toBe('Wrong username or password.');
    expect((await auditSince(before)).map((r) => r.reason).sort()).toEqual(['bad_password', 'disabled,bad_password', 'locked,bad_password', 'unknown_user', 'unknown_user'].sort());
    // only the right password learns that the account is locked or disabled
    expect((await login(server.url, 'will.lock', STRONG)).status).toBe(423);
    expect((await login(server.url, 'is.disabled', STRONG)).status).toBe(403);
  });
});

describe('a field worker belongs to a team', () => {
  it('is not created without one, over REST or in the service', async () => {
    const res = await api(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username: 'field.noteam', displayName: '无队伍网格员', password: STRONG, roles: ['field_worker'] } });
    expect(res.status).toBe(403);
    expect(errorOf(res).code).toBe('team_required');
    const unknown = await api(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username: 'field.badteam', displayName: 'x', password: STRONG, roles: ['field_worker'], teamId: 'TM99999999' } });
    expect(unknown.status).toBe(400);
    const ok = await api<UserSummary>(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: { username: 'field.withteam', displayName: 'x', password: STRONG, roles: ['field_worker'], teamId: await firstTeam() } });
    expect(ok.status).toBe(201);
    expect(ok.body.teamId).toBe(await firstTeam());
  });

  it('one left without a team (an old account) can act on no case at all', async () => {
    const user = await makeUser('field.orphan', ['field_worker'], { teamId: await firstTeam() });
    await server.store.run('UPDATE users SET team_id = NULL WHERE id = ?', user.id);
    const token = await signIn('field.orphan');
    const dispatched = (await api<EventListResponse>(server.url, '/api/v1/events?status=dispatched&pageSize=1')).body.items[0]!;
    const handled = (await api<EventListResponse>(server.url, '/api/v1/events?status=handled&pageSize=1')).body.items[0]!;
    for (const [id, action] of [
      [dispatched.id, 'accept'],
      [handled.id, 'verify'],
    ] as const) {
      const res = await api(server.url, `/api/v1/events/${id}/actions`, { method: 'POST', token, json: { action } });
      expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(403);
      expect(errorOf(res).code).toBe('team_required');
    }
    const list = (await api<UserListResponse>(server.url, '/api/v1/users', { token: secadmin })).body;
    expect(list.problems).toContainEqual(expect.objectContaining({ username: 'field.orphan', problem: 'field_worker_without_team' }));
  });
});

describe('smaller holes', () => {
  it('the socket trusts configured origins, never the Host header (DNS rebinding)', async () => {
    const port = new URL(server.url).port;
    const handshake = (host: string, origin: string) =>
      new Promise<number>((ok, fail) => {
        const req = request({ host: '127.0.0.1', port, path: '/socket.io/?EIO=4&transport=polling', headers: { host, origin } }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
    await server.handles.denials.flush(true);
    const before = await server.handles.audit.lastSeq();
    expect(await handshake(`rebind.example:${port}`, `http://rebind.example:${port}`)).toBe(403);
    expect(await handshake(`127.0.0.1:${port}`, `http://127.0.0.1:${port}`)).toBe(200);
    expect((await auditSince(before)).map((r) => [r.action, r.reason, r.objectType])).toEqual([['access:denied', 'origin_not_allowed', 'socket']]);
  });

  it.each(['/%2e%2e/%2e%2e/etc/passwd', '/assets/%00', '/a%00b.js', '/..%5c..%5cpackage.json', '/assets/..%5c..%5cpackage.json', '/index.html%00', '/..%2f..%2fetc/passwd'])(
    'a traversal attempt on static files (%s) answers 404 quietly',
    async (path) => {
      const errorsBefore = logLines.filter((l) => l.includes('"level":50')).length;
      const status = await new Promise<number>((ok, fail) => {
        const req = request({ host: '127.0.0.1', port: new URL(server.url).port, path }, (res) => {
          res.resume();
          ok(res.statusCode ?? 0);
        });
        req.on('error', fail);
        req.end();
      });
      expect(status).toBe(404);
      expect(logLines.filter((l) => l.includes('"level":50')).length).toBe(errorsBefore);
    },
  );

  it('wrong current passwords on change-password count toward the lockout, and the lock ends the session', async () => {
    await makeUser('change.guess', ['dispatcher']);
    const token = await signIn('change.guess');
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push((await api(server.url, '/api/v1/auth/change-password', { method: 'POST', token, json: { currentPassword: `Guess#${i}xyz`, newPassword: 'Another#Pass2026' } })).status);
    }
    expect(statuses).toEqual([400, 400, 400, 400, 423]);
    expect((await api(server.url, '/api/v1/auth/me', { token })).status).toBe(401);
    expect((await login(server.url, 'change.guess', STRONG)).status).toBe(423);
  });

  it('three identical user creations at once: one 201, two 400 taken, one row, no 500', async () => {
    const body = { username: 'race.user', displayName: '并发', password: STRONG, roles: ['dispatcher'] };
    const answers = await Promise.all([1, 2, 3].map(() => api(server.url, '/api/v1/users', { method: 'POST', token: secadmin, json: body })));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 400, 400]);
    for (const a of answers.filter((x) => x.status === 400)) expect(errorOf(a).fields).toEqual([expect.objectContaining({ field: 'username', code: 'taken' })]);
    expect((await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM users WHERE username = 'race.user'"))!.n).toBe(1);
  });
});
