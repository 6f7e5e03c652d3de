import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, hashPassword, verifyPassword } from './password.js';

const codes = (profile: 'dengbao' | 'asvs', p: string) => checkPasswordPolicy(profile, p, 'demo-dispatcher').map((x) => x.code);

describe('password policy', () => {
  it('dengbao: at least 8 characters from 3 of the 4 classes', () => {
    expect(codes('dengbao', 'GridDemo#2026')).toEqual([]);
    expect(codes('dengbao', 'Ab1!')).toEqual(['too_short']);
    expect(codes('dengbao', 'alllowercase1')).toEqual(['too_few_classes']);
  });

  it('asvs: length-based, refuses common passwords, any characters allowed', () => {
    expect(codes('asvs', 'correct horse battery staple')).toEqual([]);
    expect(codes('asvs', 'Passw0rd!')).toEqual(['too_short', 'common_password']);
    expect(codes('asvs', 'password1234')).toEqual(['common_password']);
  });

  it('both refuse a password containing the username', () => {
    expect(codes('dengbao', 'Demo-Dispatcher#1')).toContain('contains_username');
  });
});

describe('argon2id hashing', () => {
  it('verifies the right password only, and never throws on a malformed hash', async () => {
    const hash = await hashPassword('GridDemo#2026');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'GridDemo#2026')).toBe(true);
    expect(await verifyPassword(hash, 'GridDemo#2027')).toBe(false);
    expect(await verifyPassword('not-a-hash', 'x')).toBe(false);
  });
});
