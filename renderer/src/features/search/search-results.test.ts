import { describe, expect, it } from 'vitest';
import type { SearchPlace, SearchResponse } from '../../../../shared/contracts/search.js';
import { eventFixture } from '../../testing/event-fixture';
import { flatOptions, groupResults, highlightParts, moveActive } from './search-results';

const answer = (over: Partial<SearchResponse>): SearchResponse => ({
  q: 'x',
  cases: [],
  places: [],
  items: [],
  truncated: { cases: false, places: false, items: false },
  notices: [],
  ...over,
});
const place: SearchPlace = { id: 'V1', level: 'village', kind: 'village', name: '金湾村', path: '郑埠镇', townId: 'T1', bbox: [1, 2, 3, 4] };
const item = { code: 'D30', name: '暴露垃圾', nameEn: 'Exposed rubbish', categoryName: '环境', categoryNameEn: 'Environment', openCases: 3 };

describe('the search list', () => {
  it('groups by kind in a fixed order (id, phone, places, items, addresses) and drops empty groups', () => {
    const groups = groupResults(
      answer({
        cases: [
          { match: 'address', event: eventFixture({ id: 'EV3' }) },
          { match: 'phone', event: eventFixture({ id: 'EV2' }) },
          { match: 'id', event: eventFixture({ id: 'EV1' }) },
          { match: 'address', event: eventFixture({ id: 'EV4' }) },
        ],
        places: [place],
        items: [item],
      }),
    );
    expect(groups.map((g) => [g.id, g.options.map((o) => o.key)])).toEqual([
      ['caseId', ['case:EV1']],
      ['casePhone', ['case:EV2']],
      ['place', ['place:V1']],
      ['item', ['item:D30']],
      ['caseAddress', ['case:EV3', 'case:EV4']],
    ]);
    expect(flatOptions(groups).map((o) => o.kind)).toEqual(['case', 'case', 'place', 'item', 'case', 'case']);
    expect(groupResults(answer({ places: [place] })).map((g) => g.id)).toEqual(['place']);
  });

  it('lists households\' addresses after places and before items, in the order the server ranked them', () => {
    const hit = (code: string) => ({ code, address: `T县金湾村1组${code}号`, microGridId: 'M', gridId: 'G', villageId: 'V1', townId: 'T1', location: { lon: 1, lat: 2 } });
    const groups = groupResults(answer({ places: [place], items: [item] }), [hit('2'), hit('1')]);
    expect(groups.map((g) => [g.id, g.options.map((o) => o.key)])).toEqual([
      ['place', ['place:V1']],
      ['address', ['address:2', 'address:1']],
      ['item', ['item:D30']],
    ]);
    expect(groupResults(answer({}), [hit('9')]).map((g) => g.id)).toEqual(['address']);
    expect(groupResults(answer({}))).toEqual([]);
  });

  it('moves the marked option with the arrows, wrapping at the ends', () => {
    expect(moveActive(-1, 3, 1)).toBe(0);
    expect(moveActive(-1, 3, -1)).toBe(2);
    expect(moveActive(2, 3, 1)).toBe(0);
    expect(moveActive(0, 3, -1)).toBe(2);
    expect(moveActive(1, 3, 1)).toBe(2);
    expect(moveActive(5, 3, 1)).toBe(0);
    expect(moveActive(0, 0, 1)).toBe(-1);
  });

  it('marks every place the query occurs, ignoring case', () => {
    expect(highlightParts('金湾村第1网格', '金湾')).toEqual([
      { text: '金湾', hit: true },
      { text: '村第1网格', hit: false },
    ]);
    expect(highlightParts('Road to road', 'ROAD')).toEqual([
      { text: 'Road', hit: true },
      { text: ' to ', hit: false },
      { text: 'road', hit: true },
    ]);
    expect(highlightParts('abc', '')).toEqual([{ text: 'abc', hit: false }]);
    expect(highlightParts('abc', 'x')).toEqual([{ text: 'abc', hit: false }]);
  });
});
