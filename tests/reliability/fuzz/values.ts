import fc from 'fast-check';

/**
 * The hostile values the fuzz puts where a request expects something sensible, and the
 * mutations of a valid body that carry them one field at a time (which reaches the code behind
 * validation, unlike wholly random JSON).
 */

/** JSON text that no JavaScript value serializes to: `NaN`, `1e400`, `-0`, deep nesting, broken syntax. */
export class RawJson {
  constructor(readonly text: string) {}
  toString(): string {
    return `RawJson(${this.text.length > 60 ? `${this.text.slice(0, 60)}…(${this.text.length})` : this.text})`;
  }
}

const raw = (text: string) => new RawJson(text);

const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c));
/** Characters that break naive code: NUL and other controls, bidi overrides, BOM, quotes, CJK, emoji halves. */
const awkwardChar = fc.oneof(
  loneSurrogate,
  fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u0085', '\u202e', '\u200f', '\u2028', '\ufeff', '\ufffd', '网', '格', '治', 'ع', 'ש', '\u{1f6a8}', '\ud83d', '\n', '\r\n', '\t', '\\', '"', "'", '<', '&', '%', '/', '.', ' '),
  fc.string({ unit: 'binary-ascii', minLength: 1, maxLength: 1 }),
);

/** Strings: printable unicode, any code point, lone surrogates, controls, and edge cases by name. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: awkwardChar, maxLength: 30 }), weight: 3 },
  {
    arbitrary: fc.constantFrom(
      '',
      ' ',
      '\u0000',
      '\ud800',
      '\udfff',
      'a\ud800b',
      'null',
      'true',
      '0',
      '-1',
      'NaN',
      'Infinity',
      '1e308',
      '__proto__',
      'constructor',
      'prototype',
      '../../etc/passwd',
      '..%2f..%2f',
      '%00',
      '%zz',
      '%',
      '\u202e反转文本',
      'مرحبا بالعالم',
      'שלום',
      '网格智治指挥台',
      "'; DROP TABLE events; --",
      '" OR 1=1 --',
      '<script>alert(1)</script>',
      '${7*7}{{7*7}}',
      '2026-02-30T00:00:00+08:00',
      '2026-11-20T25:61:00Z',
      '9999-12-31T23:59:59Z',
      '0000-01-01T00:00:00Z',
      '-000001-01-01T00:00:00Z',
      '2026-11-20',
      '20261120',
      'P0',
      'AL00000000',
      'TM0001',
      'EV',
      '330100000000000000',
      '网格'.repeat(2_100),
      'x'.repeat(4_001),
      'y'.repeat(70_000),
    ),
    weight: 3,
  },
  { arbitrary: fc.string({ unit: 'grapheme', minLength: 100, maxLength: 400 }), weight: 1 },
);

/** Numbers at the edges, including the ones JSON can only carry as raw text. */
export const nastyNumber: fc.Arbitrary<number | RawJson> = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, -0.5, 6, 7, 90, 91, 180, 181, -181, 3650, 100_001, 1e308, -1e308, 5e-324, 2 ** 31, -(2 ** 31), 2 ** 53 + 2, 2 ** 64, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.maxSafeInteger(),
  fc.constantFrom('NaN', '-NaN', 'Infinity', '-Infinity', '1e400', '-1e400', '-0', '-0.0', '1e-400', '123456789012345678901234567890', '0x10', '01', '1.', '.5', '+1', '1_000').map(raw),
);

const scalar: fc.Arbitrary<unknown> = fc.oneof({ arbitrary: nastyString, weight: 4 }, { arbitrary: nastyNumber, weight: 3 }, fc.boolean(), fc.constant(null));

const key = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'id', 'action', 'token', '', '\u0000', '网格', '\ud800'));

/** Deep nesting as raw text (a recursive serializer would blow its own stack first). */
const deep = fc.tuple(fc.integer({ min: 20, max: 20_000 }), fc.constantFrom('array', 'object', 'open')).map(([n, kind]) =>
  raw(kind === 'array' ? '['.repeat(n) + ']'.repeat(n) : kind === 'object' ? '{"a":'.repeat(n) + '1' + '}'.repeat(n) : '['.repeat(n)),
);

/** Any JSON value (and then some): scalars above, arrays and objects of them, deep nesting. */
export const nastyValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { arbitrary: scalar, weight: 6 },
    { arbitrary: fc.array(tie('value'), { maxLength: 4 }), weight: 1 },
    { arbitrary: fc.dictionary(key, tie('value'), { maxKeys: 4 }), weight: 1 },
    { arbitrary: deep, weight: 1 },
  ),
})).value;

/** JSON text for a value that may hold RawJson tokens; iterative enough for the depths we build. */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? (Object.is(value, -0) ? '-0' : JSON.stringify(value)) : 'null';
  if (typeof value === 'string' || typeof value === 'boolean') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(jsonText).join(',')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${JSON.stringify(k)}:${jsonText(v)}`)
      .join(',')}}`;
  }
  return 'null';
}

/** One change to a valid body: `at` picks a node of it (root included) by index, modulo their count. */
export type Mutation =
  | { kind: 'replace'; at: number; value: unknown }
  /** A value of the node's own type (a string for a string…): what stays past a type check and reaches the rules behind it. */
  | { kind: 'same-type'; at: number; text: string; number: number | RawJson; flag: boolean }
  | { kind: 'delete'; at: number }
  | { kind: 'extra'; at: number; key: string; value: unknown }
  | { kind: 'duplicate'; at: number };

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('same-type' as const), at: fc.nat(), text: nastyString, number: nastyNumber, flag: fc.boolean() }), weight: 5 },
  { arbitrary: fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: nastyValue }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('extra' as const), at: fc.nat(), key, value: nastyValue }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }), weight: 1 },
);

/** Mostly one mutation (what isolates a field); sometimes two. */
export const mutations = fc.array(mutation, { minLength: 1, maxLength: 2 });

type Path = Array<string | number>;

/** Every node's path, depth first, the root first. */
export function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(value)) value.forEach((v, i) => out.push(...pathsOf(v, [...prefix, i])));
  else if (value && typeof value === 'object' && !(value instanceof RawJson)) for (const [k, v] of Object.entries(value)) out.push(...pathsOf(v, [...prefix, k]));
  return out;
}

/** A deep copy that keeps RawJson tokens as they are (structuredClone would make them plain objects). */
function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (v && typeof v === 'object' && !(v instanceof RawJson)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, clone(x)])) as T;
  return v;
}

/** The node a mutation's `at` picks. */
function nodeAt(doc: unknown, at: number): unknown {
  const paths = pathsOf(doc);
  return paths[at % paths.length]!.reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], doc);
}

/** A value of the same JSON type as `node` (containers keep their kind, emptied). */
function sameType(node: unknown, m: { text: string; number: number | RawJson; flag: boolean }): unknown {
  if (typeof node === 'string') return m.text;
  if (typeof node === 'number') return m.number;
  if (typeof node === 'boolean') return m.flag;
  if (Array.isArray(node)) return m.flag ? [] : [m.text];
  if (node && typeof node === 'object') return m.flag ? {} : { [m.text]: m.number };
  return null;
}

/** Sets an own property, even `__proto__` (an assignment would change the prototype instead). */
const setOwn = (obj: object, k: string, value: unknown) => Object.defineProperty(obj, k, { value, enumerable: true, writable: true, configurable: true });

/** The valid value with the mutations applied (a copy); a mutation of the root replaces or wraps the whole. */
export function applyMutations(valid: unknown, list: Mutation[]): unknown {
  let doc = clone(valid);
  for (const given of list) {
    const m: Mutation = given.kind === 'same-type' ? { kind: 'replace', at: given.at, value: sameType(nodeAt(doc, given.at), given) } : given;
    const paths = pathsOf(doc);
    const path = paths[m.at % paths.length]!;
    if (path.length === 0) {
      if (m.kind === 'replace') doc = m.value;
      else if (m.kind === 'delete') doc = undefined;
      else if (m.kind === 'duplicate') doc = [doc, doc];
      else if (doc && typeof doc === 'object' && !Array.isArray(doc) && !(doc instanceof RawJson)) setOwn(doc, m.key, m.value);
      continue;
    }
    const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], doc) as Record<string | number, unknown> | unknown[];
    const last = path[path.length - 1]!;
    if (m.kind === 'replace') (parent as Record<string | number, unknown>)[last] = m.value;
    else if (m.kind === 'delete') {
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last as string];
    } else if (m.kind === 'duplicate') {
      const node = (parent as Record<string | number, unknown>)[last];
      if (Array.isArray(parent)) parent.splice(last as number, 0, clone(node));
      else (parent as Record<string | number, unknown>)[last] = Array.isArray(node) ? [...node, ...clone(node)] : [node, clone(node)];
    } else {
      const node = (parent as Record<string | number, unknown>)[last];
      if (node && typeof node === 'object' && !Array.isArray(node) && !(node instanceof RawJson)) setOwn(node, m.key, m.value);
      else if (Array.isArray(node)) node.push(m.value);
      else (parent as Record<string | number, unknown>)[last] = { [m.key]: m.value };
    }
  }
  return doc;
}

/** Percent-encodes text as UTF-8 bytes (a lone surrogate becomes U+FFFD's bytes: a URL cannot carry one). */
export function encodeBytes(text: string): string {
  return [...Buffer.from(text, 'utf8')].map((b) => (/[A-Za-z0-9\-_.~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

/** A path segment: an encoded string, or raw (already-escaped) text that may be malformed on purpose. */
export const segment: fc.Arbitrary<{ raw: string } | { text: string }> = fc.oneof(
  { arbitrary: nastyString.map((text) => ({ text })), weight: 4 },
  { arbitrary: fc.constantFrom('%00', '%zz', '%', '%C0%AF', '%ff%fe', '%2e%2e', '%2F', '..%2f..', '%E7%BD', 'a%20b', '%u0041', ';', ',', '*', ':x', '~', '%25').map((raw) => ({ raw })), weight: 1 },
);

/** Query strings: keys and values of the valid query mutated, unknown keys, repeated keys, broken escapes. */
export const queryCase = fc.record({
  /** Which of the valid query's keys (modulo) to change, and to what; -1: none. */
  changes: fc.array(fc.record({ at: fc.nat(), value: fc.oneof(nastyString, nastyNumber.map(String)), drop: fc.boolean() }), { maxLength: 2 }),
  extra: fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor', 'page', 'from', 'q')), nastyString), { maxLength: 2 }),
  /** A key given twice (an array where the route expects one value). */
  repeat: fc.boolean(),
  tail: fc.constantFrom('', '', '', '&', '&&', '=', '&=x', '&%zz=1', '&a[b]=1', '&%00=%00', '#frag', '&x=%E7%BD'),
});
export type QueryCase = typeof queryCase extends fc.Arbitrary<infer T> ? T : never;

/** The query text of a valid query (string values) changed by `c`. */
export function queryText(valid: Record<string, string>, c: QueryCase): string {
  const pairs = Object.entries(valid);
  for (const ch of c.changes) {
    if (pairs.length === 0) break;
    const i = ch.at % pairs.length;
    if (ch.drop) pairs.splice(i, 1);
    else pairs[i] = [pairs[i]![0], ch.value];
  }
  for (const [k, v] of c.extra) pairs.push([k, v]);
  if (c.repeat && pairs.length > 0) pairs.push(pairs[0]!);
  const text = pairs.map(([k, v]) => `${encodeBytes(k)}=${encodeBytes(v)}`).join('&') + c.tail;
  return text ? `?${text}` : '';
}

/** Header values: mostly ASCII (what an HTTP client can send), some Latin-1 and over-long ones. */
export const headerValue = fc.oneof(
  fc.string({ unit: 'grapheme-ascii', maxLength: 40 }),
  fc.constantFrom('', ' ', 'x'.repeat(300), 'é', 'null', '../', 'a,b', '"quoted"', '0', '-1'),
);

/** Bytes as they come: random, invalid UTF-8, a JSON start then garbage. */
export const nastyBytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 200 }),
  fc.constantFrom(
    new Uint8Array([0xff, 0xfe, 0xfd]),
    new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc3, 0x28, 0x22, 0x7d]),
    new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]),
    new Uint8Array([0xef, 0xbb, 0xbf, 0x7b, 0x7d]),
    new Uint8Array([0x00]),
  ),
);

/** Bodies that are not JSON at all, or JSON with a trick. */
export const nastyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 60 }),
  fc.constantFrom('', ' ', 'null', '"str"', '1', '[]', '{', '{"a":1,}', "{'a':1}", '{"a":1}{"b":2}', '{"__proto__":{"x":1}}', '{"constructor":{"prototype":{"x":1}}}', 'NaN', 'undefined', '<?xml version="1.0"?><a/>', 'a=1&b=2', '\ufeff{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'),
);

/** Content types a JSON route may be sent, most of them wrong. */
export const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'text/plain',
  'text/csv',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/xml',
  'image/png',
  'application/octet-stream',
  'application/json-patch+json',
  ';;;',
  '',
);
