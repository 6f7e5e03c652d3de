import fc from 'fast-check';
import type { Example, RouteSpec } from './examples.js';
import type { RouteOp } from './routes.js';
import { applyMutations, contentType, encodeBytes, headerValue, jsonText, mutations, nastyBytes, nastyText, nastyValue, queryCase, queryText, RawJson, segment, type Mutation, type QueryCase } from './values.js';

/** What one case changes in the route's valid request: one part at a time, so a failure names its field. */
export type Change =
  | { part: 'none' }
  | { part: 'body'; body: BodyChange }
  | { part: 'params'; at: number; segment: { raw: string } | { text: string } }
  | { part: 'query'; query: QueryCase }
  | { part: 'headers'; name: 'idempotency-key' | 'accept-language' | 'authorization' | 'x-api-key' | 'x-filename'; value: string };

export type BodyChange =
  | { kind: 'mutate'; mutations: Mutation[] }
  | { kind: 'json'; value: unknown }
  | { kind: 'text'; contentType: string; text: string }
  | { kind: 'bytes'; contentType: string; bytes: Uint8Array }
  | { kind: 'form'; mutations: Mutation[] }
  | { kind: 'byte-edit'; edits: Array<{ at: number; op: 'flip' | 'cut' | 'insert' | 'drop'; byte: number }> }
  | { kind: 'type'; contentType: string };

export interface RestCase {
  variant: number;
  principal: number;
  change: Change;
}

const byteEdits = fc.array(fc.record({ at: fc.nat(), op: fc.constantFrom('flip' as const, 'cut' as const, 'insert' as const, 'drop' as const), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 3 });

/** The cases of one route: weights follow what the route takes. */
export function restCase(op: RouteOp, spec: RouteSpec | undefined): fc.Arbitrary<RestCase> {
  const options: Array<{ weight: number; arbitrary: fc.Arbitrary<Change> }> = [{ weight: 1, arbitrary: fc.constant({ part: 'none' as const }) }];
  const body = (b: fc.Arbitrary<BodyChange>) => b.map((x): Change => ({ part: 'body', body: x }));
  if (spec?.raw) {
    const types = fc.constantFrom(...spec.raw.types);
    options.push({ weight: 6, arbitrary: body(spec.raw.kind === 'json-file' ? mutations.map((m) => ({ kind: 'mutate' as const, mutations: m })) : byteEdits.map((edits) => ({ kind: 'byte-edit' as const, edits }))) });
    options.push({ weight: 2, arbitrary: body(fc.record({ kind: fc.constant('bytes' as const), contentType: types, bytes: nastyBytes })) });
    options.push({ weight: 1, arbitrary: body(fc.record({ kind: fc.constant('type' as const), contentType })) });
  } else if (op.body) {
    options.push({ weight: 8, arbitrary: body(mutations.map((m) => ({ kind: 'mutate' as const, mutations: m }))) });
    options.push({ weight: 2, arbitrary: body(nastyValue.map((value) => ({ kind: 'json' as const, value }))) });
    options.push({ weight: 1, arbitrary: body(fc.record({ kind: fc.constant('text' as const), contentType, text: nastyText })) });
    options.push({ weight: 1, arbitrary: body(fc.record({ kind: fc.constant('bytes' as const), contentType, bytes: nastyBytes })) });
    options.push({ weight: spec?.form ? 3 : 1, arbitrary: body(mutations.map((m) => ({ kind: 'form' as const, mutations: m }))) });
  } else if (op.method !== 'GET') {
    // a route without a body still meets clients that send one
    options.push({ weight: 1, arbitrary: body(nastyValue.map((value) => ({ kind: 'json' as const, value }))) });
    options.push({ weight: 1, arbitrary: body(fc.record({ kind: fc.constant('text' as const), contentType, text: nastyText })) });
  }
  if (op.pathParams.length > 0) options.push({ weight: 3 * op.pathParams.length, arbitrary: fc.record({ part: fc.constant('params' as const), at: fc.nat(), segment }) });
  if (op.queryParams.length > 0) options.push({ weight: 4, arbitrary: queryCase.map((query): Change => ({ part: 'query', query })) });
  options.push({
    weight: 1,
    arbitrary: fc.record({ part: fc.constant('headers' as const), name: fc.constantFrom('idempotency-key' as const, 'accept-language' as const, 'authorization' as const, 'x-api-key' as const, 'x-filename' as const), value: headerValue }),
  });
  return fc.record({ variant: fc.nat(), principal: fc.nat(), change: fc.oneof(...options) });
}

export interface BuiltRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** What was sent, for the route's `after` hook (the mutated JSON body). */
  sent: Example;
}

/** `a=1&b[c]=2` of a JSON value, the way a browser form would carry it (nested keys in brackets). */
function formText(value: unknown): string {
  const pairs: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (v instanceof RawJson) pairs.push(`${encodeBytes(key || 'value')}=${encodeBytes(v.text)}`);
    else if (v && typeof v === 'object' && !Array.isArray(v)) {
      const entries = Object.entries(v as Record<string, unknown>);
      if (entries.length === 0) pairs.push(`${encodeBytes(key || 'value')}=`);
      for (const [k, x] of entries) walk(x, key ? `${key}[${k}]` : k);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, `${key}[]`));
    else pairs.push(`${encodeBytes(key || 'value')}=${encodeBytes(v === null || v === undefined ? '' : String(v))}`);
  };
  walk(value, '');
  return pairs.join('&');
}

function editBytes(bytes: Uint8Array, edits: Array<{ at: number; op: 'flip' | 'cut' | 'insert' | 'drop'; byte: number }>): Uint8Array {
  let b = Buffer.from(bytes);
  for (const e of edits) {
    if (b.length === 0) break;
    const i = e.at % b.length;
    if (e.op === 'flip') b[i] = b[i]! ^ (e.byte || 1);
    else if (e.op === 'cut') b = b.subarray(0, i);
    else if (e.op === 'insert') b = Buffer.concat([b.subarray(0, i), Buffer.from([e.byte]), b.subarray(i)]);
    else b = Buffer.concat([b.subarray(0, i), b.subarray(i + 1)]);
  }
  return b;
}

/** The HTTP request of a case: the route's valid example with the case's one change. */
export function buildRequest(op: RouteOp, spec: RouteSpec | undefined, example: Example, principalHeaders: Record<string, string>, c: RestCase): BuiltRequest {
  const params = { ...example.params };
  let pathSegments: Record<string, string> = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, encodeBytes(v)]));
  const query = example.query ?? {};
  let queryString = queryText(query, { changes: [], extra: [], repeat: false, tail: '' });
  const headers: Record<string, string> = { ...principalHeaders, ...example.headers };
  const sent: Example = { ...example };
  let body: string | Uint8Array | undefined;
  if (example.body !== undefined) {
    if (spec?.raw) {
      body = spec.raw.kind === 'json-file' ? JSON.stringify(example.body) : (example.body as Uint8Array);
    } else {
      body = JSON.stringify(example.body);
      headers['content-type'] ??= 'application/json';
    }
  }
  const ch = c.change;
  if (ch.part === 'params' && op.pathParams.length > 0) {
    const name = op.pathParams[ch.at % op.pathParams.length]!;
    pathSegments = { ...pathSegments, [name]: 'raw' in ch.segment ? ch.segment.raw : encodeBytes(ch.segment.text) };
  } else if (ch.part === 'query') {
    queryString = queryText(query, ch.query);
  } else if (ch.part === 'headers') {
    headers[ch.name] = ch.name === 'authorization' ? `Bearer ${ch.value}` : ch.value;
  } else if (ch.part === 'body') {
    const b = ch.body;
    if (b.kind === 'mutate') {
      const value = applyMutations(example.body ?? {}, b.mutations);
      sent.body = value;
      body = value === undefined ? '' : jsonText(value);
      if (!spec?.raw) headers['content-type'] = 'application/json';
    } else if (b.kind === 'json') {
      sent.body = b.value;
      body = jsonText(b.value);
      headers['content-type'] = 'application/json';
    } else if (b.kind === 'text') {
      body = b.text;
      headers['content-type'] = b.contentType;
    } else if (b.kind === 'bytes') {
      body = b.bytes;
      headers['content-type'] = b.contentType;
    } else if (b.kind === 'form') {
      const value = applyMutations(example.body ?? {}, b.mutations);
      sent.body = value;
      body = formText(value);
      headers['content-type'] = 'application/x-www-form-urlencoded';
    } else if (b.kind === 'byte-edit') {
      body = editBytes(example.body as Uint8Array, b.edits);
    } else {
      headers['content-type'] = b.contentType;
    }
  }
  if (body === undefined) delete headers['content-type'];
  const path = op.path.replace(/\{(\w+)\}/g, (_m, name: string) => pathSegments[name] ?? 'x');
  return { method: op.method, path: path + queryString, headers, body, sent };
}

/** A short account of a request for a failure message. */
export function describeRequest(r: BuiltRequest): string {
  const body = r.body === undefined ? '' : typeof r.body === 'string' ? r.body : `<${r.body.length} bytes: ${Buffer.from(r.body.subarray(0, 40)).toString('hex')}…>`;
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [k, k === 'authorization' || k === 'x-api-key' ? `${v.slice(0, 12)}…` : v]));
  return `${r.method} ${r.path.slice(0, 400)}\nheaders: ${JSON.stringify(headers)}\nbody: ${body.slice(0, 600)}${body.length > 600 ? `…(${body.length})` : ''}`;
}
