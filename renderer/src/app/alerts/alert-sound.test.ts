import { describe, expect, it } from 'vitest';
import { toneFor } from './alert-sound';

describe('toneFor', () => {
  it('sounds a critical alert longer and higher than a warning, each beep after the last', () => {
    const critical = toneFor('critical');
    const warning = toneFor('warning');
    expect(critical.length).toBeGreaterThan(warning.length);
    expect(Math.max(...critical.map((b) => b.frequency))).toBeGreaterThan(Math.max(...warning.map((b) => b.frequency)));
    expect(warning.length).toBeGreaterThan(1);
    for (const tone of [critical, warning]) {
      const overlapping = tone.slice(1).filter((beep, i) => beep.start < tone[i]!.start + tone[i]!.duration);
      expect(overlapping).toEqual([]);
      expect(tone.at(-1)!.start + tone.at(-1)!.duration).toBeLessThan(1);
    }
  });
});
