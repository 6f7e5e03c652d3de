import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { matchItems, phoneForAudit } from './search.service.js';

const item = (code: string, name: string, nameEn: string) => ({ code, name, nameEn }) as CatalogItem;
const CATALOG = [
  item('A01', '邻里纠纷', 'Neighbour dispute'),
  item('D30', '暴露垃圾', 'Exposed rubbish'),
  item('D31', '垃圾满溢', 'Overflowing bins'),
  item('E43', '乱堆物料 / 占道堆物', 'Materials piled on the road'),
];

describe('items a search names', () => {
  it('puts the code first, then names starting with the text, then names holding it, in catalog order', () => {
    expect(matchItems(CATALOG, '垃圾').map((i) => i.code)).toEqual(['D31', 'D30']);
    expect(matchItems(CATALOG, 'd30').map((i) => i.code)).toEqual(['D30']);
    expect(matchItems(CATALOG, 'ROAD').map((i) => i.code)).toEqual(['E43']);
    expect(matchItems(CATALOG, 'o').map((i) => i.code)).toEqual(['D31', 'A01', 'D30', 'E43']);
    expect(matchItems(CATALOG, '  ')).toEqual([]);
  });
});

describe('a phone in the audit trail', () => {
  it('masks a whole number as the console does and keeps a few last digits as they are', () => {
    expect(phoneForAudit('13905710001')).toBe('139****0001');
    expect(phoneForAudit('057981234567')).toBe('057*****4567');
    expect(phoneForAudit('0001')).toBe('…0001');
  });
});
