import { describe, expect, it } from 'vitest';
import { madeAtProblem, madeAtSchema, offlineMadeAt } from './made-at.js';

const NOW = new Date('2026-11-23T01:00:00.000Z');
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('madeAt', () => {
  it('takes an ISO time with an offset, up to 2 min ahead of the server and 24 h back', () => {
    expect(madeAtSchema.safeParse('2026-11-23T09:00:00+08:00').success).toBe(true);
    expect(madeAtSchema.safeParse('2026-11-23 09:00').success).toBe(false);
    expect(madeAtProblem(at(119_000), NOW)).toBeNull();
    expect(madeAtProblem(at(121_000), NOW)).toEqual({ code: 'in_future', params: { minutes: 2 } });
    expect(madeAtProblem(at(-24 * 3_600_000), NOW)).toBeNull();
    expect(madeAtProblem(at(-24 * 3_600_000 - 1000), NOW)).toEqual({ code: 'too_old', params: { hours: 24 } });
  });

  it('is worth showing beside the received time once it is a minute or more earlier', () => {
    const received = NOW.toISOString();
    expect(offlineMadeAt({ madeAt: at(-30_000) }, received)).toBeNull();
    expect(offlineMadeAt({ madeAt: at(-60_000) }, received)).toBe(at(-60_000));
    expect(offlineMadeAt({}, received)).toBeNull();
    expect(offlineMadeAt({ madeAt: 42 }, received)).toBeNull();
  });
});
