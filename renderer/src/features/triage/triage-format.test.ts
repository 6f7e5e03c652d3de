import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { pickerOptions, waited } from './triage-format';

const item = (code: string, name: string, categoryName = '市容秩序') => ({ code, name, categoryName }) as CatalogItem;
const items = [item('E02', '占道经营 / 无证流动摊贩'), item('E03', '出店经营'), item('D01', '暴露垃圾', '环境卫生')];
const suggestions = [{ itemCode: 'E03', itemName: '出店经营', category: 'city_order', score: 0.41, words: ['门口', '摆'] }];

describe('the triage item picker', () => {
  it('offers the suggestions first, with their scores and words', () => {
    expect(pickerOptions(suggestions, items, '')).toEqual([{ itemCode: 'E03', itemName: '出店经营', categoryName: '市容秩序', score: 0.41, words: ['门口', '摆'] }]);
  });

  it('adds catalog items by name, code or category while typing, without repeating a suggestion', () => {
    expect(pickerOptions(suggestions, items, '经营').map((o) => o.itemCode)).toEqual(['E03', 'E02']);
    expect(pickerOptions(suggestions, items, 'd0').map((o) => o.itemCode)).toEqual(['E03', 'D01']);
    expect(pickerOptions(suggestions, items, '环境').map((o) => o.itemCode)).toEqual(['E03', 'D01']);
  });
});

describe('how long a report has waited', () => {
  const at = Date.parse('2026-12-03T10:00:00Z');
  it('says minutes, then hours, then days', () => {
    expect(waited('2026-12-03T09:59:30Z', at)).toEqual({ unit: 'now', n: 0 });
    expect(waited('2026-12-03T09:15:00Z', at)).toEqual({ unit: 'minutes', n: 45 });
    expect(waited('2026-12-03T05:00:00Z', at)).toEqual({ unit: 'hours', n: 5 });
    expect(waited('2026-11-30T10:00:00Z', at)).toEqual({ unit: 'days', n: 3 });
  });
});
