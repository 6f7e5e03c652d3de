import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultQuery, gatherFixtures, routeSpecs, type Example, type RouteSpec } from './fuzz/examples.js';
import { changedTables, fingerprint, REFUSAL_MAY_WRITE, WriteLog } from './fuzz/fingerprint.js';
import { buildRequest, describeRequest, restCase, type BuiltRequest } from './fuzz/rest-case.js';
import { HIDDEN_ROUTES, inventory, opName, routedPaths, takesInput, type RouteOp } from './fuzz/routes.js';
import { LONG, seedOf, startFuzzServer, type Principal } from './fuzz/server.js';
import { encodeBytes, nastyString } from './fuzz/values.js';

/**
 * Property-based fuzzing of every REST route (docs/RELIABILITY.md, "Fuzzing"): each route's
 * valid request with one part changed at a time, as principals that pass its access check.
 * For every case: no 5xx; a refusal carries the API's error body (Open311: its own list); a
 * refusal leaves the business tables unchanged; nothing at log level ≥ 50, no unhandled
 * rejection or uncaught exception; and the server keeps answering /health.
 */

const RUNS = LONG ? 2_000 : 200;
/** Routes that take no input still get a few junk requests (a stray body or query must not hurt). */
const RUNS_NO_INPUT = LONG ? 200 : 10;

const fz = await startFuzzServer();
const writes = new WriteLog(fz.server.db);
// registered first: a set-up step that fails below still stops the server and removes its folder
afterAll(async () => {
  fz.trouble.stop();
  writes.remove();
  await fz.server.stop();
});
const app = fz.server.handles.app;
const fixtures = await gatherFixtures(fz);
const ops = inventory(app);
const specs = routeSpecs(fz, fixtures, (name) => ops.find((op) => opName(op) === name)?.body?.schema ?? null);
fz.trouble.listen();

/**
 * Routes not fuzzed as operations, and why. Each still answers the unknown-path property below
 * if reached with junk.
 */
const EXCLUDED: Record<string, string> = {
  'POST /api/v1/auth/logout': 'ends the session the fuzz runs on and reads no input (no body, parameters or query)',
};

async function send(r: BuiltRequest): Promise<{ status: number; type: string; text: string } | { error: string }> {
  try {
    const res = await fetch(new URL(r.path, fz.server.url), { method: r.method, headers: r.headers, body: r.body, redirect: 'manual' });
    return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause;
    return { error: `${(err as Error).message} ${cause?.code ?? ''}`.trim() };
  }
}

/** Whether a refusal carries the error body its API promises. */
function errorShapeProblem(path: string, res: { status: number; type: string; text: string }): string | null {
  // Node refuses over-long headers (431) before any route is known: the API's own shape then
  if (path.startsWith('/open311/') && res.status !== 431) {
    if (res.type.includes('xml')) return /<errors>[\s\S]*<error>[\s\S]*<code>\d{3}<\/code>[\s\S]*<description>/.test(res.text) ? null : 'Open311 XML refusal without <errors><error><code><description>';
    try {
      const list = JSON.parse(res.text) as unknown;
      return Array.isArray(list) && list.length > 0 && list.every((e) => typeof e?.code === 'number' && typeof e?.description === 'string' && e.description.length > 0) ? null : 'Open311 refusal is not [{ code, description }]';
    } catch {
      return 'Open311 refusal is not JSON';
    }
  }
  try {
    const body = JSON.parse(res.text) as { error?: { code?: unknown; message?: unknown; fields?: unknown } };
    const e = body.error;
    if (!e || typeof e.code !== 'string' || typeof e.message !== 'string' || e.message.length === 0) return 'refusal without { error: { code, message } }';
    if (e.fields !== undefined && !(Array.isArray(e.fields) && e.fields.every((f: { field?: unknown; code?: unknown; message?: unknown }) => typeof f.field === 'string' && typeof f.code === 'string' && typeof f.message === 'string')))
      return 'error.fields is not [{ field, code, message }]';
    return null;
  } catch {
    return 'refusal is not JSON';
  }
}

async function health(): Promise<number> {
  const res = await fetch(new URL('/api/v1/health', fz.server.url));
  await res.arrayBuffer();
  return res.status;
}

/** The principals that the route's access check lets in (a probe that no handler accepts: an unknown field). */
async function permitted(op: RouteOp, spec: RouteSpec | undefined): Promise<Principal[]> {
  if (spec?.principals) return spec.principals.map((n) => fz.byName(n));
  const out: Principal[] = [];
  for (const p of fz.principals) {
    const path = op.path.replace(/\{(\w+)\}/g, 'fuzz-probe');
    const body = op.method === 'GET' ? undefined : '{"\\u0000fuzz-probe":true}';
    const res = await send({ method: op.method, path, headers: { ...p.headers, ...(body ? { 'content-type': spec?.raw ? spec.raw.types[0]! : 'application/json' } : {}) }, body, sent: {} });
    if ('status' in res && res.status !== 401 && res.status !== 403) out.push(p);
  }
  return out;
}

describe('the route inventory', () => {
  it('names every route the server routes (hidden ones with a reason)', () => {
    const documented = new Set(ops.map(opName));
    const routed = routedPaths(app);
    expect(routed.length, "Fastify's route tree read back").toBeGreaterThanOrEqual(ops.length);
    const missing = routed.filter((r) => !documented.has(r) && !(r in HIDDEN_ROUTES));
    expect(missing, 'routes neither in the OpenAPI document nor in HIDDEN_ROUTES').toEqual([]);
    expect(ops.length).toBeGreaterThan(100);
  });

  it('has a valid example for every route with a body or path parameters, and file uploads fuzzed as files', () => {
    const lacking = ops.filter((op) => !(opName(op) in EXCLUDED) && (op.body !== null || op.pathParams.length > 0) && !specs[opName(op)]).map(opName);
    expect(lacking, 'add a valid example to tests/reliability/fuzz/examples.ts').toEqual([]);
    const rawWithoutBytes = ops.filter((op) => op.body && !op.body.schema && !(opName(op) in EXCLUDED) && !specs[opName(op)]?.raw).map(opName);
    expect(rawWithoutBytes, 'a non-JSON body needs `raw` in its spec').toEqual([]);
    const excludedWithInput = ops.filter((op) => opName(op) in EXCLUDED && takesInput(op)).map(opName);
    expect(excludedWithInput, 'an excluded route must take no input').toEqual([]);
    const stale = Object.keys(specs).filter((name) => !ops.some((op) => opName(op) === name));
    expect(stale, 'examples of routes that no longer exist').toEqual([]);
  });
});

describe.each(ops.filter((op) => !(opName(op) in EXCLUDED)).map((op) => ({ name: opName(op), op })))('$name', ({ name, op }) => {
  it('refuses bad input with a 4xx and its error body, changes nothing when it refuses, never fails', async () => {
    const spec = specs[name];
    const principals = await permitted(op, spec);
    expect(principals.length, 'no principal passes the access check').toBeGreaterThan(0);
    const variants = spec?.variants ?? [() => ({})];
    const defaults = defaultQuery(op, fixtures);
    const mayWrite = { ...REFUSAL_MAY_WRITE, ...spec?.refusalMayWrite };
    const accepted = new Set<string>(Object.keys(mayWrite));
    const troubleMark = fz.trouble.errors.length;
    const fpBefore = fingerprint(fz.server.db);
    const statuses = new Map<number, number>();
    const runs = takesInput(op) || spec ? RUNS : RUNS_NO_INPUT;
    let count = 0;

    await fc.assert(
      fc.asyncProperty(restCase(op, spec), async (c) => {
        fz.clock.advance(1_000);
        const buildMark = writes.snapshot();
        const built: Example = await variants[c.variant % variants.length]!();
        for (const t of Object.keys(writes.since(buildMark))) accepted.add(t);
        const example: Example = { ...built, query: { ...defaults, ...built.query } };
        const principal = example.principal ? fz.byName(example.principal) : principals[c.principal % principals.length]!;
        const req = buildRequest(op, spec, example, principal.headers, c);
        const mark = fz.trouble.errors.length;
        const before = writes.snapshot();
        const res = await send(req);
        if ('status' in res) await spec?.settle?.(res.status, res.text);
        const written = writes.since(before);
        const trouble = fz.trouble.since(mark);
        const where = `\n${describeRequest(req)}\nas ${principal.name}`;
        if ('error' in res) {
          // the server may close a connection it refused an upload on before reading it; it must still be up
          const up = await health();
          if (up !== 200) throw new Error(`the server stopped answering after: ${res.error}${where}`);
          return;
        }
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (trouble.length > 0) throw new Error(`server trouble (${res.status}):\n${trouble.join('\n')}${where}`);
        if (res.status >= 500) throw new Error(`${res.status}: ${res.text.slice(0, 500)}${where}`);
        const isRefusal = res.status >= 400;
        spec?.after?.(!isRefusal, req.sent);
        if (isRefusal) {
          const problem = errorShapeProblem(op.path, res);
          if (problem) throw new Error(`${problem} (${res.status} ${res.type}): ${res.text.slice(0, 300)}${where}`);
          const changed = Object.keys(written).filter((t) => !(t in mayWrite));
          if (changed.length > 0) throw new Error(`a refusal (${res.status} ${res.text.slice(0, 200)}) changed ${JSON.stringify(written)}${where}`);
        } else {
          for (const t of Object.keys(written)) accepted.add(t);
        }
        if (++count % 50 === 0 && (await health()) !== 200) throw new Error(`/health stopped answering${where}`);
      }),
      { seed: seedOf(name), numRuns: runs },
    );

    expect(await health()).toBe(200);
    // independent of the write log: tables no accepted request (nor a builder) wrote are as they were
    const unexpected = changedTables(fpBefore, fingerprint(fz.server.db)).filter((t) => !accepted.has(t));
    expect(unexpected, 'tables changed though every request that could write them was refused').toEqual([]);
    expect(fz.trouble.since(troubleMark)).toEqual([]);
    // what the route answered, for the report (a route that only ever refuses is a weak example)
    console.info(`${name}: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')}`);
  });
});

describe('unknown paths and methods', () => {
  it('answer 404 (or 405/415) with the error body and change nothing', async () => {
    const prefixes = ['/api/v1/', '/api/v1/events/', '/open311/v2/', '/api/', '/'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...prefixes), nastyString, fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'), async (prefix, tail, method) => {
        const mark = fz.trouble.errors.length;
        const before = writes.snapshot();
        const path = prefix + encodeBytes(tail);
        const res = await send({ method, path, headers: { ...fz.byName('demo-dispatcher').headers, 'content-type': 'application/json' }, body: method === 'GET' ? undefined : '{}', sent: {} });
        if ('error' in res) throw new Error(`${method} ${path}: ${res.error}`);
        if (res.status >= 500 && !(res.status === 503 && !path.startsWith('/api/') && !path.startsWith('/open311/'))) throw new Error(`${res.status} on ${method} ${path}: ${res.text.slice(0, 300)}`);
        expect(fz.trouble.since(mark)).toEqual([]);
        const changed = Object.keys(writes.since(before)).filter((t) => !(t in REFUSAL_MAY_WRITE));
        expect(changed).toEqual([]);
        if (res.status >= 400 && (path.startsWith('/api/') || path.startsWith('/open311/'))) expect(errorShapeProblem(path, res)).toBeNull();
      }),
      { seed: seedOf('unknown paths'), numRuns: LONG ? 2_000 : 100 },
    );
  });
});
