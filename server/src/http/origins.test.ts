import { describe, expect, it } from 'vitest';
import { originAllowed, ownOrigins } from './origins.js';

describe('socket origins', () => {
  it('are the loopback names and the listen address, never a name from a request', () => {
    const own = ownOrigins('127.0.0.1', 8600, () => ['10.1.2.3']);
    expect(own).toContain('http://127.0.0.1:8600');
    expect(own).toContain('http://localhost:8600');
    expect(own).not.toContain('http://10.1.2.3:8600');
    expect(originAllowed('http://rebind.example:8600', own, [])).toBe(false);
    expect(originAllowed('http://127.0.0.1:8601', own, [])).toBe(false);
    expect(originAllowed(undefined, own, [])).toBe(true);
    expect(originAllowed('app://gridcommand', own, ['app://gridcommand'])).toBe(true);
  });

  it('listening on every interface, include each interface address', () => {
    const own = ownOrigins('0.0.0.0', 8600, () => ['10.1.2.3', 'fe80::1']);
    expect(own).toContain('http://10.1.2.3:8600');
    expect(own).toContain('https://[fe80::1]:8600');
  });
});
