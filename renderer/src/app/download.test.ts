import { describe, expect, it } from 'vitest';
import { percentOf, sizeText } from './download';

describe('download progress', () => {
  it('is a whole percent of the announced size, never above 100', () => {
    expect(percentOf({ received: 0, total: 2000 })).toBe(0);
    expect(percentOf({ received: 1999, total: 2000 })).toBe(99);
    expect(percentOf({ received: 2000, total: 2000 })).toBe(100);
    expect(percentOf({ received: 2100, total: 2000 })).toBe(100);
  });

  it('has no percent without a size; then the bytes so far are shown', () => {
    expect(percentOf({ received: 500, total: null })).toBeNull();
    expect(sizeText(300)).toBe('1 KB');
    expect(sizeText(512 * 1024)).toBe('512 KB');
    expect(sizeText(1.44 * 1024 * 1024)).toBe('1.4 MB');
  });
});
