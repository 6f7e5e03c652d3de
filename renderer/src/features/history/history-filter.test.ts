import { describe, expect, it } from 'vitest';
import { OPEN_STATUSES } from '../../../../shared/contracts/events.js';
import { EMPTY_HISTORY_FILTER, FINISHED_STATUSES, historyQuery, isFiltered, isReversedPeriod, pageCount } from './history-filter';

describe('the history filter', () => {
  it('asks for a page of 50 with only the filters set', () => {
    expect(historyQuery(EMPTY_HISTORY_FILTER, 1)).toEqual({ page: 1, pageSize: 50 });
    expect(historyQuery({ from: '2026-11-01', to: '2026-11-02', town: '330899001', item: 'D30', status: 'closed', team: 'TM0005' }, 3)).toEqual({
      page: 3,
      pageSize: 50,
      from: '2026-11-01',
      to: '2026-11-02',
      town: '330899001',
      item: 'D30',
      team: 'TM0005',
      status: ['closed'],
    });
  });

  it('turns the state groups into the states they hold', () => {
    expect(historyQuery({ ...EMPTY_HISTORY_FILTER, status: 'open' }, 1).status).toEqual(OPEN_STATUSES);
    expect(FINISHED_STATUSES).toEqual(['rejected', 'void', 'closed', 'merged', 'not_admitted']);
    expect(historyQuery({ ...EMPTY_HISTORY_FILTER, status: 'finished' }, 1).status).toEqual(FINISHED_STATUSES);
  });

  it('counts pages (an empty answer is one page), and knows a reversed period and an empty filter', () => {
    expect([pageCount(0), pageCount(1), pageCount(50), pageCount(51), pageCount(120, 50)]).toEqual([1, 1, 1, 2, 3]);
    expect(isReversedPeriod({ from: '2026-11-02', to: '2026-11-01' })).toBe(true);
    expect(isReversedPeriod({ from: '2026-11-01', to: '2026-11-01' })).toBe(false);
    expect(isReversedPeriod({ from: '', to: '2026-11-01' })).toBe(false);
    expect(isFiltered(EMPTY_HISTORY_FILTER)).toBe(false);
    expect(isFiltered({ ...EMPTY_HISTORY_FILTER, team: 'TM0001' })).toBe(true);
  });
});
