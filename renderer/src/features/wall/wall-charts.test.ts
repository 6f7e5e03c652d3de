import { describe, expect, it } from 'vitest';
import { categoryBars, categoryOption, trendOption } from './wall-charts';

const cat = (category: string, count: number) => ({ category, name: `类${category}`, nameEn: `cat ${category}`, count });

describe('categoryBars', () => {
  it('names the five largest categories in the UI language and sums the rest as other', () => {
    const categories = [cat('a', 9), cat('b', 7), cat('c', 5), cat('d', 4), cat('e', 3), cat('f', 2), cat('g', 1)];
    expect(categoryBars(categories, false, '其他')).toEqual([
      { name: '类a', count: 9 },
      { name: '类b', count: 7 },
      { name: '类c', count: 5 },
      { name: '类d', count: 4 },
      { name: '类e', count: 3 },
      { name: '其他', count: 3 },
    ]);
    expect(categoryBars(categories.slice(0, 2), true, 'Other').map((b) => b.name)).toEqual(['cat a', 'cat b']);
  });
});

describe('the wall charts', () => {
  it('write every text at 20 wall units or more, and nothing only on hover', () => {
    const trend = trendOption([{ date: '2026-12-02', reported: 3, closed: 1 }, { date: '2026-12-03', reported: 4, closed: 2 }], { reported: '上报', closed: '结案', today: '今天' }, 2);
    const bars = categoryOption([{ name: '类a', count: 3 }], 2);
    const sizes = JSON.stringify([trend, bars]).match(/"fontSize":\d+/g)!.map((s) => Number(s.split(':')[1]));
    expect(sizes.length).toBeGreaterThan(3);
    expect(Math.min(...sizes)).toBeGreaterThanOrEqual(40);
    expect([trend, bars].map((o) => (o as { tooltip: { show: boolean } }).tooltip.show)).toEqual([false, false]);
    expect((trend as { xAxis: { data: string[] } }).xAxis.data).toEqual(['12-02', '今天']);
  });
});
