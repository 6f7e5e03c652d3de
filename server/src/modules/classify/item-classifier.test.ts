import { describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { DEMO_CATALOG } from '../demo/demo-catalog.js';
import { catalogItemOf } from '../catalog/catalog.repo.js';
import { textFeatures } from './features.js';
import { catalogText, ItemClassifier, namePhrases } from './item-classifier.js';
import { Segmenter } from './segmenter.js';

// One segmenter for the file: loading jieba's dictionary is the slow part.
const segmenter = new Segmenter();
const items: CatalogItem[] = DEMO_CATALOG.map(catalogItemOf);
segmenter.addWords(items.flatMap((i) => [...namePhrases(i.name), ...(i.keywords ?? [])]));

describe('segmentation with the catalog as user words', () => {
  it('keeps a domain term whole once it is a user word', () => {
    const fresh = new Segmenter();
    expect(fresh.cut('楼道里有人飞线充电')).not.toContain('飞线充电');
    fresh.addWords(['飞线充电']);
    expect(fresh.cut('楼道里有人飞线充电')).toContain('飞线充电');
    expect(fresh.cut('楼道里有人飞线充电').join('')).toBe('楼道里有人飞线充电');
  });

  it('splits item names into the phrases people say', () => {
    expect(namePhrases('电动自行车违规 / 飞线充电')).toEqual(['电动自行车违规', '飞线充电']);
    expect(namePhrases('绿地养护（植被枯死、树池破损）')).toEqual(['绿地养护', '植被枯死', '树池破损']);
    expect(catalogText({ name: '路灯不亮', categoryName: '市政设施', keywords: ['黑灯'] })).toBe('路灯不亮，黑灯，市政设施');
  });

  it('gives words, their parts, bigrams and characters, without function words or punctuation', () => {
    const { features, words } = textFeatures('河里有死鱼，发臭了！', segmenter);
    expect(features).toEqual(expect.arrayContaining(['w:死鱼', 'w:发臭', 'b:死鱼', 'c:鱼', 'c:臭']));
    expect(features).not.toContain('w:有');
    expect(features).not.toContain('c:的');
    expect(features.some((f) => f.includes('，') || f.includes('！'))).toBe(false);
    expect(words.map((w) => w.word)).toEqual(expect.arrayContaining(['死鱼', '发臭']));
    expect(words.map((w) => w.word)).not.toContain('了');
    expect(textFeatures('ＡＢＣ路灯', segmenter).features).toContain('w:abc');
  });
});

describe('the item classifier', () => {
  const classifier = new ItemClassifier(segmenter);
  classifier.addCatalog(items);

  it('suggests from the catalog alone, best first, with scores that are probabilities', () => {
    const s = classifier.suggest('小区路灯坏了好几盏', items, 3);
    expect(s).toHaveLength(3);
    expect(s[0]).toMatchObject({ itemCode: 'F48', itemName: '路灯不亮', category: 'facilities' });
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s[0]!.score).toBeLessThanOrEqual(1);
  });

  it('explains a suggestion by the words of the text that favour it, strongest first', () => {
    const [best] = classifier.suggest('楼道里拉插线板给电瓶车充电', items, 3);
    expect(best!.itemCode).toBe('C19');
    expect(best!.words.length).toBeGreaterThan(0);
    for (const w of best!.words) expect('楼道里拉插线板给电瓶车充电').toContain(w);
    expect(best!.words).toContain('电瓶车');
    expect(best!.words).not.toContain('给');
  });

  it('learns a closed case incrementally: the same phrasing then suggests its item', () => {
    const local = new ItemClassifier(segmenter);
    local.addCatalog(items);
    const text = '翠微坊牌坊底下的石狮子缺了一只耳朵';
    expect(local.suggest(text, items, 1)[0]!.itemCode).not.toBe('E45');
    local.addCase('E45', text);
    local.addCase('E45', `${text}，又被人碰了`);
    expect(local.suggest(text, items, 1)[0]!.itemCode).toBe('E45');
  });

  it('only suggests the items it is given (the active catalog), and at most k', () => {
    const few = items.filter((i) => ['A01', 'D30'].includes(i.code));
    const s = classifier.suggest('楼道里拉插线板给电瓶车充电', few, 3);
    expect(s.map((x) => x.itemCode).sort()).toEqual(['A01', 'D30']);
    expect(classifier.suggest('路灯', [], 3)).toEqual([]);
  });

  it('gives a text with no known word flat, low scores and no words', () => {
    const s = classifier.suggest('qwxz！！', items, 3);
    expect(s).toHaveLength(3);
    for (const x of s) {
      expect(x.words).toEqual([]);
      expect(x.score).toBeLessThan(0.1);
    }
  });
});
