import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { AuditRecord } from '../../shared/contracts/audit.js';
import { api, cleanupAfterAll, DEMO_PASSWORD, runCli, startTestServer, waitFor, type TestServer } from './harness.js';

// `--trust-proxy` (config trustProxy; docs/DEPLOYMENT.md, "Client addresses"). The tests connect
// from loopback: to a server that trusts 127.0.0.1 they are a reverse proxy on this host, to one
// that trusts nothing (the default) they are any client sending a forged X-Forwarded-For.

const LIMITS = { perMinute: 1200, anonymousPerMinute: 600, loginPerMinute: 3 };

let trusted: TestServer;
let plain: TestServer;

beforeAll(async () => {
  trusted = await startTestServer({ config: { trustProxy: ['127.0.0.1'], rateLimit: LIMITS } });
  plain = await startTestServer({ config: { rateLimit: LIMITS } });
});

afterAll(async () => {
  await trusted?.stop();
  await plain?.stop();
});

/** A sign-in sent "through the proxy" for the client `forwardedFor` (X-Forwarded-For as nginx writes it). */
const loginVia = (server: TestServer, forwardedFor: string, username: string, password = 'wrong-password') =>
  api<unknown>(server.url, '/api/v1/auth/login', { method: 'POST', anonymous: true, json: { username, password }, headers: { 'x-forwarded-for': forwardedFor } });

const trail = async (server: TestServer, filter: { user?: string; action?: string }): Promise<AuditRecord[]> =>
  (await server.handles.audit.list({ ...filter, page: 1, pageSize: 50 })).items;

/** Opens a socket that the server refuses; answers the one socket refusal it added to the audit trail. */
async function refusedSocket(server: TestServer, opts: { transport: 'websocket' | 'polling'; headers: Record<string, string> }): Promise<AuditRecord> {
  const socketDenials = async () => (await trail(server, { action: 'access:denied' })).filter((r) => r.objectType === 'socket');
  const before = (await socketDenials()).length;
  const socket = io(server.url, {
    transports: [opts.transport],
    forceNew: true,
    reconnection: false,
    extraHeaders: opts.headers,
    // well-formed, but no session's
    auth: { token: 'not-a-session-token-0123456789abcdef' },
  });
  try {
    await expect(new Promise((ok, fail) => (socket.once('connect', () => ok(true)), socket.once('connect_error', fail)))).rejects.toBeTruthy();
  } finally {
    socket.close();
  }
  const added = await waitFor(async () => { const now = await socketDenials(); return now.length > before && now; }, 5_000, 'the socket refusal in the audit trail');
  expect(added.length).toBe(before + 1);
  return added[0]!;
}

describe('behind a trusted proxy (trustProxy: 127.0.0.1)', () => {
  it('audits a sign-in and its session under the forwarded client address', async () => {
    const res = await loginVia(trusted, '203.0.113.7', 'demo-wall', DEMO_PASSWORD);
    expect(res.status).toBe(200);
    const [record] = (await trail(trusted, { user: 'demo-wall', action: 'auth:login' }));
    expect(record).toMatchObject({ result: 'success', sourceIp: '203.0.113.7' });
    const session = (await trusted.store.get<{ source_ip: string }>('SELECT source_ip FROM sessions WHERE user_id = ? ORDER BY created_at DESC LIMIT 1', record!.userId))!;
    expect(session.source_ip).toBe('203.0.113.7');
  });

  it('gives each forwarded client its own sign-in budget; a client prepending an address of its own stays in its budget', async () => {
    const a: number[] = [];
    for (let i = 0; i < 3; i++) a.push((await loginVia(trusted, '198.51.100.1', `nobody-a${i}`)).status);
    // the proxy appends the real peer last: whatever the client wrote before it is not believed
    a.push((await loginVia(trusted, '10.1.2.3, 198.51.100.1', 'nobody-a3')).status);
    expect(a).toEqual([401, 401, 401, 429]);
    // another client through the same proxy still has its whole budget
    const b: number[] = [];
    for (let i = 0; i < 3; i++) b.push((await loginVia(trusted, '198.51.100.2', `nobody-b${i}`)).status);
    expect(b).toEqual([401, 401, 401]);
    // a 429's denial is written in a turn of its own (the rate limit answers without waiting for it)
    await trusted.handles.denials.settled();
    const limited = (await trail(trusted, { action: 'access:denied' })).filter((r) => r.reason === 'rate_limited');
    expect(limited.map((r) => r.sourceIp)).toEqual(['198.51.100.1']);
    const failures = (await trail(trusted, { action: 'auth:login' })).filter((r) => r.username?.startsWith('nobody-'));
    expect(new Set(failures.map((r) => r.sourceIp))).toEqual(new Set(['198.51.100.1', '198.51.100.2']));
  });

  it('records a socket handshake through the proxy (WebSocket and long-polling) under the forwarded address', async () => {
    const ws = await refusedSocket(trusted, { transport: 'websocket', headers: { 'x-forwarded-for': '203.0.113.21' } });
    expect(ws).toMatchObject({ reason: 'unauthenticated', sourceIp: '203.0.113.21' });
    const polling = await refusedSocket(trusted, { transport: 'polling', headers: { 'x-forwarded-for': '203.0.113.22' } });
    expect(polling).toMatchObject({ reason: 'unauthenticated', sourceIp: '203.0.113.22' });
    // refused before the handshake (origin check): the same address
    const origin = await refusedSocket(trusted, { transport: 'polling', headers: { 'x-forwarded-for': '203.0.113.23', origin: 'https://evil.example' } });
    expect(origin).toMatchObject({ reason: 'origin_not_allowed', sourceIp: '203.0.113.23' });
  });
});

describe('trusting nothing (the default)', () => {
  it('ignores X-Forwarded-For: the audit trail has the connection address', async () => {
    expect((await loginVia(plain, '203.0.113.7', 'demo-wall', DEMO_PASSWORD)).status).toBe(200);
    expect((await trail(plain, { user: 'demo-wall', action: 'auth:login' }))[0]).toMatchObject({ result: 'success', sourceIp: '127.0.0.1' });
  });

  it('counts sign-ins with different forged addresses together', async () => {
    // startTestServer's own sign-in and the one above spent 2 of this address's 3
    const statuses = [(await loginVia(plain, '198.51.100.1', 'nobody-c0')).status, (await loginVia(plain, '198.51.100.2', 'nobody-c1')).status];
    expect(statuses).toEqual([401, 429]);
    // a 429's denial is written in a turn of its own (the rate limit answers without waiting for it)
    await plain.handles.denials.settled();
    const limited = (await trail(plain, { action: 'access:denied' })).filter((r) => r.reason === 'rate_limited');
    expect(limited.map((r) => r.sourceIp)).toEqual(['127.0.0.1']);
  });

  it('records a socket handshake with a forged header under the connection address', async () => {
    const ws = await refusedSocket(plain, { transport: 'websocket', headers: { 'x-forwarded-for': '203.0.113.21' } });
    expect(ws).toMatchObject({ reason: 'unauthenticated', sourceIp: '127.0.0.1' });
  });
});

describe('--trust-proxy', () => {
  const cleanup = cleanupAfterAll();

  it('refuses a bad entry at start, naming it', async () => {
    const data = cleanup.tempDir();
    const res = await runCli('server', ['--port', '0', '--data', data, '--trust-proxy', '127.0.0.1, 10.0.0.0/33,loopback']);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^--trust-proxy: "10\.0\.0\.0\/33" is not an IP address/);
    expect(res.stdout).not.toMatch(/listening/);
  });
});
