import { describe, expect, it } from 'vitest';
import { LoginThrottle } from './login-throttle.js';

const config = { perAddress: 5, perUsername: 3, windowMs: 60_000 };

describe('LoginThrottle', () => {
  it('holds off a username after its failures, from any address, known or not', () => {
    const t = new LoginThrottle(config);
    for (let i = 0; i < 3; i++) t.fail(`10.0.0.${i}`, 'Zhang.Wei', 1000 + i);
    expect(t.check('10.9.9.9', 'zhang.wei', 2000)).toEqual({ ok: false, by: 'username', retryAfterMs: 59_000 });
    expect(t.check('10.9.9.9', 'li.na', 2000)).toEqual({ ok: true });
  });

  it('holds off an address that fails for many usernames', () => {
    const t = new LoginThrottle(config);
    for (let i = 0; i < 5; i++) t.fail('10.0.0.1', `user${i}`, 1000);
    expect(t.check('10.0.0.1', 'someone.else', 1500)).toMatchObject({ ok: false, by: 'address' });
    expect(t.check('10.0.0.2', 'someone.else', 1500)).toEqual({ ok: true });
  });

  it('forgets failures older than the window; a success clears the username, not the address', () => {
    const t = new LoginThrottle(config);
    for (let i = 0; i < 3; i++) t.fail('10.0.0.1', 'a', 0);
    expect(t.check('10.0.0.1', 'a', 59_999).ok).toBe(false);
    expect(t.check('10.0.0.1', 'a', 60_000).ok).toBe(true);
    for (let i = 0; i < 3; i++) t.fail('10.0.0.1', 'b', 70_000);
    t.succeed('B');
    expect(t.check('10.0.0.9', 'b', 70_001).ok).toBe(true);
    t.fail('10.0.0.1', 'c', 70_002);
    t.fail('10.0.0.1', 'd', 70_003);
    expect(t.check('10.0.0.1', 'e', 70_004)).toMatchObject({ ok: false, by: 'address' });
  });
});
