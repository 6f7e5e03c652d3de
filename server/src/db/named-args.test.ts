import { describe, expect, it } from 'vitest';
import { bindNamed } from './named-args.js';

describe('bindNamed', () => {
  it('turns @names and ? into ? with the arguments in the order they appear', () => {
    expect(bindNamed('SELECT 1 WHERE a >= @from AND b IN (?, ?) AND c < @to AND d >= @from', { from: 'F', to: 'T' }, ['x', 'y'])).toEqual({
      sql: 'SELECT 1 WHERE a >= ? AND b IN (?, ?) AND c < ? AND d >= ?',
      args: ['F', 'x', 'y', 'T', 'F'],
    });
  });

  it('leaves literals, quoted identifiers and comments alone', () => {
    const text = `SELECT '@from ?' AS "@to?", x -- @from ?\n FROM t /* ? @to */ WHERE y = @to`;
    expect(bindNamed(text, { to: 1 })).toEqual({ sql: text.replace(/@to$/, '?'), args: [1] });
  });

  it('refuses an unknown name and a count of ? that does not match', () => {
    expect(() => bindNamed('SELECT @nope', {})).toThrow(/@nope/);
    expect(() => bindNamed('SELECT ?', {}, [])).toThrow(/more \?/);
    expect(() => bindNamed('SELECT ?', {}, [1, 2])).toThrow(/2 positional/);
  });
});
