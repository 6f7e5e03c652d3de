import { describe, expect, it } from 'vitest';
import { altDigit } from './ItemSuggestStrip';

const key = (code: string, mods: Partial<Record<'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey', boolean>> = {}) => ({ altKey: true, ctrlKey: false, metaKey: false, shiftKey: false, code, ...mods });

describe('Alt+1/2/3 picks a suggestion', () => {
  it('reads the digit from the key code (a Mac types ¡ for Alt+1), top row or keypad', () => {
    expect(altDigit(key('Digit1'))).toBe(1);
    expect(altDigit(key('Numpad3'))).toBe(3);
    expect(altDigit(key('KeyA'))).toBeNull();
  });

  it('ignores the digit without Alt or with another modifier', () => {
    expect(altDigit(key('Digit1', { altKey: false }))).toBeNull();
    expect(altDigit(key('Digit1', { ctrlKey: true }))).toBeNull();
    expect(altDigit(key('Digit2', { shiftKey: true }))).toBeNull();
  });
});
