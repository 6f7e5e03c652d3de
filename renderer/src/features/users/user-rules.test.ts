import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../../../../shared/contracts/auth.js';
import type { GrantableArea } from '../../../../shared/contracts/user-admin.js';
import i18next from 'i18next';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { areaMark, areaSearch, areaTree, filterUsers, grantProblems, passwordChecks, roleBlocked, scopeText, teamsFor, toggleArea, townsOf, untouchable, EMPTY_USER_FILTER } from './user-rules';

const i18n = i18next.createInstance();
await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', initAsync: false });

const area = (id: string, name: string, level: GrantableArea['level'], parentId: string | null): GrantableArea => ({ id, name, level, parentId });
/** A county server: the county and its two towns. */
const COUNTY_TREE = areaTree({ root: area('330899', 'T县', 'county', null), areas: [], towns: [area('330899001', '城关镇', 'town', '330899'), area('330899002', '东岭镇', 'town', '330899')] });
/** A city platform: city C, counties A and B, two towns each. */
const CITY_TREE = areaTree({
  root: area('C', '温州市', 'city', null),
  areas: [area('A', 'A县', 'county', 'C'), area('B', 'B县', 'county', 'C')],
  towns: [area('A1', '城关镇', 'town', 'A'), area('A2', '西岭镇', 'town', 'A'), area('B1', '北港镇', 'town', 'B'), area('B2', '东岭镇', 'town', 'B')],
});

const user = (over: Partial<UserSummary>): UserSummary => ({
  id: 'u1',
  username: 'li.na',
  displayName: '李娜',
  roles: ['dispatcher'],
  scope: { kind: 'county' },
  disabled: false,
  lockedUntil: null,
  totpEnrolled: false,
  passwordChangedAt: '2026-11-01T00:00:00.000Z',
  teamId: null,
  problem: null,
  ...over,
});

describe('the rules of the security administrator’s screen (三权分立)', () => {
  it('offers no action on one’s own account or on an administrator’s', () => {
    expect(untouchable(user({ id: 'me' }), { id: 'me' })).toBe('own_account');
    expect(untouchable(user({ roles: ['auditor'] }), { id: 'me' })).toBe('admin_account');
    expect(untouchable(user({}), { id: 'me' })).toBeNull();
  });

  it('refuses administrator roles, device roles beside others, and a field worker without a team', () => {
    expect(grantProblems({ roles: [], towns: [], teamId: '' }).roles).toBe('no_role');
    expect(grantProblems({ roles: ['sysadmin'], towns: [], teamId: '' }).roles).toBe('admin_role_host_only');
    expect(grantProblems({ roles: ['wall', 'dispatcher'], towns: [], teamId: '' }).roles).toBe('device_role_not_alone');
    expect(grantProblems({ roles: ['field_worker'], towns: [], teamId: '' })).toEqual({ teamId: 'team_required' });
    expect(grantProblems({ roles: ['field_worker', 'dispatcher'], towns: [], teamId: 'TM0001' })).toEqual({});
  });

  it('blocks ticking a device role beside another role, and any role beside a device role', () => {
    expect(roleBlocked('wall', ['dispatcher'])).toBe(true);
    expect(roleBlocked('dispatcher', ['integration'])).toBe(true);
    expect(roleBlocked('duty_officer', ['dispatcher'])).toBe(false);
    expect(roleBlocked('wall', [])).toBe(false);
  });

  it('checks the password hints of the policy as it is typed', () => {
    const policy = { profile: 'dengbao' as const, minLength: 8, minClasses: 3, maxAgeDays: 90, historyDepth: 5, refusesCommon: false };
    expect(passwordChecks(policy, 'abc', 'li.na').map((c) => c.met)).toEqual([false, false, true]);
    expect(passwordChecks(policy, 'Grid#2026x', 'li.na').map((c) => c.met)).toEqual([true, true, true]);
    expect(passwordChecks(policy, 'Li.Na#20261', 'li.na').at(-1)!.met).toBe(false);
  });

  it('offers the teams of the grant’s towns and the county units', () => {
    const teams = [
      { id: 'TM0001', name: 'A', type: 'grid_worker' as const, homeName: 'x', townId: '330899001', countyId: '330899' },
      { id: 'TM0002', name: 'B', type: 'grid_worker' as const, homeName: 'y', townId: '330899002', countyId: '330899' },
      { id: 'TM0003', name: 'C', type: 'law_enforcement' as const, homeName: 'z', townId: null, countyId: '330899' },
    ];
    expect(teamsFor(teams, ['330899002'], COUNTY_TREE).map((t) => t.id)).toEqual(['TM0002', 'TM0003']);
    expect(teamsFor(teams, [], COUNTY_TREE)).toHaveLength(3);
  });

  it('offers a county user the teams of that county and its units, not another county’s', () => {
    const teams = [
      { id: 'TM1', name: 'A', type: 'grid_worker' as const, homeName: 'x', townId: 'A1', countyId: 'A' },
      { id: 'TM2', name: 'B', type: 'grid_worker' as const, homeName: 'y', townId: 'B1', countyId: 'B' },
      { id: 'TM3', name: 'A县执法', type: 'law_enforcement' as const, homeName: 'A县', townId: null, countyId: 'A' },
      { id: 'TM4', name: 'B县执法', type: 'law_enforcement' as const, homeName: 'B县', townId: null, countyId: 'B' },
    ];
    expect(teamsFor(teams, ['A'], CITY_TREE).map((t) => t.id)).toEqual(['TM1', 'TM3']);
    expect(teamsFor(teams, ['B1'], CITY_TREE).map((t) => t.id)).toEqual(['TM2', 'TM4']);
    expect(teamsFor(teams, ['C'], CITY_TREE)).toHaveLength(4);
  });

  it('filters by text, role, area and state', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const users = [
      user({ id: 'a', username: 'zhang', roles: ['dispatcher'], scope: { kind: 'towns', towns: ['330899001'], counties: ['330899'], areas: ['330899001'] } }),
      user({ id: 'b', username: 'wang', displayName: '王伟', disabled: true }),
      user({ id: 'c', username: 'zhao', lockedUntil: '2026-12-01T00:10:00Z', roles: ['wall'] }),
      user({ id: 'd', username: 'sun', problem: 'field_worker_without_team', roles: ['field_worker'] }),
    ];
    const ids = (f: Partial<typeof EMPTY_USER_FILTER>) => filterUsers(users, { ...EMPTY_USER_FILTER, ...f }, now, COUNTY_TREE).map((u) => u.id);
    expect(ids({ text: '王' })).toEqual(['b']);
    expect(ids({ role: 'wall' })).toEqual(['c']);
    expect(ids({ area: '330899002' })).toEqual(['b', 'c', 'd']);
    expect(ids({ area: '330899' })).toEqual(['a', 'b', 'c', 'd']);
    expect(ids({ state: 'disabled' })).toEqual(['b']);
    expect(ids({ state: 'locked' })).toEqual(['c']);
    expect(ids({ state: 'problem' })).toEqual(['d']);
    expect(ids({ state: 'active' })).toEqual(['a', 'd']);
  });
});

describe('the areas of a grant on a city platform', () => {
  it('ticks a county as one area: its towns are implied, not ticked, and a town ticked before folds into it', () => {
    let areas = toggleArea(CITY_TREE, [], 'A1');
    expect(areaMark(CITY_TREE, areas, 'A')).toEqual({ kind: 'partial', count: 1 });
    areas = toggleArea(CITY_TREE, areas, 'A');
    expect(areas).toEqual(['A']);
    expect(areaMark(CITY_TREE, areas, 'A2')).toEqual({ kind: 'implied', by: 'A' });
    // an implied town is not toggled by itself
    expect(toggleArea(CITY_TREE, areas, 'A2')).toEqual(['A']);
    areas = toggleArea(CITY_TREE, areas, 'B2');
    expect(areas).toEqual(['A', 'B2']);
    expect(townsOf(CITY_TREE, areas)).toEqual(new Set(['A1', 'A2', 'B2']));
    // the city is the whole platform: an empty grant
    expect(toggleArea(CITY_TREE, areas, 'C')).toEqual([]);
    expect(townsOf(CITY_TREE, [])).toBeNull();
    expect(townsOf(CITY_TREE, ['C'])).toBeNull();
  });

  it('searches names, showing a town under its county and a county with its towns', () => {
    expect(areaSearch(CITY_TREE, '')).toBeNull();
    expect([...areaSearch(CITY_TREE, '东岭')!].sort()).toEqual(['B', 'B2']);
    expect([...areaSearch(CITY_TREE, 'A县')!].sort()).toEqual(['A', 'A1', 'A2']);
    expect(areaSearch(CITY_TREE, '无此地')!.size).toBe(0);
  });

  it('names a user’s areas and the whole platform by its level', () => {
    const zh = i18n.getFixedT('zh-CN');
    expect(scopeText(zh, { kind: 'towns', towns: ['A1', 'A2', 'B2'], counties: ['A', 'B'], areas: ['A', 'B2'] }, CITY_TREE)).toBe('A县、东岭镇');
    expect(scopeText(zh, { kind: 'county' }, CITY_TREE)).toBe('全市');
    expect(scopeText(zh, { kind: 'county' }, COUNTY_TREE)).toBe('全县');
    expect(areaTree({ root: CITY_TREE.root, areas: [], towns: [] }).platform).toBe(false);
    expect(CITY_TREE.platform).toBe(true);
  });
});
