import { describe, expect, it } from 'vitest';
import { parseSearch, searchQuerySchema } from './search.js';

describe('reading a search query', () => {
  it('reads a whole case id, with or without EV, in any case', () => {
    expect(parseSearch('EV202611010026')).toMatchObject({ caseId: 'EV202611010026', phone: null, caseNumber: null, hasWords: false });
    expect(parseSearch(' ev202611010026 ').caseId).toBe('EV202611010026');
    expect(parseSearch('202611010026')).toMatchObject({ caseId: 'EV202611010026', phone: null });
    expect(parseSearch('EV2026110110000').caseId).toBe('EV2026110110000');
    // not an id: too short, or a leading zero past the fourth digit
    expect(parseSearch('EV2026110100').caseId).toBeNull();
  });

  it("reads 1–8 digits as the number of today's case, and 4+ digits also as a phone", () => {
    expect(parseSearch('26')).toMatchObject({ caseNumber: 26, phone: null, caseId: null });
    expect(parseSearch('0026')).toMatchObject({ caseNumber: 26, phone: '0026' });
    expect(parseSearch('0')).toMatchObject({ caseNumber: null, phone: null });
  });

  it('reads a phone as its national digits: separators and +86 dropped', () => {
    expect(parseSearch('13905710001')).toMatchObject({ phone: '13905710001', caseNumber: null, caseId: null, hasWords: false });
    expect(parseSearch('+86 139-0571-0001').phone).toBe('13905710001');
    expect(parseSearch('8613905710001').phone).toBe('13905710001');
    expect(parseSearch('0579-81234567').phone).toBe('057981234567');
    expect(parseSearch('+86 0579-81234567').phone).toBe('057981234567');
    expect(parseSearch('139').phone).toBeNull();
  });

  it('reads words as words: addresses, places and items, never as a phone', () => {
    expect(parseSearch(' 阳光大道164号 ')).toEqual({ text: '阳光大道164号', hasWords: true, caseId: null, caseNumber: null, phone: null });
    expect(parseSearch('D30')).toMatchObject({ hasWords: true, phone: null });
  });

  it('takes 1 to 64 characters of clean text and names the field otherwise', () => {
    expect(searchQuerySchema.safeParse({ q: '金湾' }).success).toBe(true);
    expect(searchQuerySchema.safeParse({ q: '   ' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: 'x'.repeat(65) }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: 'a\u0000b' }).success).toBe(false);
    expect(searchQuerySchema.safeParse({ q: 'a', more: '1' }).success).toBe(false);
  });
});
