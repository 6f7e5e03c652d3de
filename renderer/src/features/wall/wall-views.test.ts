import { describe, expect, it } from 'vitest';
import { cycleSeconds, wallViews } from './wall-views';

const TOWNS = [
  { id: '330899001', name: '城关镇' },
  { id: '330899002', name: '东岭镇' },
];

describe('cycleSeconds', () => {
  it('reads ?cycle= in seconds, within what can be read, and nothing else', () => {
    expect(cycleSeconds('?cycle=60')).toBe(60);
    expect(cycleSeconds('?cycle=2')).toBe(15);
    expect(cycleSeconds('?cycle=86400')).toBe(3600);
    for (const s of ['', '?cycle=', '?cycle=0', '?cycle=-5', '?cycle=1e3', '?cycle=abc']) expect(cycleSeconds(s), s).toBeNull();
  });
});

describe('wallViews', () => {
  it('pages a county user through the county, each town and the hot spots', () => {
    expect(wallViews({ kind: 'county' }, TOWNS).map((v) => (v.kind === 'town' ? v.name : v.kind))).toEqual(['scope', '城关镇', '东岭镇', 'hotspots']);
  });

  it("pages a town user through their own towns only, and a one-town user through the area and its hot spots", () => {
    expect(wallViews({ kind: 'towns', towns: ['330899002'], counties: ['330899'], areas: ['330899002'] }, TOWNS).map((v) => v.kind)).toEqual(['scope', 'hotspots']);
    expect(wallViews({ kind: 'towns', towns: ['330899002', '330899001'], counties: ['330899'], areas: ['330899002', '330899001'] }, TOWNS).filter((v) => v.kind === 'town')).toHaveLength(2);
  });
});
