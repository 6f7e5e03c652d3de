import type { FastifyInstance } from 'fastify';

/**
 * The route inventory, read from the running server itself so that a new route is fuzzed
 * without editing the fuzz: the OpenAPI document (`app.swagger()`) names each operation with its
 * path parameters, query parameters and request body; Fastify's own route tree
 * (`printRoutes`) names every route, including hidden ones, to catch a route the document
 * leaves out.
 */

export interface RouteOp {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
  /** OpenAPI form: `/api/v1/events/{id}`. */
  path: string;
  pathParams: string[];
  queryParams: Array<{ name: string; schema: JsonSchema; required: boolean }>;
  headerParams: string[];
  /** Content types of the request body and the JSON body's schema, when it has one. */
  body: { types: string[]; schema: JsonSchema | null } | null;
}

export type JsonSchema = Record<string, unknown>;

export const opName = (op: Pick<RouteOp, 'method' | 'path'>) => `${op.method} ${op.path}`;

/** Whether a route takes anything a client chooses (and so must be fuzzed). */
export const takesInput = (op: RouteOp) => op.pathParams.length > 0 || op.queryParams.length > 0 || op.body !== null || op.headerParams.length > 0;

/** Every operation of the OpenAPI document. */
export function inventory(app: FastifyInstance): RouteOp[] {
  const doc = app.swagger() as { paths: Record<string, Record<string, { parameters?: Array<{ in: string; name: string; required?: boolean; schema?: JsonSchema }>; requestBody?: { content: Record<string, { schema?: JsonSchema }> } }>> };
  const ops: RouteOp[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const params = op.parameters ?? [];
      const content = op.requestBody?.content;
      ops.push({
        method: method.toUpperCase() as RouteOp['method'],
        path,
        pathParams: [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!),
        queryParams: params.filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {}, required: p.required ?? false })),
        headerParams: params.filter((p) => p.in === 'header').map((p) => p.name),
        body: content ? { types: Object.keys(content), schema: content['application/json']?.schema ?? null } : null,
      });
    }
  }
  return ops.sort((a, b) => opName(a).localeCompare(opName(b)));
}

/**
 * Every method and path Fastify routes, from its route tree (`printRoutes` with full paths),
 * HEAD left out (Fastify adds it to each GET). Paths in OpenAPI form (`:id` → `{id}`).
 */
export function routedPaths(app: FastifyInstance): string[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const out: string[] = [];
  const stack: string[] = [];
  for (const line of tree.split('\n')) {
    const m = /^([│ ]*)[├└]── (\S+)(?: \(([^)]*)\))?/.exec(line.replace(/\u00a0/g, ' '));
    if (!m) continue;
    const depth = m[1]!.length / 4;
    stack.length = depth;
    stack.push(m[2]!);
    const full = stack.join('');
    if (!m[3]) continue;
    for (const method of m[3].split(',').map((s) => s.trim())) {
      if (method === 'HEAD') continue;
      out.push(`${method} ${full.replace(/:(\w+)/g, '{$1}')}`);
    }
  }
  return out.sort();
}

/**
 * Routes the OpenAPI document hides on purpose, with why the fuzz need not cover them as
 * operations of their own.
 */
export const HIDDEN_ROUTES: Record<string, string> = {
  'GET /api/v1/openapi.json': 'the API description itself: takes no input',
  'GET *': "the static console and its page fallback (@fastify/static's wildcard): covered by the unknown-path property",
  'HEAD *': "the static console's wildcard (HEAD of the page fallback)",
  'GET /open311/v2/*': "Open311's own 404 for anything else under /open311/v2/: covered by the unknown-path property",
  'POST /open311/v2/*': "Open311's own 404",
  'PUT /open311/v2/*': "Open311's own 404",
  'DELETE /open311/v2/*': "Open311's own 404",
  'PATCH /open311/v2/*': "Open311's own 404",
  'OPTIONS /open311/v2/*': "Open311's own 404",
  'SEARCH /open311/v2/*': "Open311's own 404",
  'TRACE /open311/v2/*': "Open311's own 404",
  'PROPFIND /open311/v2/*': "Open311's own 404",
  'PROPPATCH /open311/v2/*': "Open311's own 404",
  'MKCOL /open311/v2/*': "Open311's own 404",
  'COPY /open311/v2/*': "Open311's own 404",
  'MOVE /open311/v2/*': "Open311's own 404",
  'LOCK /open311/v2/*': "Open311's own 404",
  'UNLOCK /open311/v2/*': "Open311's own 404",
};
