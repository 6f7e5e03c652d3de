import { describe, expect, it } from 'vitest';
import { formatShare } from './queries';

describe('formatShare', () => {
  it('shows whole percentages, one decimal under 10 %, and nothing without a share', () => {
    expect(formatShare(33.33)).toBe('33%');
    expect(formatShare(4.25)).toBe('4.3%');
    expect(formatShare(0)).toBe('0%');
    expect(formatShare(100)).toBe('100%');
    expect(formatShare(null)).toBeNull();
  });
});
