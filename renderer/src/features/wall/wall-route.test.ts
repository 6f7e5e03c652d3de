import { describe, expect, it } from 'vitest';
import { isWallAddress, opensWall } from './wall-route';

const at = (pathname: string, search = '') => ({ pathname, search });

describe('opensWall', () => {
  it('puts the wall display role on the wall wherever it lands', () => {
    expect(opensWall(['wall'], at('/'))).toBe(true);
    expect(opensWall(['wall'], at('/wall'))).toBe(true);
  });

  it('opens the wall at its address for any role that reads the figures, and the desk elsewhere', () => {
    for (const role of ['dispatcher', 'duty_officer', 'shift_lead'] as const) {
      expect(opensWall([role], at('/wall')), role).toBe(true);
      expect(opensWall([role], at('/')), role).toBe(false);
    }
    expect(opensWall(['field_worker'], at('/wall'))).toBe(false);
  });

  it('knows the address with a trailing slash and in the packaged console', () => {
    expect(isWallAddress(at('/wall/'))).toBe(true);
    expect(isWallAddress(at('/index.html', '?screen=wall&cycle=60'))).toBe(true);
    expect(isWallAddress(at('/walls'))).toBe(false);
    expect(isWallAddress(at('/', '?screen=desk'))).toBe(false);
  });
});
