import { describe, expect, it } from 'vitest';
import { freshness, linkAfterFailedAttempt } from './freshness';

const t0 = Date.parse('2024-05-01T00:00:00Z');

describe('freshness', () => {
  it('is fresh while connected and heard from within 30 s', () => {
    expect(freshness('connected', t0, t0 + 30_000)).toEqual({ stale: false, silentSeconds: 30 });
  });

  it('goes stale when connected but silent for more than 30 s', () => {
    expect(freshness('connected', t0, t0 + 30_001)).toEqual({ stale: true, silentSeconds: 30 });
  });

  it('goes stale at once when the link drops', () => {
    expect(freshness('reconnecting', t0, t0 + 2_500)).toEqual({ stale: true, silentSeconds: 2 });
    expect(freshness('offline', t0, t0 + 95_000)).toEqual({ stale: true, silentSeconds: 95 });
    expect(freshness('ended', t0, t0 + 1_000)).toEqual({ stale: true, silentSeconds: 1 });
  });

  it('says nothing before the first data', () => {
    expect(freshness('connecting', null, t0)).toEqual({ stale: false, silentSeconds: null });
  });

  it('turns reconnecting into offline after repeated failures', () => {
    expect(linkAfterFailedAttempt(1)).toBe('reconnecting');
    expect(linkAfterFailedAttempt(3)).toBe('offline');
  });
});
