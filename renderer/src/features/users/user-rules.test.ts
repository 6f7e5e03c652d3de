import { describe, expect, it } from 'vitest';
import type { UserSummary } from '../../../../shared/contracts/auth.js';
import { filterUsers, grantProblems, passwordChecks, roleBlocked, teamsFor, untouchable, EMPTY_USER_FILTER } from './user-rules';

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
      { id: 'TM0001', name: 'A', type: 'grid_worker' as const, homeName: 'x', townId: '330899001' },
      { id: 'TM0002', name: 'B', type: 'grid_worker' as const, homeName: 'y', townId: '330899002' },
      { id: 'TM0003', name: 'C', type: 'law_enforcement' as const, homeName: 'z', townId: null },
    ];
    expect(teamsFor(teams, ['330899002']).map((t) => t.id)).toEqual(['TM0002', 'TM0003']);
    expect(teamsFor(teams, [])).toHaveLength(3);
  });

  it('filters by text, role, town and state', () => {
    const now = Date.parse('2026-12-01T00:00:00Z');
    const users = [
      user({ id: 'a', username: 'zhang', roles: ['dispatcher'], scope: { kind: 'towns', towns: ['330899001'], counties: ['330899'], areas: ['330899001'] } }),
      user({ id: 'b', username: 'wang', displayName: '王伟', disabled: true }),
      user({ id: 'c', username: 'zhao', lockedUntil: '2026-12-01T00:10:00Z', roles: ['wall'] }),
      user({ id: 'd', username: 'sun', problem: 'field_worker_without_team', roles: ['field_worker'] }),
    ];
    const ids = (f: Partial<typeof EMPTY_USER_FILTER>) => filterUsers(users, { ...EMPTY_USER_FILTER, ...f }, now).map((u) => u.id);
    expect(ids({ text: '王' })).toEqual(['b']);
    expect(ids({ role: 'wall' })).toEqual(['c']);
    expect(ids({ town: '330899002' })).toEqual(['b', 'c', 'd']);
    expect(ids({ state: 'disabled' })).toEqual(['b']);
    expect(ids({ state: 'locked' })).toEqual(['c']);
    expect(ids({ state: 'problem' })).toEqual(['d']);
    expect(ids({ state: 'active' })).toEqual(['a', 'd']);
  });
});
