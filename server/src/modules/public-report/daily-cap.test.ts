import { describe, expect, it } from 'vitest';
import { DailyCap } from './daily-cap.js';

describe('the daily cap per address', () => {
  it('counts per address and China day, and takes back what the intake refused', () => {
    const cap = new DailyCap(2);
    // 23:30 and 23:59 in China are one day; 00:01 is the next
    const late = new Date('2026-11-23T15:30:00Z');
    expect(cap.take('1.2.3.4', late)).toBe(true);
    expect(cap.take('1.2.3.4', late)).toBe(true);
    expect(cap.take('1.2.3.4', new Date('2026-11-23T15:59:00Z'))).toBe(false);
    expect(cap.take('5.6.7.8', late)).toBe(true);
    cap.giveBack('1.2.3.4');
    expect(cap.take('1.2.3.4', late)).toBe(true);
    expect(cap.take('1.2.3.4', new Date('2026-11-23T16:01:00Z'))).toBe(true);
  });
});
