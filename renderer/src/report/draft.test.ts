import { describe, expect, it } from 'vitest';
import { DRAFT_KEY, EMPTY_DRAFT, loadDraft, saveDraft, type Draft } from './draft';

class MemoryStorage {
  readonly items = new Map<string, string>();
  failNext = 0;
  getItem(k: string) {
    return this.items.get(k) ?? null;
  }
  setItem(k: string, v: string) {
    if (this.failNext-- > 0) throw new Error('QuotaExceededError');
    this.items.set(k, v);
  }
}

const draft: Draft = {
  ...EMPTY_DRAFT,
  formToken: 't',
  description: '楼道里拉插线板给电瓶车充电',
  itemCode: 'A01',
  place: { lon: 120.1, lat: 29.3, from: 'map', accuracy: null, names: ['城关镇'] },
  photos: [{ id: 'AT1', name: 'a.jpg', preview: 'data:image/jpeg;base64,xx' }],
  phone: '13800001234',
};

describe('the resident draft', () => {
  it('comes back as it was saved', () => {
    const s = new MemoryStorage();
    saveDraft(s, draft);
    expect(loadDraft(s)).toEqual(draft);
  });

  it('is empty when nothing or something unreadable is stored', () => {
    const s = new MemoryStorage();
    expect(loadDraft(s)).toEqual(EMPTY_DRAFT);
    s.items.set(DRAFT_KEY, '{"description": 3}');
    expect(loadDraft(s)).toEqual(EMPTY_DRAFT);
    s.items.set(DRAFT_KEY, 'not json');
    expect(loadDraft(s)).toEqual(EMPTY_DRAFT);
  });

  it('keeps the words without the previews when storage is full', () => {
    const s = new MemoryStorage();
    s.failNext = 1;
    saveDraft(s, draft);
    expect(loadDraft(s)).toEqual({ ...draft, photos: [{ ...draft.photos[0], preview: '' }] });
  });
});
