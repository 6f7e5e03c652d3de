import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/clock.js';
import { openDatabase } from '../../db/connection.js';
import { Store } from '../../db/store.js';
import { AuditRepo } from '../audit/audit.repo.js';
import { seedDemo } from '../demo/seed.js';
import { DEFAULT_AUTH_CONFIG, AuthService } from './auth.service.js';
import { DEFAULT_DEMO_PASSWORD, demoChannelKey, seedDemoUsers } from './demo-users.js';
import { UsersRepo } from './users.repo.js';
import { RegionIndex } from '../regions/region-index.js';
import { RegionsRepo } from '../regions/regions.repo.js';

describe('demo users', () => {
  it('makes demo-field a member of the grid workers of the first village of its town; login and /me carry the team', async () => {
    const db = openDatabase(':memory:');
    seedDemo(db, {
      seed: 3, towns: 2, villages: 4, grids: 8, microGrids: 16, workers: 12, fullTimeWorkers: 4, householdsPerMicroGrid: 1, days: 0, eventsPerDay: 0,
      asOf: new Date('2026-11-20T00:00:00+08:00'),
    });
    const store = Store.onSqlite(db);
    const users = new UsersRepo(store, new RegionIndex(await new RegionsRepo(store).indexRows()));
    const auth = new AuthService({ store, users, audit: new AuditRepo(store, systemClock), clock: systemClock, config: DEFAULT_AUTH_CONFIG, areaNames: (ids) => ids, platformLevel: () => 'county', demo: true });
    await seedDemoUsers(store, users, auth, DEFAULT_DEMO_PASSWORD);

    const town = (db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1").get() as { id: string }).id;
    const village = (db.prepare("SELECT id FROM regions WHERE level = 'village' AND parent_id = ? ORDER BY code LIMIT 1").get(town) as { id: string }).id;
    const team = db.prepare("SELECT id, type, home_region_id FROM teams WHERE type = 'grid_worker' AND home_region_id = ?").get(village) as { id: string };
    expect(team).toBeDefined();

    const ctx = { sourceIp: null, client: 'test' };
    const field = await auth.login({ username: 'demo-field', password: DEFAULT_DEMO_PASSWORD }, ctx);
    expect(field.user).toMatchObject({ teamId: team.id, scope: { kind: 'towns', towns: [town] } });
    expect(auth.sessionUser((await users.byUsername('demo-field'))!).teamId).toBe(team.id);
    const dispatcher = await auth.login({ username: 'demo-dispatcher', password: DEFAULT_DEMO_PASSWORD }, ctx);
    expect(dispatcher.user.teamId).toBeNull();
    expect(await users.teamExists(team.id)).toBe(true);
    expect(await users.teamExists('TM9999')).toBe(false);
  });

  it('gives each channel account one key bound to its channel, once, derived from the demo password', async () => {
    const db = openDatabase(':memory:');
    const store = Store.onSqlite(db);
    const users = new UsersRepo(store, new RegionIndex(await new RegionsRepo(store).indexRows()));
    const auth = new AuthService({ store, users, audit: new AuditRepo(store, systemClock), clock: systemClock, config: DEFAULT_AUTH_CONFIG, areaNames: (ids) => ids, platformLevel: () => 'county', demo: true });
    await seedDemoUsers(store, users, auth, DEFAULT_DEMO_PASSWORD);
    await seedDemoUsers(store, users, auth, DEFAULT_DEMO_PASSWORD);
    for (const channel of ['open311', 'video', 'hotline', 'miniprogram'] as const) {
      const principal = await auth.authenticate({ apiKey: demoChannelKey(channel, DEFAULT_DEMO_PASSWORD) });
      expect(principal?.user.username).toBe(`demo-${channel}`);
      expect(principal?.apiKeyChannel).toBe(channel);
      expect(await users.listApiKeys(principal!.user.id)).toHaveLength(1);
    }
    expect(demoChannelKey('hotline', 'another password')).not.toBe(demoChannelKey('hotline', DEFAULT_DEMO_PASSWORD));
    // the vehicle-tracking gateway's account gets no intake key
    expect(await users.listApiKeys((await users.byUsername('demo-gateway'))!.id)).toEqual([]);
  });
});
