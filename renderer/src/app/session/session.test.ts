import { describe, expect, it, vi } from 'vitest';
import type { LoginResponse, SessionUser } from '../../../../shared/contracts/auth.js';
import type { TokenVault } from '../../platform/platform';
import { canUseMapConsole, SessionStore } from './session';

const TOKEN_A = 'token-aaaaaaaaaaaaaaaaaaaa';
const TOKEN_B = 'token-bbbbbbbbbbbbbbbbbbbb';

const user = (roles: SessionUser['roles'], id = 'u1'): SessionUser => ({
  id,
  username: `user-${id}`,
  displayName: '张三',
  roles,
  scope: { kind: 'county' },
  scopeNames: [],
  platformLevel: 'county',
  teamId: null,
});
const login = (roles: SessionUser['roles'] = ['dispatcher'], token = TOKEN_A, id = 'u1'): LoginResponse => ({
  token,
  expiresAt: '2026-05-01T20:00:00Z',
  idleTimeoutSeconds: 1800,
  user: user(roles, id),
  mustChangePassword: false,
  demo: true,
});

function memoryVault(value: string | null = null): TokenVault & { value: string | null } {
  const vault = {
    value,
    read: async () => vault.value,
    write: async (v: string) => {
      vault.value = v;
    },
    clear: async () => {
      vault.value = null;
    },
  };
  return vault;
}

describe('canUseMapConsole', () => {
  it('admits the roles that read events and the map, and no others', () => {
    for (const role of ['dispatcher', 'duty_officer', 'shift_lead', 'field_worker', 'wall'] as const) expect(canUseMapConsole([role])).toBe(true);
    for (const role of ['catalog_approver', 'sysadmin', 'secadmin', 'auditor', 'integration'] as const) expect(canUseMapConsole([role])).toBe(false);
    expect(canUseMapConsole(['auditor', 'dispatcher'])).toBe(true);
  });
});

describe('SessionStore', () => {
  it('keeps only the token on login and clears it when the session ends, telling the listeners why', () => {
    const vault = memoryVault();
    const store = new SessionStore(vault, null);
    const ended = vi.fn();
    store.onEnded(ended);
    store.begin(login());
    expect(store.token()).toBe(TOKEN_A);
    expect(vault.value).toBe(TOKEN_A);

    store.end('expired');
    expect(store.token()).toBeNull();
    expect(vault.value).toBeNull();
    expect(ended).toHaveBeenCalledExactlyOnceWith(expect.objectContaining({ reason: 'expired', keepMap: false }));
    expect(store.get().ended?.user.id).toBe('u1');
  });

  it('restores a kept token only once the server has said whose it is', () => {
    const store = new SessionStore(memoryVault(TOKEN_A), TOKEN_A);
    expect(store.get()).toEqual({ active: null, ended: null, restoring: TOKEN_A });
    expect(store.token()).toBe(TOKEN_A); // sent with the check itself
    store.restore(TOKEN_B, user(['dispatcher'])); // not the token being restored
    expect(store.get().active).toBeNull();
    store.restore(TOKEN_A, user(['dispatcher']));
    expect(store.get()).toMatchObject({ active: { token: TOKEN_A, user: { id: 'u1' } }, restoring: null });
  });

  it('drops a kept token the server refuses, with nothing to announce', () => {
    const vault = memoryVault(TOKEN_A);
    const store = new SessionStore(vault, TOKEN_A);
    const ended = vi.fn();
    store.onEnded(ended);
    store.end('unauthenticated', TOKEN_A);
    expect(store.get()).toEqual({ active: null, ended: null, restoring: null });
    expect(vault.value).toBeNull();
    expect(ended).not.toHaveBeenCalled();
  });

  it('ignores a stored value that is not a token', () => {
    expect(new SessionStore(memoryVault(), '{"token":"x"}').get().restoring).toBeNull();
  });

  it('ignores the refusal of a token that is no longer the current one', () => {
    const store = new SessionStore(memoryVault(), null);
    store.begin(login(['dispatcher'], TOKEN_A));
    store.begin(login(['dispatcher'], TOKEN_B));
    store.end('unauthenticated', TOKEN_A);
    expect(store.token()).toBe(TOKEN_B);
    store.end('unauthenticated', TOKEN_B);
    store.end('unauthenticated'); // idempotent
    expect(store.get()).toMatchObject({ active: null, ended: { reason: 'unauthenticated' } });
  });

  it('calls the end of a session the user is signing out of a sign-out, whoever reports it first', () => {
    const store = new SessionStore(memoryVault(), null);
    store.begin(login());
    store.expectSignOut();
    store.end('logout'); // the server's push, before the logout request answered
    store.end('signed_out', TOKEN_A);
    expect(store.get().ended?.reason).toBe('signed_out');
    store.begin(login());
    store.end('logout');
    expect(store.get().ended?.reason).toBe('logout');
  });

  it('keeps the map only for the wall', () => {
    const store = new SessionStore(memoryVault(), null);
    store.begin(login(['wall']));
    store.end('logout');
    expect(store.get().ended?.keepMap).toBe(true);
  });

  it('tells who signed in before, so another user starts from nothing', () => {
    const store = new SessionStore(memoryVault(), null);
    const begun = vi.fn();
    store.onBegun(begun);
    store.begin(login(['dispatcher'], TOKEN_A, 'u1'));
    expect(begun).toHaveBeenLastCalledWith(expect.objectContaining({ token: TOKEN_A }), null);
    store.end('signed_out');
    store.begin(login(['auditor'], TOKEN_B, 'u2'));
    expect(begun).toHaveBeenLastCalledWith(expect.objectContaining({ user: expect.objectContaining({ id: 'u2' }) }), 'u1');
  });

  it('takes a refreshed user only for the current token', () => {
    const store = new SessionStore(memoryVault(), null);
    store.begin(login());
    const before = store.get();
    store.updateUser(TOKEN_A, user(['dispatcher']));
    expect(store.get()).toBe(before); // unchanged: no re-render
    store.updateUser(TOKEN_B, user(['auditor']));
    expect(store.get().active?.user.roles).toEqual(['dispatcher']);
    store.updateUser(TOKEN_A, { ...user(['dispatcher']), scope: { kind: 'towns', towns: ['330100001'], counties: ['330100'], areas: ['330100001'] }, scopeNames: ['城关镇'] });
    expect(store.get().active?.user.scopeNames).toEqual(['城关镇']);
  });
});
