import { describe, expect, it } from 'vitest';
import type { Shift } from '../../../../shared/contracts/settings.js';
import { changeText, shiftChoices } from './shift-choices';

const DAY: Shift = { name: '白班', nameEn: 'Day shift', start: '08:30', end: '17:30', lead: '李明' };
const NIGHT: Shift = { name: '夜班', nameEn: 'Night shift', start: '17:30', end: '08:30', lead: '王芳' };
const at = (local: string) => new Date(`${local}+08:00`);

describe('shiftChoices', () => {
  it('lists a week of shifts, the running one first, and marks the one to hand over', () => {
    // 02:15 in China: the night begun yesterday at 17:30 is more than half over
    const choices = shiftChoices([DAY, NIGHT], at('2027-03-02T02:15:00'));
    expect(choices).toHaveLength(14);
    expect(choices[0]).toMatchObject({ name: '夜班', running: true, handover: true, from: at('2027-03-01T17:30:00').toISOString(), to: at('2027-03-02T08:30:00').toISOString() });
    expect(choices[1]).toMatchObject({ name: '白班', running: false, handover: false });
    expect(choices[13]!.from).toBe(at('2027-02-23T08:30:00').toISOString());
    expect(new Set(choices.map((c) => c.key)).size).toBe(14);
  });

  it('early in a shift, hands over the one before (00:30 China time is still the 1st in UTC)', () => {
    const choices = shiftChoices([DAY, NIGHT], at('2027-03-02T00:30:00'));
    expect(choices.filter((c) => c.handover).map((c) => [c.name, c.from])).toEqual([['白班', at('2027-03-01T08:30:00').toISOString()]]);
    expect(choices[0]!.running && !choices[0]!.handover).toBe(true);
  });

  it('has nothing to offer without a schedule', () => {
    expect(shiftChoices([], at('2027-03-02T00:30:00'))).toEqual([]);
  });
});

describe('changeText', () => {
  it('signs the change against the shift before', () => {
    expect(changeText(5, 2)).toBe('+3');
    expect(changeText(2, 5)).toBe('−3');
    expect(changeText(4, 4)).toBe('±0');
  });
});
