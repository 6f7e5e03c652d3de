import { describe, expect, it } from 'vitest';
import { englishItemNames, itemNamer } from './item-names';

const catalog = {
  items: [{ code: 'D38', nameEn: 'Cooking fumes nuisance' }, { code: 'A04', nameEn: '' }],
  referrals: [{ code: 'R01', nameEn: 'Marriage dispute (court)' }],
} as unknown as Parameters<typeof englishItemNames>[0];

describe('item names', () => {
  it('English mode names items and referrals from nameEn', () => {
    const name = itemNamer(englishItemNames(catalog, 'en'));
    expect(name({ itemCode: 'D38', itemName: '餐饮油烟扰民' })).toBe('Cooking fumes nuisance');
    expect(name({ itemCode: 'R01', itemName: '婚姻纠纷' })).toBe('Marriage dispute (court)');
  });

  it('keeps the filed Chinese name for a retired item or an empty English name, and in Chinese mode', () => {
    const en = itemNamer(englishItemNames(catalog, 'en'));
    expect(en({ itemCode: 'Z99', itemName: '已停用事项' })).toBe('已停用事项');
    expect(en({ itemCode: 'A04', itemName: '重点信访事项' })).toBe('重点信访事项');
    expect(englishItemNames(catalog, 'zh-CN')).toBeNull();
    expect(itemNamer(englishItemNames(catalog, 'zh-CN'))({ itemCode: 'D38', itemName: '餐饮油烟扰民' })).toBe('餐饮油烟扰民');
    expect(englishItemNames(undefined, 'en')).toBeNull();
  });
});
