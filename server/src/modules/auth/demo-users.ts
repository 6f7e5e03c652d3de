import type { Store } from '../../db/store.js';
import { createHash } from 'node:crypto';
import { INTAKE_CHANNELS, type IntakeChannel, type Role, type Scope } from '../../../../shared/contracts/auth.js';
import type { AuthService } from './auth.service.js';
import type { UsersRepo } from './users.repo.js';

/** The documented default; set GRIDCOMMAND_DEMO_PASSWORD to choose another. Demo mode only. */
export const DEFAULT_DEMO_PASSWORD = 'GridDemo#2026';

/**
 * Where a demo user works: the whole platform, the first town, or (on a city or province platform
 * only) T县, the county the city assigns cases down to (市级交办).
 */
type DemoScope = 'county' | 'first-town' | 'home-county';

const DEMO_USERS: Array<{ username: string; displayName: string; roles: Role[]; scope: DemoScope; team?: 'first-grid-team' }> = [
  { username: 'demo-dispatcher', displayName: '演示·指挥调度员', roles: ['dispatcher'], scope: 'county' },
  { username: 'demo-duty', displayName: '演示·值班员', roles: ['duty_officer'], scope: 'county' },
  { username: 'demo-lead', displayName: '演示·带班领导', roles: ['shift_lead'], scope: 'county' },
  { username: 'demo-field', displayName: '演示·网格员', roles: ['field_worker'], scope: 'first-town', team: 'first-grid-team' },
  { username: 'demo-approver', displayName: '演示·清单审核人', roles: ['catalog_approver'], scope: 'county' },
  // the county's grid office (县网格办) and a town's (乡镇网格办): workers' records, assessment, deliberation days
  { username: 'demo-gridoffice', displayName: '演示·县网格办', roles: ['grid_office'], scope: 'county' },
  { username: 'demo-town-gridoffice', displayName: '演示·乡镇网格办', roles: ['grid_office'], scope: 'first-town' },
  { username: 'demo-sysadmin', displayName: '演示·系统管理员', roles: ['sysadmin'], scope: 'county' },
  { username: 'demo-secadmin', displayName: '演示·安全管理员', roles: ['secadmin'], scope: 'county' },
  { username: 'demo-auditor', displayName: '演示·审计管理员', roles: ['auditor'], scope: 'county' },
  { username: 'demo-wall', displayName: '演示·指挥大屏', roles: ['wall'], scope: 'county' },
  // a vehicle-tracking gateway (车载定位平台) reporting team positions; `npm run simulate` uses it
  { username: 'demo-gateway', displayName: '演示·车载定位网关', roles: ['integration'], scope: 'county' },
  { username: 'demo-town-dispatcher', displayName: '演示·乡镇调度员', roles: ['dispatcher'], scope: 'first-town' },
  // on a platform only: a county's dispatcher, whose queue receives the city's assignments
  { username: 'demo-county', displayName: '演示·县级指挥调度员', roles: ['dispatcher'], scope: 'home-county' },
  // one integration account per intake channel (多网合一), each with its own channel-bound key
  { username: 'demo-open311', displayName: '演示·Open311 对接', roles: ['integration'], scope: 'county' },
  { username: 'demo-video', displayName: '演示·雪亮工程视频AI', roles: ['integration'], scope: 'county' },
  { username: 'demo-hotline', displayName: '演示·12345 热线平台', roles: ['integration'], scope: 'county' },
  { username: 'demo-miniprogram', displayName: '演示·微信小程序', roles: ['integration'], scope: 'county' },
];

const DEMO_CHANNEL_ACCOUNTS: Record<IntakeChannel, string> = { open311: 'demo-open311', video: 'demo-video', hotline: 'demo-hotline', miniprogram: 'demo-miniprogram' };

/**
 * The demo intake key of a channel: documented like the demo password (README), derived from it
 * so that a demo run with its own GRIDCOMMAND_DEMO_PASSWORD has keys nobody else knows. Demo mode only.
 */
export function demoChannelKey(channel: IntakeChannel, password = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD): string {
  return `gck_demo_${channel}_${createHash('sha256').update(`${password}:${channel}`).digest('hex').slice(0, 24)}`;
}

/** Issues each demo channel account its demo key, once (demo mode only); returns how many were issued. */
export async function seedDemoChannelKeys(users: UsersRepo, auth: AuthService, password = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD): Promise<number> {
  let issued = 0;
  for (const channel of INTAKE_CHANNELS) {
    const account = await users.byUsername(DEMO_CHANNEL_ACCOUNTS[channel]);
    if (!account || (await users.listApiKeys(account.id)).some((k) => k.channel === channel)) continue;
    await auth.createApiKey(null, account.id, { name: account.displayName, channel, secret: demoChannelKey(channel, password) }, { sourceIp: null, client: 'demo-seed' });
    issued++;
  }
  return issued;
}

/**
 * The grid workers' team (网格服务团队) of the first village, by region code, of the first town:
 * the demo field worker's team, inside its scope. Null before a county is seeded.
 */
export async function firstGridTeam(store: Store, townId: string | undefined): Promise<string | null> {
  if (!townId) return null;
  const row = await store.get<{ id: string }>(
    `SELECT t.id FROM teams t JOIN regions v ON v.id = t.home_region_id
     WHERE t.type = 'grid_worker' AND v.level = 'village' AND v.parent_id = ? ORDER BY v.code, t.id LIMIT 1`,
    townId,
  );
  return row?.id ?? null;
}

/** The demo county of a city or province platform: T县 (330899), or its first county by code; null on a county server or before seeding. */
async function platformCounty(store: Store): Promise<string | null> {
  if (!(await store.get("SELECT 1 AS one FROM regions WHERE level = 'city' LIMIT 1"))) return null;
  const row = await store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'county' ORDER BY CASE WHEN id = '330899' THEN 0 ELSE 1 END, code LIMIT 1");
  return row?.id ?? null;
}

/**
 * Creates the demo users that do not exist yet (demo mode only; never outside it). The demo
 * field worker is created once its team exists; one created before teams existed (by an older
 * version) joins its team now. Everything goes through the server's store (`handles.store`).
 */
export async function seedDemoUsers(store: Store, users: UsersRepo, auth: AuthService, password = process.env.GRIDCOMMAND_DEMO_PASSWORD || DEFAULT_DEMO_PASSWORD): Promise<number> {
  const firstTown = (await store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 1"))?.id;
  const gridTeam = await firstGridTeam(store, firstTown);
  const homeCounty = await platformCounty(store);
  let created = 0;
  for (const { team, ...u } of DEMO_USERS) {
    const teamId = team === 'first-grid-team' ? gridTeam : null;
    const existing = await users.byUsername(u.username);
    if (existing) {
      if (teamId && existing.demo && existing.teamId === null) await users.setTeam(existing.id, teamId, new Date().toISOString());
      continue;
    }
    // a field worker belongs to a team: before the county (and its teams) exists, wait for it
    if (team && !teamId) continue;
    // a county's dispatcher exists only where a city stands above the counties
    if (u.scope === 'home-county' && !homeCounty) continue;
    const scope: Scope = users.scopeOf(u.scope === 'home-county' ? [homeCounty!] : u.scope === 'county' || !firstTown ? null : [firstTown]);
    await auth.createUser(null, { ...u, password, scope, demo: true, teamId }, { sourceIp: null, client: 'demo-seed' });
    created++;
  }
  await seedDemoChannelKeys(users, auth, password);
  return created;
}

