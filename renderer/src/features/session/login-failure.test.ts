import { describe, expect, it } from 'vitest';
import { ApiRequestError } from '../../app/api-client';
import { describeLoginFailure } from './login-failure';

const refused = (status: number, code: ConstructorParameters<typeof ApiRequestError>[2], message: string) => new ApiRequestError(message, status, code);

describe('describeLoginFailure', () => {
  it("shows the server's own words and drops the password after wrong credentials", () => {
    expect(describeLoginFailure(refused(401, 'invalid_credentials', '用户名或密码错误。'), 'net')).toEqual({
      message: '用户名或密码错误。',
      askTotp: false,
      clearPassword: true,
      focus: 'password',
    });
    expect(describeLoginFailure(refused(423, 'account_locked', '账号已锁定至 …'), 'net')).toMatchObject({ message: '账号已锁定至 …', clearPassword: true });
  });

  it('asks for the one-time code (again after a wrong one) and keeps the password for the second try', () => {
    expect(describeLoginFailure(refused(401, 'totp_invalid', '动态口令不正确'), 'net')).toMatchObject({ askTotp: true, clearPassword: false, focus: 'totp' });
    expect(describeLoginFailure(refused(401, 'totp_required', '请输入动态口令'), 'net')).toEqual({
      message: '请输入动态口令',
      askTotp: true,
      clearPassword: false,
      focus: 'totp',
    });
  });

  it('keeps what was typed when the server could not answer or asks to slow down', () => {
    expect(describeLoginFailure(new ApiRequestError('Failed to fetch', 0, 'network'), '无法连接')).toMatchObject({ message: '无法连接', clearPassword: false });
    expect(describeLoginFailure(new TypeError('boom'), '无法连接')).toMatchObject({ message: '无法连接' });
    expect(describeLoginFailure(refused(429, 'rate_limited', '请求过于频繁'), 'net')).toMatchObject({ message: '请求过于频繁', clearPassword: false });
  });
});
