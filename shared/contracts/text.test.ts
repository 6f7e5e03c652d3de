import { describe, expect, it } from 'vitest';
import { cleanText } from './text.js';

const note = cleanText({ max: 20, multiline: true });
const name = cleanText({ max: 20 });

/** The field codes a value is refused with, or the value it is stored as. */
const outcome = (schema: typeof note, value: string) => {
  const r = schema.safeParse(value);
  return r.success ? { stored: r.data } : { refused: r.error.issues.map((i) => (i.code === 'custom' ? i.message : i.code)) };
};

describe('cleanText', () => {
  it('trims, NFC-normalises and writes line breaks as \\n', () => {
    expect(outcome(name, '  Jose\u0301 ')).toEqual({ stored: 'José' });
    expect(outcome(note, 'a\r\nb\rc\u2028d')).toEqual({ stored: 'a\nb\nc\nd' });
    expect(outcome(note, '第一行\n\t第二行')).toEqual({ stored: '第一行\n\t第二行' });
  });

  it.each([
    ['NUL', 'a\u0000b', 'control_character'],
    ['ESC (terminal escapes)', 'a\u001b[31mb', 'control_character'],
    ['DEL', 'a\u007fb', 'control_character'],
    ['a C1 control', 'a\u0085b', 'control_character'],
    ['right-to-left override', 'abc\u202Etxt.exe', 'bidi_control'],
    ['first strong isolate', 'a\u2068b', 'bidi_control'],
    ['right-to-left mark', 'a\u200Fb', 'bidi_control'],
    ['a lone high surrogate', 'a\uD800b', 'bad_encoding'],
    ['a lone low surrogate', 'a\uDC00', 'bad_encoding'],
    ['U+FFFD from invalid UTF-8', 'a\uFFFDb', 'bad_encoding'],
  ])('refuses %s in any text', (_what, value, code) => {
    expect(outcome(note, value)).toEqual({ refused: [code] });
    expect(outcome(name, value)).toEqual({ refused: [code] });
  });

  it('refuses line breaks and tabs in one-line text only', () => {
    for (const value of ['王\n建国', '王\t建国', '王\u2028建国']) expect(outcome(name, value)).toEqual({ refused: ['control_character'] });
    expect(outcome(note, '王\t建国')).toEqual({ stored: '王\t建国' });
  });

  it('keeps what people do type: CJK, emoji (surrogate pairs), zero-width joiners', () => {
    for (const value of ['东门垃圾桶满溢', '👨‍👩‍👧 家庭纠纷', 'Ａｂｃ１２３', 'O’Brien – 3 m²']) expect(outcome(note, value)).toEqual({ stored: value });
  });

  it('counts length after normalisation and refuses what is empty after trimming', () => {
    expect(outcome(name, ' \u00a0 ')).toEqual({ refused: ['too_small'] });
    expect(outcome(name, 'e\u0301'.repeat(20))).toEqual({ stored: 'é'.repeat(20) });
    expect(outcome(name, 'x'.repeat(21))).toEqual({ refused: ['too_big'] });
  });
});
