import { describe, expect, it } from 'vitest';
import { effectiveItem, highlightParts, percent, suggestionQuery, type SuggestionState } from './item-suggest';

describe('item suggestion helpers', () => {
  it('asks only about a text long enough to say something', () => {
    expect(suggestionQuery('  路灯 ')).toBeNull();
    expect(suggestionQuery('路灯不亮')).toBe('路灯不亮');
    expect(suggestionQuery('x'.repeat(5000))).toHaveLength(4000);
  });

  it('marks every occurrence of the driving words, longest first where they overlap', () => {
    expect(highlightParts('楼道里拉插线板给电瓶车充电', ['电瓶车', '充电', '电瓶'])).toEqual([
      { text: '楼道里拉插线板给', hit: false },
      { text: '电瓶车充电', hit: true },
    ]);
    expect(highlightParts('吵，吵死了', ['吵'])).toEqual([
      { text: '吵', hit: true },
      { text: '，', hit: false },
      { text: '吵', hit: true },
      { text: '死了', hit: false },
    ]);
    expect(highlightParts('ABC路灯', ['abc'])).toEqual([
      { text: 'ABC', hit: true },
      { text: '路灯', hit: false },
    ]);
    expect(highlightParts('路灯', [])).toEqual([{ text: '路灯', hit: false }]);
    expect(highlightParts('', ['路灯'])).toEqual([]);
  });
});

describe('the item a form stands on', () => {
  const state = (score: number): SuggestionState => ({
    text: '楼道里拉插线板给电瓶车充电',
    threshold: 0.5,
    suggestions: [{ itemCode: 'C19', itemName: '电动自行车违规 / 飞线充电', category: 'safety', score, words: ['电瓶车'] }],
  });

  it('takes a confident best suggestion while the user has chosen nothing, and says it is automatic', () => {
    expect(effectiveItem(null, state(0.8))).toEqual({ code: 'C19', auto: true });
  });

  it('takes nothing from a suggestion below the threshold', () => {
    expect(effectiveItem(null, state(0.3))).toEqual({ code: null, auto: false });
    expect(effectiveItem(null, null)).toEqual({ code: null, auto: false });
  });

  it('never replaces the user\'s own choice, however confident the suggestion', () => {
    expect(effectiveItem('D39', state(0.99))).toEqual({ code: 'D39', auto: false });
  });
});

describe('a confidence in words', () => {
  it('reads a tiny confidence as under one percent, not as zero', () => {
    expect(percent(0.862)).toBe('86%');
    expect(percent(0.001)).toBe('<1%');
    expect(percent(0)).toBe('0%');
    expect(percent(1)).toBe('100%');
  });
});
