/**
 * better-sqlite3's named parameters (`@from`) for the async Store, which takes plain `?` only
 * (docs/POSTGRES.md): the SQL text with every `@name` and every `?` turned into a `?`, and the
 * arguments in the order they now appear, `@name` taking `named[name]` and `?` the next of
 * `positional`. Literals, quoted identifiers and comments are left alone (a `'@'` or `'?'` in a
 * literal stays). A name not in `named`, or a count of `?` other than `positional`'s, throws:
 * a statement is never run with its arguments shifted.
 */
export function bindNamed(sqlText: string, named: object, positional: readonly unknown[] = []): { sql: string; args: unknown[] } {
  const args: unknown[] = [];
  let next = 0;
  const sql = sqlText.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\/|@(\w+)|\?/g, (match, name: string | undefined) => {
    if (name !== undefined) {
      if (!Object.hasOwn(named, name)) throw new Error(`bindNamed: no value for @${name}`);
      args.push((named as Record<string, unknown>)[name]);
      return '?';
    }
    if (match !== '?') return match;
    if (next >= positional.length) throw new Error('bindNamed: more ? placeholders than positional arguments');
    args.push(positional[next++]);
    return '?';
  });
  if (next !== positional.length) throw new Error(`bindNamed: ${positional.length} positional arguments for ${next} ? placeholders`);
  return { sql, args };
}
