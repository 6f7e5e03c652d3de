import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import type { AuditEntry } from '../../server/src/modules/audit/audit.contract.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import { AuthService, DEFAULT_AUTH_CONFIG, UsernameTakenError, type AuditSink } from '../../server/src/modules/auth/auth.service.js';
import { DEFAULT_DEMO_PASSWORD, demoChannelKey, seedDemoUsers } from '../../server/src/modules/auth/demo-users.js';
import { UsersRepo, type ApiKeyRecord } from '../../server/src/modules/auth/users.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { RegionIndex } from '../../server/src/modules/regions/region-index.js';
import { RegionsRepo } from '../../server/src/modules/regions/regions.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * Accounts and sessions answer the same on both dialects: a seeded county with the demo users on
 * SQLite, copied to PostgreSQL; then every UsersRepo method and the AuthService flows (login with
 * its failure count and lockout, authenticate/authorize with the idle timeout and touch, logout,
 * API keys and their grant binding, role changes and disabling with the sessions they end, a
 * password change, two creations of one username at once) run on both with the same inputs and
 * the same clock, and their answers, the rows they leave and the audit entries they write agree.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const ctx = { sourceIp: '10.0.0.9', client: 'users-store.test' };

/** One side: its store, repository, service, the audit entries it wrote and the sessions it ended. */
interface Side {
  store: Store;
  users: UsersRepo;
  auth: AuthService;
  audit: AuditEntry[];
  revoked: Array<{ ids: string[]; reason: string }>;
}

function side(store: Store, regions: RegionIndex, clock: Clock): Side {
  const audit: AuditEntry[] = [];
  // the audit repository stays on SQLite for now (it moves with the write path): both sides record the entries instead
  const sink: AuditSink = {
    append: (entry) => (audit.push(entry), undefined) as never,
    record: (entry) => (audit.push(entry), undefined) as never,
  };
  const users = new UsersRepo(store, regions);
  const auth = new AuthService({ store, users, audit: sink, clock, config: DEFAULT_AUTH_CONFIG, areaNames: (ids) => ids, platformLevel: () => 'county', demo: true });
  const revoked: Side['revoked'] = [];
  auth.onSessionsRevoked((ids, reason) => revoked.push({ ids, reason }));
  return { store, users, auth, audit, revoked };
}

async function bothSides(name: string): Promise<{ lite: Side; post: Side; clock: TestClock }> {
  const db = openDatabase(`${tempDir()}/${name}.sqlite`);
  later(() => db.close());
  seedDemo(db, SMALL_COUNTY);
  const clock = new TestClock(SMALL_COUNTY.asOf.getTime() + 3_600_000);
  const liteStore = Store.onSqlite(db);
  const regions = new RegionIndex(await new RegionsRepo(liteStore).indexRows());
  // the demo users are made as the server makes them, with the real audit trail
  const seedUsers = new UsersRepo(liteStore, regions);
  const seedAuth = new AuthService({ store: liteStore, users: seedUsers, audit: new AuditRepo(liteStore, clock), clock, config: DEFAULT_AUTH_CONFIG, areaNames: (ids) => ids, platformLevel: () => 'county', demo: true });
  await seedDemoUsers(liteStore, seedUsers, seedAuth, DEFAULT_DEMO_PASSWORD);
  const post = await postgresCopy(pg.cluster, db, later);
  return { lite: side(liteStore, regions, clock), post: side(post, regions, clock), clock };
}

/** Runs `fn` on both sides (SQLite first) and expects the same answer (a value, or the same refusal); the value. */
async function same<T>(lite: Side, post: Side, fn: (s: Side) => Promise<T>, label: string, normalize: (v: T) => unknown = (v) => v): Promise<T> {
  const a = await settle(() => fn(lite));
  const b = await settle(() => fn(post));
  expect(normalizeAll(b, normalize), label).toEqual(normalizeAll(a, normalize));
  // a refusal both sides gave alike is an answer too: the caller gets no value then
  return 'error' in a ? (undefined as T) : a.value;
}

async function settle<T>(fn: () => Promise<T>): Promise<{ value: T } | { error: unknown }> {
  try {
    return { value: await fn() };
  } catch (error) {
    return { error };
  }
}

/** An error as its class, status, code and message; random ids and tokens as placeholders. */
function normalizeAll<T>(r: { value: T } | { error: unknown }, normalize: (v: T) => unknown): unknown {
  if ('error' in r) {
    const e = r.error as { constructor: { name: string }; status?: number; code?: string; message?: string; fields?: unknown };
    return { error: e.constructor.name, status: e.status, code: e.code, message: e.message, fields: e.fields };
  }
  return scrub(normalize(r.value));
}

/** Random things (session ids and their prefixes, tokens, key ids, otpauth secrets) replaced. */
function scrub(value: unknown): unknown {
  if (value === undefined) return undefined;
  return JSON.parse(
    JSON.stringify(value)
      .replace(/ak_[0-9a-f]{16}/g, 'ak_*')
      .replace(/"token":"[A-Za-z0-9_-]+"/g, '"token":"*"')
      .replace(/"objectId":"[0-9a-f]{16}"/g, '"objectId":"session*"'),
  );
}

const auditOf = (s: Side) => scrub(s.audit.splice(0));

describe('UsersRepo and AuthService on SQLite and PostgreSQL', () => {
  it('read the same accounts, keys and history (usernames case-insensitive on both)', async () => {
    const { lite, post } = await bothSides('reads');
    const list = await same(lite, post, (s) => s.users.list(), 'list');
    expect(list.length).toBeGreaterThanOrEqual(15);
    expect(list.map((u) => u.username)).toContain('demo-field');
    await same(lite, post, (s) => s.users.count(), 'count');
    for (const u of list) {
      await same(lite, post, (s) => s.users.byId(u.id), `byId ${u.username}`);
      await same(lite, post, (s) => s.users.byUsername(u.username.toUpperCase()), `byUsername ${u.username.toUpperCase()}`);
      await same(lite, post, (s) => s.users.passwordHistory(u.id, 5), `passwordHistory ${u.username}`);
      await same(lite, post, (s) => s.users.listApiKeys(u.id), `listApiKeys ${u.username}`);
    }
    expect((await post.users.byUsername('Demo-Dispatcher'))?.username).toBe('demo-dispatcher');
    await same(lite, post, (s) => s.users.byUsername('nobody'), 'unknown username');
    await same(lite, post, (s) => s.users.byId('builtin-public-reports'), 'the built-in account');
    await same(lite, post, (s) => s.users.byId('no-such-id'), 'unknown id');
    const field = list.find((u) => u.username === 'demo-field')!;
    expect(field.teamId).not.toBeNull();
    expect(await same(lite, post, (s) => s.users.teamExists(field.teamId!), 'teamExists')).toBe(true);
    expect(await same(lite, post, (s) => s.users.teamExists('TM9999'), 'teamExists unknown')).toBe(false);
    const keys = await same(lite, post, (s) => s.users.listApiKeys(), 'listApiKeys');
    expect(keys.map((k) => k.channel).sort()).toEqual(['hotline', 'miniprogram', 'open311', 'video']);
    await same(lite, post, (s) => s.users.apiKey(sha256(demoChannelKey('hotline', DEFAULT_DEMO_PASSWORD))), 'apiKey by secret');
    for (const k of keys) await same(lite, post, (s) => s.users.apiKeyById(k.keyId), `apiKeyById ${k.keyId}`);
    await same(lite, post, (s) => s.users.apiKeyById('ak_0000000000000000'), 'apiKeyById unknown');
    expect(await same(lite, post, (s) => s.auth.accountProblems(), 'accountProblems')).toEqual([]);
  });

  it('keep sessions and lockout counters alike: create, touch, revoke (one, all but one, all), failures', async () => {
    const { lite, post, clock } = await bothSides('sessions');
    const user = (await lite.users.byUsername('demo-duty'))!;
    const at = () => clock.now().toISOString();
    const expiresAt = new Date(clock.at + 12 * 3_600_000).toISOString();
    for (const id of ['s1', 's2', 's3', 's4'].map(sha256)) {
      await same(lite, post, (s) => s.users.insertSession({ id, userId: user.id, at: at(), expiresAt, sourceIp: ctx.sourceIp, client: ctx.client }), `insertSession ${id}`);
    }
    const [s1, s2, s3, s4] = ['s1', 's2', 's3', 's4'].map(sha256);
    await same(lite, post, (s) => s.users.session(s1!), 'session');
    expect((await same(lite, post, (s) => s.users.sessionWithUser(s1!), 'session with user'))?.user.username).toBe('demo-duty');
    await same(lite, post, (s) => s.users.sessionWithUser(sha256('unknown')), 'unknown session with user');
    clock.advance(90_000);
    await same(lite, post, (s) => s.users.touchSession(s1!, at()), 'touchSession');
    expect((await same(lite, post, (s) => s.users.session(s1!), 'session touched'))?.lastSeenAt).toBe(at());
    await same(lite, post, (s) => s.users.revokeSession(s1!, 'logout', at()), 'revokeSession');
    clock.advance(1_000);
    await same(lite, post, (s) => s.users.revokeSession(s1!, 'again', at()), 'revokeSession twice');
    expect((await same(lite, post, (s) => s.users.session(s1!), 'revoked session'))?.revokedAt).not.toBeNull();
    expect((await same(lite, post, (s) => s.users.sessionWithUser(s1!), 'revoked session with user'))?.session).toMatchObject({ revokedAt: expect.any(String), userId: user.id });
    expect(await same(lite, post, (s) => s.users.revokeUserSessions(user.id, 'password_change', at(), s2!), 'revoke all but one')).toEqual([s3, s4].sort());
    expect(await same(lite, post, (s) => s.users.revokeUserSessions(user.id, 'role_change', at()), 'revoke all')).toEqual([s2]);
    expect(await same(lite, post, (s) => s.users.revokeUserSessions(user.id, 'role_change', at()), 'revoke none left')).toEqual([]);
    await same(lite, post, (s) => s.users.session(sha256('unknown')), 'unknown session');
    const rows = (s: Side) => s.store.all('SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at, revoke_reason, source_ip, client FROM sessions WHERE user_id = ? ORDER BY id', user.id);
    await same(lite, post, rows, 'session rows');

    await same(lite, post, (s) => s.store.inTransaction(() => s.users.byIdForUpdate(user.id)), 'byIdForUpdate');
    const lockedUntil = new Date(clock.at + 600_000).toISOString();
    await same(lite, post, (s) => s.users.recordFailure(user.id, 5, lockedUntil, at()), 'recordFailure');
    expect(await same(lite, post, (s) => s.users.byId(user.id), 'locked user')).toMatchObject({ failedAttempts: 5, lockedUntil });
    await same(lite, post, (s) => s.users.clearFailures(user.id, at()), 'clearFailures');
    expect(await same(lite, post, (s) => s.users.byId(user.id), 'unlocked user')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    await same(lite, post, (s) => s.users.setDisabled(user.id, true, at()), 'setDisabled');
    await same(lite, post, (s) => s.users.setTotpSecret(user.id, 'JBSWY3DPEHPK3PXP', at()), 'setTotpSecret');
    await same(lite, post, (s) => s.users.setRoles(user.id, ['dispatcher'], s.users.scopeOf(null), at()), 'setRoles');
    await same(lite, post, (s) => s.users.setTeam(user.id, null, at()), 'setTeam');
    await same(lite, post, (s) => s.users.byId(user.id), 'changed user');
  });

  it('log in, fail and lock, authorize with idle timeout and touch, and log out alike', async () => {
    const { lite, post, clock } = await bothSides('login');
    const login = (username: string, password: string) => (s: Side) => s.auth.login({ username, password }, ctx);
    await same(lite, post, login('nobody', 'x'), 'unknown user');
    for (let i = 1; i <= DEFAULT_AUTH_CONFIG.maxFailedAttempts; i++) await same(lite, post, login('demo-dispatcher', `wrong-${i}`), `bad password ${i}`);
    expect(await same(lite, post, (s) => s.users.byUsername('demo-dispatcher'), 'locked')).toMatchObject({ failedAttempts: 5 });
    await same(lite, post, login('Demo-Dispatcher', DEFAULT_DEMO_PASSWORD), 'right password while locked');
    expect(auditOf(post)).toEqual(auditOf(lite));
    // two failures at once count twice (the row is locked while one counts)
    for (const s of [lite, post]) await Promise.allSettled([login('demo-lead', 'wrong-a')(s), login('demo-lead', 'wrong-b')(s)]);
    expect(await same(lite, post, (s) => s.users.byUsername('demo-lead'), 'two failures at once')).toMatchObject({ failedAttempts: 2 });
    lite.audit.length = 0; // their order between the two is not fixed
    post.audit.length = 0;
    clock.advance(DEFAULT_AUTH_CONFIG.lockoutMinutes * 60_000 + 1_000);

    const liteLogin = await lite.auth.login({ username: 'demo-dispatcher', password: DEFAULT_DEMO_PASSWORD }, ctx);
    const postLogin = await post.auth.login({ username: 'demo-dispatcher', password: DEFAULT_DEMO_PASSWORD }, ctx);
    expect(scrub(postLogin)).toEqual(scrub(liteLogin));
    expect(auditOf(post)).toEqual(auditOf(lite));
    const token = (s: Side) => (s === lite ? liteLogin.token : postLogin.token);
    const principalOf = (v: Awaited<ReturnType<AuthService['authorize']>>) => ({ ...v, principal: v.principal && { ...v.principal, session: v.principal.session && { ...v.principal.session, id: '*' } } });
    await same(lite, post, (s) => s.auth.authorize({ token: token(s) }, 'events:read'), 'authorize', principalOf);
    await same(lite, post, (s) => s.auth.authorize({ token: token(s) }, 'audit:read'), 'forbidden', principalOf);
    // touched at most once a minute; an untouched check does not count as activity
    clock.advance(20 * 60_000);
    await same(lite, post, (s) => s.auth.authorize({ token: token(s) }, 'events:read', { touch: false }), 'no touch', principalOf);
    clock.advance(15 * 60_000);
    await same(lite, post, (s) => s.auth.authenticate({ token: token(s) }), 'idle too long', (p) => p);
    const other = await Promise.all([lite, post].map((s) => s.auth.login({ username: 'demo-duty', password: DEFAULT_DEMO_PASSWORD }, ctx)));
    const otherToken = (s: Side) => (s === lite ? other[0]!.token : other[1]!.token);
    clock.advance(2 * 60_000);
    const touched = await same(lite, post, (s) => s.auth.authorize({ token: otherToken(s) }, 'events:read'), 'touching', principalOf);
    expect(touched.ok).toBe(true);
    const lastSeen = async (s: Side) => (await s.users.session(sha256(otherToken(s))))!.lastSeenAt;
    expect(await same(lite, post, lastSeen, 'touched')).toBe(clock.now().toISOString());
    const verdicts = await Promise.all([lite, post].map((s) => s.auth.authorize({ token: otherToken(s) }, 'session:own')));
    await lite.auth.logout(verdicts[0]!.principal!, ctx);
    await post.auth.logout(verdicts[1]!.principal!, ctx);
    expect(lite.revoked.map((r) => r.reason)).toEqual(['logout']);
    expect(post.revoked.map((r) => r.reason)).toEqual(['logout']);
    await same(lite, post, (s) => s.auth.authorize({ token: otherToken(s) }, 'session:own'), 'after logout', principalOf);
    expect(auditOf(post)).toEqual(auditOf(lite));
  });

  it('administer accounts alike: keys and their grant, role changes and disabling end sessions, password change, one username at a time', async () => {
    const { lite, post, clock } = await bothSides('admin');
    const at = () => clock.now().toISOString();
    const gateway = (await lite.users.byUsername('demo-gateway'))!;
    const secret = 'gck_users_store_test_0123456789abcdef';
    const issued = await same(lite, post, (s) => s.auth.createApiKey(null, gateway.id, { name: 'test key', secret }, ctx), 'createApiKey');
    expect(issued.key).toBe(secret);
    const duty = (await lite.users.byUsername('demo-duty'))!;
    await same(lite, post, (s) => s.auth.createApiKey(null, duty.id, { name: 'x' }, ctx), 'createApiKey not integration');
    const keyPrincipal = (p: Awaited<ReturnType<AuthService['authenticate']>>) => p && { ...p, apiKeyId: p.apiKeyId && 'ak_*' };
    await same(lite, post, (s) => s.auth.authenticate({ apiKey: secret }), 'authenticate key', keyPrincipal);
    await same(lite, post, (s) => s.users.listApiKeys(gateway.id), 'keys touched');
    // a grant changed behind the key's back: it opens nothing and is revoked
    const town = (await lite.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1"))!.id;
    await same(lite, post, (s) => s.users.setRoles(gateway.id, ['integration'], s.users.scopeOf([town]), at()), 'scope changed');
    await same(lite, post, (s) => s.auth.authenticate({ apiKey: secret }), 'grant changed', keyPrincipal);
    expect((await same(lite, post, (s) => s.users.listApiKeys(gateway.id), 'revoked by grant')).find((k) => k.name === 'test key')?.revokeReason).toBe('grant_changed');

    // sessions of fixed ids, so the ended ones compare
    const expiresAt = new Date(clock.at + 3_600_000).toISOString();
    for (const n of ['a', 'b']) {
      await same(lite, post, (s) => s.users.insertSession({ id: sha256(n), userId: duty.id, at: at(), expiresAt, sourceIp: null, client: null }), `session ${n}`);
    }
    const scope = lite.users.scopeOf(null);
    await same(lite, post, (s) => s.auth.changeRoles(null, duty.id, { roles: ['shift_lead'], scope }, ctx), 'changeRoles');
    await same(lite, post, (s) => s.auth.changeRoles(null, duty.id, { roles: ['field_worker'], scope, teamId: null }, ctx), 'field worker without team');
    await same(lite, post, (s) => s.auth.changeRoles(null, duty.id, { roles: ['field_worker'], scope, teamId: 'TM9999' }, ctx), 'unknown team');
    await same(lite, post, (s) => s.auth.changeRoles(null, 'builtin-public-reports', { roles: ['integration'], scope }, ctx), 'built-in account');
    clock.advance(1_000);
    await same(lite, post, (s) => s.users.insertSession({ id: sha256('c'), userId: duty.id, at: at(), expiresAt, sourceIp: null, client: null }), 'session c');
    await same(lite, post, (s) => s.auth.setDisabled(null, duty.id, true, ctx), 'disable');
    await same(lite, post, (s) => s.auth.authenticate({ token: 'c' }), 'disabled user');
    await same(lite, post, (s) => s.auth.setDisabled(null, duty.id, false, ctx), 'enable');
    expect(post.revoked).toEqual(lite.revoked);
    expect(lite.revoked).toEqual([
      { ids: [sha256('a'), sha256('b')].sort(), reason: 'disabled' },
      { ids: [sha256('c')], reason: 'disabled' },
    ]);
    await same(lite, post, (s) => s.auth.enrollTotp(null, duty.id, ctx).then((uri) => uri.replace(/secret=[A-Z2-7]+/, 'secret=*')), 'enrollTotp');
    await same(lite, post, (s) => s.users.byId(duty.id).then((u) => u && { ...u, totpSecret: u.totpSecret && '*' }), 'enrolled user');
    await same(lite, post, (s) => s.auth.revokeApiKey(null, 'ak_0000000000000000', 'x', ctx), 'revoke unknown key');
    // keys issued at one instant are ordered by their (random, per store) key ids: compared by name
    const byName = (ks: ApiKeyRecord[]) => [...ks].sort((a, b) => `${a.name} ${a.channel}`.localeCompare(`${b.name} ${b.channel}`));
    const live = await same(lite, post, (s) => s.users.listApiKeys(), 'keys', byName);
    const open311 = live.find((k) => k.channel === 'open311')!;
    await same(lite, post, (s) => s.auth.revokeApiKey(null, open311.keyId, 'rotated', ctx), 'revokeApiKey');
    await same(lite, post, (s) => s.auth.revokeApiKey(null, open311.keyId, 'again', ctx), 'revokeApiKey twice');
    expect(auditOf(post)).toEqual(auditOf(lite));

    // a password change: the wrong current one counts, the right one ends the other sessions
    const principal = async (s: Side) => (await s.auth.authorize({ token: 'p1' }, 'session:own')).principal!;
    for (const n of ['p1', 'p2']) {
      await same(lite, post, (s) => s.users.insertSession({ id: sha256(n), userId: gateway.id, at: at(), expiresAt, sourceIp: null, client: null }), `session ${n}`);
    }
    await same(lite, post, async (s) => s.auth.changePassword(await principal(s), 'wrong', 'Another#Pass2026', ctx), 'wrong current password');
    await same(lite, post, async (s) => s.auth.changePassword(await principal(s), DEFAULT_DEMO_PASSWORD, DEFAULT_DEMO_PASSWORD, ctx), 'reused password');
    await same(lite, post, async (s) => s.auth.changePassword(await principal(s), DEFAULT_DEMO_PASSWORD, 'Another#Pass2026', ctx), 'password changed');
    expect(post.revoked.at(-1)).toEqual({ ids: [sha256('p2')], reason: 'logout' });
    expect(lite.revoked.at(-1)).toEqual(post.revoked.at(-1));
    await same(lite, post, (s) => s.users.byId(gateway.id).then((u) => u && { ...u, passwordHash: '*' }), 'after password change');
    expect((await post.users.passwordHistory(gateway.id, 5)).length).toBe(2);
    expect(auditOf(post)).toEqual(auditOf(lite));

    // two creations of one username (differing in case) at once: the unique index decides on both
    const create = (username: string) => (s: Side) => s.auth.createUser(null, { username, displayName: username, password: 'Race#Pass2026x', roles: ['dispatcher'], scope }, ctx);
    for (const s of [lite, post]) {
      const results = await Promise.allSettled([create('race.user')(s), create('Race.User')(s)]);
      expect(results.map((r) => r.status).sort(), s.store.dialect).toEqual(['fulfilled', 'rejected']);
      const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason, s.store.dialect).toBeInstanceOf(UsernameTakenError);
    }
    await same(lite, post, create('RACE.user'), 'taken, checked before');
    await same(lite, post, async (s) => ((await s.users.byUsername('race.USER')) ? 'found' : 'missing'), 'the one created');
    await same(lite, post, (s) => s.users.count(), 'count');
  });
});
