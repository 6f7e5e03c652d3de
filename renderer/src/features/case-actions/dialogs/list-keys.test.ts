import { describe, expect, it } from 'vitest';
import { defaultChoice, listKeyChoice } from './list-keys';

describe('listKeyChoice', () => {
  it('moves with the arrows, stopping at the ends', () => {
    expect(listKeyChoice('ArrowDown', 0, 3)).toBe(1);
    expect(listKeyChoice('ArrowDown', 2, 3)).toBe(2);
    expect(listKeyChoice('ArrowUp', 0, 3)).toBe(0);
    expect(listKeyChoice('End', 0, 3)).toBe(2);
    expect(listKeyChoice('Home', 2, 3)).toBe(0);
  });

  it('picks the nth option with digits 1–9, ignoring those beyond the list', () => {
    expect(listKeyChoice('1', 2, 3)).toBe(0);
    expect(listKeyChoice('3', 0, 3)).toBe(2);
    expect(listKeyChoice('4', 0, 3)).toBeNull();
    expect(listKeyChoice('0', 0, 3)).toBeNull();
  });

  it('leaves other keys, and empty lists, alone', () => {
    expect(listKeyChoice('Enter', 1, 3)).toBeNull();
    expect(listKeyChoice('ArrowDown', 0, 0)).toBeNull();
  });
});

describe('defaultChoice', () => {
  const rec = (teamId: string, eligible: boolean) => ({ teamId, eligible }) as never;
  it("preselects the machine's choice: the first eligible team, else the first, else none", () => {
    expect(defaultChoice([rec('a', true), rec('b', true)])).toBe(0);
    expect(defaultChoice([rec('a', false), rec('b', true)])).toBe(1);
    expect(defaultChoice([rec('a', false)])).toBe(0);
    expect(defaultChoice([])).toBeNull();
  });
});
