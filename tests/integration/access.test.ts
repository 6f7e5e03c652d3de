import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLE_PERMISSIONS, rolesAllow, type Permission, type Role } from '../../shared/contracts/auth.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import { api, connectClient, DEMO_PASSWORD, intakeAt, login, loginAs, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';

let server: TestServer;
let itemCode: string;
let firstTown: string;
let otherTown: string;
const tokens = new Map<string, string>();

const DEMO: Array<[string, Role]> = [
  ['demo-dispatcher', 'dispatcher'],
  ['demo-duty', 'duty_officer'],
  ['demo-lead', 'shift_lead'],
  ['demo-field', 'field_worker'],
  ['demo-approver', 'catalog_approver'],
  ['demo-sysadmin', 'sysadmin'],
  ['demo-secadmin', 'secadmin'],
  ['demo-auditor', 'auditor'],
  ['demo-wall', 'wall'],
];

/** A point inside a micro-grid of the given town. */
async function pointIn(town: string) {
  const { body } = await api<{ features: Array<{ properties: { id: string; labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid');
  const f = body.features.find((x) => x.properties.id.startsWith(town))!.properties;
  return { lon: f.labelLon, lat: f.labelLat };
}

beforeAll(async () => {
  // this file logs in more than the production limit of 20 logins a minute from one address
  server = await startTestServer({ config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 200 } } });
  itemCode = await someItemCode(server.url);
  const towns = await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code");
  firstTown = towns[0]!.id;
  otherTown = towns[1]!.id;
  for (const [username] of [...DEMO, ['demo-town-dispatcher']]) tokens.set(username!, await loginAs(server.url, username!));
});
afterAll(async () => server?.stop());

describe('every route is authorized', () => {
  // method, path, permission, body
  const ROUTES: Array<[string, string, Permission, (() => Promise<unknown>) | null]> = [
    ['GET', '/api/v1/regions', 'geo:read', null],
    ['GET', '/api/v1/geo/town', 'geo:read', null],
    ['GET', '/api/v1/catalog', 'catalog:read', null],
    ['GET', '/api/v1/events?pageSize=5', 'events:read', null],
    ['POST', '/api/v1/events', 'events:create', async () => intakeAt(itemCode, await pointIn(firstTown))],
    ['GET', '/api/v1/audit?pageSize=5', 'audit:read', null],
    ['GET', '/api/v1/audit/export', 'audit:export', null],
    ['GET', '/api/v1/auth/me', 'session:own', null],
    ['GET', '/api/v1/openapi.json', 'session:own', null],
    ['GET', '/api/v1/catalog/versions', 'catalog:read', null],
    ['GET', '/api/v1/settings/workflow', 'catalog:read', null],
    ['GET', '/api/v1/teams', 'events:read', null],
    ['GET', '/api/v1/kpis?from=2026-11-01T00:00:00Z&to=2026-11-08T00:00:00Z', 'kpi:read', null],
    ['GET', '/api/v1/events/{event}/timeline', 'events:read', null],
    ['GET', '/api/v1/events/{event}/recommendations', 'case:dispatch', null],
  ];
  /** `{event}` stands for an open case of the first town (in every demo user's scope). */
  const resolve = async (path: string) => {
    if (!path.includes('{event}')) return path;
    const list = await api<EventListResponse>(server.url, `/api/v1/events?town=${firstTown}&status=reported,filed&pageSize=1`);
    return path.replace('{event}', list.body.items[0]!.id);
  };

  it.each(ROUTES.map(([m, p]) => [m, p]))('%s %s without a token → 401', async (method, path) => {
    const res = await api<ApiError>(server.url, await resolve(path!), { method, anonymous: true, ...(method === 'POST' ? { json: {} } : {}) });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('unauthenticated');
  });

  it('health and login are the only public routes', async () => {
    expect((await api(server.url, '/api/v1/health', { anonymous: true })).status).toBe(200);
    expect((await login(server.url, 'demo-duty')).status).toBe(200);
  });

  const matrix = DEMO.flatMap(([username, role]) => ROUTES.map((r) => [username, role, ...r] as const));
  it.each(matrix)('%s (%s): %s %s', async (username, role, method, path, permission, body) => {
    const res = await api<ApiError>(server.url, await resolve(path), { method, token: tokens.get(username), ...(body ? { json: await body() } : {}) });
    if (rolesAllow([role], permission)) {
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
    } else {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
    }
  });

  it('keeps the three administrators apart (三权分立)', () => {
    expect(rolesAllow(['sysadmin'], 'audit:read')).toBe(false);
    expect(rolesAllow(['auditor'], 'users:manage')).toBe(false);
    expect(rolesAllow(['secadmin'], 'audit:read')).toBe(false);
    expect(ROLE_PERMISSIONS.wall).not.toContain('events:create');
  });

  it('audits every denied attempt', async () => {
    // identical denials within a window are counted, not repeated: start a fresh window
    await server.handles.denials.flush(true);
    const before = await server.handles.audit.lastSeq();
    await api(server.url, '/api/v1/audit', { token: tokens.get('demo-sysadmin') });
    await api(server.url, '/api/v1/events', { anonymous: true });
    const { items } = await server.handles.audit.list({ page: 1, pageSize: 10 });
    const fresh = items.filter((r) => r.seq > before);
    expect(fresh.map((r) => [r.username, r.action, r.result, r.reason])).toEqual([
      [null, 'access:denied', 'denied', 'unauthenticated'],
      ['demo-sysadmin', 'access:denied', 'denied', 'missing audit:read'],
    ]);
  });
});

describe('region scope', () => {
  it('a town user lists only their towns and is refused another town', async () => {
    const token = tokens.get('demo-town-dispatcher')!;
    const list = await api<EventListResponse>(server.url, '/api/v1/events?pageSize=1000', { token });
    expect(list.body.total).toBeGreaterThan(0);
    expect(list.body.items.every((e) => e.townId === firstTown)).toBe(true);
    expect((await api<ApiError>(server.url, `/api/v1/events?town=${otherTown}`, { token })).body.error.code).toBe('out_of_scope');

    const other = (await api<EventListResponse>(server.url, `/api/v1/events?town=${otherTown}&pageSize=1`)).body.items[0]!;
    const one = await api<ApiError>(server.url, `/api/v1/events/${other.id}`, { token });
    expect(one.status).toBe(403);
    expect(one.body.error.code).toBe('out_of_scope');
  });

  it('a town user cannot report into another town, and nothing is stored', async () => {
    const token = tokens.get('demo-town-dispatcher')!;
    const count = async () => (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM events'))!.n;
    const before = await count();
    const res = await api<ApiError>(server.url, '/api/v1/events', { method: 'POST', token, json: intakeAt(itemCode, await pointIn(otherTown)) });
    expect(res.status).toBe(403);
    expect(await count()).toBe(before);
    const ok = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', token, json: intakeAt(itemCode, await pointIn(firstTown)) });
    expect(ok.status).toBe(201);
  });

  it('a town user’s socket receives only their towns’ changes', async () => {
    const seq = (await api<{ seq: number }>(server.url, '/api/v1/health')).body.seq;
    const town = connectClient(server.url, { token: tokens.get('demo-town-dispatcher'), lastSeq: seq });
    const county = connectClient(server.url, { token: tokens.get('demo-dispatcher'), lastSeq: seq });
    await Promise.all([town.ready, county.ready]);
    const mine = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await pointIn(firstTown)) });
    const theirs = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await pointIn(otherTown)) });
    // pushes arrive in commit order: once a later case of the first town is in, "theirs" would have been too
    const later = await api<EventCreated>(server.url, '/api/v1/events', { method: 'POST', json: intakeAt(itemCode, await pointIn(firstTown)) });
    await waitFor(() => county.changes.length === 3, 10_000, 'the three changes at the county client');
    await waitFor(() => town.changes.some((c) => c.event.id === later.body.id), 10_000, 'the later change at the town client');
    expect(town.changes.map((c) => c.event.id)).toEqual([mine.body.id, later.body.id]);
    expect(county.changes.map((c) => c.event.id)).toEqual([mine.body.id, theirs.body.id, later.body.id]);
    town.socket.close();
    county.socket.close();
  });
});

describe('personal data', () => {
  it('is masked for the wall and shown to dispatchers, over REST and the socket', async () => {
    const seq = (await api<{ seq: number }>(server.url, '/api/v1/health')).body.seq;
    const wallSocket = connectClient(server.url, { token: tokens.get('demo-wall'), lastSeq: seq });
    await wallSocket.ready;
    const created = await api<EventCreated>(server.url, '/api/v1/events', {
      method: 'POST',
      json: intakeAt(itemCode, await pointIn(firstTown), { reporter: { name: '王建国', phone: '13905710001' } }),
    });
    expect(created.body.event.reporter).toEqual({ name: '王建国', phone: '13905710001' });
    const asWall = await api<EventRecord>(server.url, `/api/v1/events/${created.body.id}`, { token: tokens.get('demo-wall') });
    expect(asWall.body.reporter).toEqual({ name: '王**', phone: '139****0001' });
    const pushed = await waitFor(() => wallSocket.changes.find((c) => c.event.id === created.body.id), 10_000, 'the wall push');
    expect(pushed.event.reporter).toEqual({ name: '王**', phone: '139****0001' });
    wallSocket.socket.close();
  });
});

describe('sockets', () => {
  it('refuse a handshake without a token, with an ended session, or for a role without events:read', async () => {
    for (const auth of [{}, { token: 'x'.repeat(43) }, { token: tokens.get('demo-auditor') }]) {
      const client = connectClient(server.url, { token: undefined, ...auth });
      await expect(client.ready).rejects.toMatchObject({ message: expect.stringMatching(/unauthenticated|forbidden/) });
      client.socket.close();
    }
  });

  it('CORS answers only the packaged console’s origin', async () => {
    const pre = (origin: string) =>
      fetch(new URL('/api/v1/events', server.url), { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization' } });
    const ok = await pre('app://gridcommand');
    expect(ok.status).toBe(204);
    expect(ok.headers.get('access-control-allow-origin')).toBe('app://gridcommand');
    expect(ok.headers.get('access-control-allow-headers')).toContain('authorization');
    const evil = await pre('https://evil.example');
    expect(evil.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuse a browser origin other than the console’s own', async () => {
    const { io } = await import('socket.io-client');
    const socket = io(server.url, { transports: ['polling'], forceNew: true, reconnection: false, extraHeaders: { origin: 'https://evil.example' }, auth: { token: server.token } });
    await expect(new Promise((ok, fail) => (socket.once('connect', () => ok(true)), socket.once('connect_error', fail)))).rejects.toBeTruthy();
    socket.close();
  });
});

describe('login, lockout and logout', () => {
  it('limits login attempts per address', async () => {
    const limited = await startTestServer({ config: { rateLimit: { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 3 } } });
    try {
      const statuses: number[] = [];
      // startTestServer itself logged in once
      for (let i = 0; i < 3; i++) statuses.push((await login(limited.url, 'demo-wall', 'wrong')).status);
      expect(statuses).toEqual([401, 401, 429]);
    } finally {
      await limited.stop();
    }
  });

  it('locks an account after 5 failures and refuses the 6th attempt even with the right password', async () => {
    for (let i = 1; i <= 4; i++) {
      const res = await login(server.url, 'demo-lead', 'wrong-password');
      expect(res.status).toBe(401);
    }
    // the failure that locks the account answers like any other: a guesser learns nothing
    const fifth = await login(server.url, 'demo-lead', 'wrong-password');
    expect(fifth.status).toBe(401);
    expect((fifth.body as unknown as ApiError).error.code).toBe('invalid_credentials');
    const sixth = await api<ApiError>(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username: 'demo-lead', password: DEMO_PASSWORD }, headers: { 'accept-language': 'en' } });
    expect(sixth.status).toBe(423);
    expect(sixth.body.error.code).toBe('account_locked');
    expect(sixth.body.error.message).toMatch(/locked until/);
    const trail = (await server.handles.audit.list({ user: 'demo-lead', action: 'auth:login', page: 1, pageSize: 20 })).items;
    expect(trail.slice(0, 6).map((r) => r.result)).toEqual(['denied', 'failure', 'failure', 'failure', 'failure', 'failure']);
  });

  it('answers an unknown user like a wrong password', async () => {
    const res = await login(server.url, 'nobody-here', 'whatever');
    expect(res.status).toBe(401);
    expect((res.body as unknown as ApiError).error.code).toBe('invalid_credentials');
  });

  it('logout ends the session over REST and disconnects its sockets at once', async () => {
    const token = await loginAs(server.url, 'demo-duty');
    const client = connectClient(server.url, { token });
    await client.ready;
    const ended = new Promise<{ reason: string }>((ok) => client.socket.once('session:ended', ok));
    const order: string[] = [];
    client.socket.once('session:ended', () => order.push('session:ended'));
    const disconnected = new Promise<void>((ok) => client.socket.once('disconnect', () => ok(void order.push('disconnect'))));
    expect((await api(server.url, '/api/v1/auth/logout', { method: 'POST', token })).status).toBe(204);
    expect(await ended).toEqual({ reason: 'logout' });
    // the server ends the socket itself (no timeout needed): first it says why, then it closes
    await disconnected;
    expect(order).toEqual(['session:ended', 'disconnect']);
    expect((await api(server.url, '/api/v1/events?pageSize=1', { token })).status).toBe(401);
  });

  it('disabling a user ends all their sessions and sockets, and login is refused', async () => {
    const tokenA = await loginAs(server.url, 'demo-field');
    const tokenB = await loginAs(server.url, 'demo-field');
    const a = connectClient(server.url, { token: tokenA });
    const b = connectClient(server.url, { token: tokenB });
    await Promise.all([a.ready, b.ready]);
    const gone = Promise.all([a, b].map((c) => new Promise((ok) => c.socket.once('disconnect', ok))));
    const user = (await server.handles.users.byUsername('demo-field'))!;
    await server.handles.auth.setDisabled(null, user.id, true, { sourceIp: null, client: 'test' });
    await gone;
    expect((await api(server.url, '/api/v1/auth/me', { token: tokenA })).status).toBe(401);
    expect((await login(server.url, 'demo-field')).status).toBe(403);
  });
});
