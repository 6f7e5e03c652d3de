import { describe, expect, it } from 'vitest';
import { casePlaceName, type BriefingCase } from '../../../../shared/contracts/briefing.js';
import { caseStanding, chinaClock, chinaDate, chinaDayTime, inheritedCases, periodText, rateText } from './briefing-format';

const at = (local: string) => new Date(`${local}+08:00`).toISOString();

describe('the briefing\'s times', () => {
  it('are China time whatever the machine\'s zone: a night after midnight is the next day', () => {
    // 00:30 on 2 March in China is still 1 March in UTC
    expect(chinaDate(at('2027-03-02T00:30:00'))).toBe('2027年3月2日');
    expect(chinaClock(at('2027-03-02T00:30:00'))).toBe('00:30');
    expect(chinaDayTime(at('2027-03-02T08:30:00'))).toBe('3月2日 08:30');
    expect(chinaDayTime(at('2027-03-02T08:30:00'), true)).toBe('2027年3月2日 08:30');
  });

  it('write a period with its year once and the end\'s day only when it differs', () => {
    expect(periodText({ from: at('2027-03-01T17:30:00'), to: at('2027-03-02T08:30:00') })).toBe('2027年3月1日 17:30—3月2日 08:30');
    expect(periodText({ from: at('2027-03-01T08:30:00'), to: at('2027-03-01T17:30:00') })).toBe('2027年3月1日 08:30—17:30');
    expect(periodText({ from: at('2026-12-31T17:30:00'), to: at('2027-01-01T08:30:00') })).toBe('2026年12月31日 17:30—2027年1月1日 08:30');
  });
});

describe('rateText', () => {
  it('shows the computed rate with two decimals, a dash without a denominator', () => {
    expect(rateText(96.61)).toBe('96.61');
    expect(rateText(100)).toBe('100.00');
    expect(rateText(0)).toBe('0.00');
    expect(rateText(null)).toBe('—');
  });
});

describe('the open cases', () => {
  const c = (id: string, dueAt: string | null): BriefingCase => ({
    id,
    itemCode: 'D30',
    itemName: '暴露垃圾',
    urgency: 'P2',
    status: 'dispatched',
    townId: 't',
    townName: '城北街道',
    countyName: 'T县',
    place: 'v › g',
    reportedAt: at('2027-03-01T09:00:00'),
    dueAt,
    closedAt: null,
    teamName: null,
    supervised: false,
  });
  const b = { asOf: at('2027-03-02T08:30:00'), nearDeadlineUntil: at('2027-03-02T17:30:00') };

  it('stand overdue, near the deadline or plainly open by their closing deadline', () => {
    expect(caseStanding(c('a', at('2027-03-02T03:00:00')), b)).toBe('overdue');
    expect(caseStanding(c('b', at('2027-03-02T12:00:00')), b)).toBe('near');
    expect(caseStanding(c('c', at('2027-03-03T12:00:00')), b)).toBe('open');
    expect(caseStanding(c('d', null), b)).toBe('open');
  });

  it('are listed once each: overdue, near, then supervised', () => {
    const a = c('a', null);
    const n = c('n', null);
    const s = c('s', null);
    expect(inheritedCases({ cases: { overdue: [a], nearDeadline: [n], supervised: [s, a] } }).map((x) => x.id)).toEqual(['a', 'n', 's']);
  });
});

describe('where a listed case lies', () => {
  it('is its town under a county, its county › town under a city or province', () => {
    const c = { townName: '城北街道', countyName: '高田县' };
    expect([casePlaceName(c, 'town'), casePlaceName(c, 'county'), casePlaceName(c, 'city'), casePlaceName({ ...c, countyName: null }, 'county')]).toEqual([
      '城北街道',
      '高田县 › 城北街道',
      '高田县 › 城北街道',
      '城北街道',
    ]);
  });
});
