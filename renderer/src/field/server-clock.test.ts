import { describe, expect, it } from 'vitest';
import { ServerClock } from './server-clock';

describe('ServerClock', () => {
  it('uses the phone’s clock until an answer says how far off it is, then corrects by that', () => {
    let local = Date.parse('2026-11-23T01:00:00.000Z');
    const clock = new ServerClock(() => local);
    expect(clock.now()).toBe(local);
    // the phone is 5 minutes behind the server
    clock.observe('Mon, 23 Nov 2026 01:05:00 GMT');
    expect(clock.offset()).toBe(5 * 60_000 + 500);
    local += 10_000;
    expect(clock.now()).toBe(Date.parse('2026-11-23T01:05:10.500Z'));
    clock.observe(null);
    clock.observe('not a date');
    expect(clock.offset()).toBe(5 * 60_000 + 500);
  });
});
