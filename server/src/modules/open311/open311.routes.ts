import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { XMLBuilder } from 'fast-xml-parser';
import { z } from 'zod';
import {
  open311PostSchema,
  open311RequestsQuerySchema,
  open311UpdatesQuerySchema,
  type Open311Discovery,
  type Open311Error,
} from '../../../../shared/contracts/open311.js';
import { eventIdSchema } from '../../../../shared/contracts/events.js';
import { publicTokenSchema } from '../../../../shared/contracts/public-report.js';
import type { ApiError } from '../../../../shared/contracts/errors.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { requestLang } from '../../http/error-handler.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from '../auth/auth.plugin.js';
import { who, type AuthService, type Principal } from '../auth/auth.service.js';
import type { DenialLog } from '../auth/denial-log.js';
import type { Open311Api } from './open311.service.js';

type Format = 'json' | 'xml';

/** The spec's element names: the XML root of each answer and the element of each of its items. */
const XML_NAMES = {
  services: ['services', 'service'],
  requests: ['service_requests', 'request'],
  updates: ['service_request_updates', 'request_update'],
  errors: ['errors', 'error'],
} as const;

const xml = new XMLBuilder({ format: true, ignoreAttributes: false, suppressEmptyNode: false });
const XML_DECLARATION = { '?xml': { '@_version': '1.0', '@_encoding': 'utf-8' } };

/** Nested lists in XML: each array becomes a wrapper of repeated singular elements (attributes > attribute, values > value, formats > format, endpoints > endpoint). */
const SINGULAR: Record<string, string> = { attributes: 'attribute', values: 'value', formats: 'format', endpoints: 'endpoint' };
function xmlValue(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(xmlValue);
  if (typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, Array.isArray(v) && SINGULAR[k] ? { [SINGULAR[k]]: xmlValue(v) } : xmlValue(v)]));
  }
  return value;
}

function toXml(root: string, body: unknown): string {
  return xml.build({ ...XML_DECLARATION, [root]: xmlValue(body) });
}

function listXml(kind: keyof typeof XML_NAMES, items: readonly unknown[]): string {
  const [root, item] = XML_NAMES[kind];
  return xml.build({ ...XML_DECLARATION, [root]: items.length ? { [item]: items.map(xmlValue) } : '' });
}

const CONTENT_TYPE: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

function send(reply: FastifyReply, format: Format, status: number, json: unknown, xmlBody: () => string): FastifyReply {
  return reply
    .status(status)
    .type(CONTENT_TYPE[format])
    .send(format === 'json' ? JSON.stringify(json) : xmlBody());
}


/** Our field names, as Open311 clients know them, in error descriptions. */
const OPEN311_FIELD: Record<string, string> = {
  itemCode: 'service_code',
  location: 'lat',
  'location.lon': 'long',
  'location.lat': 'lat',
  'location.addressCode': 'address_id',
  'location.addressText': 'address_string',
  'reporter.name': 'first_name',
  'reporter.phone': 'phone',
  urgency: 'attribute[urgency]',
};

/** A form body (`application/x-www-form-urlencoded`) as an object: repeated names become arrays. */
function formObject(body: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    const had = out[key];
    out[key] = had === undefined ? value : Array.isArray(had) ? [...(had as unknown[]), value] : [had, value];
  }
  return out;
}

/** `attribute[CODE]` names (as forms and most Open311 clients send them) gathered into `attribute: { CODE }`. */
function withAttributes(body: unknown): unknown {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return body;
  const out: Record<string, unknown> = {};
  const attribute: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    const m = /^attribute\[(.*)\]$/.exec(key);
    // an empty field is as good as absent (forms send every field they show)
    if (m) {
      if (value !== '') attribute[m[1]!] = value;
    } else out[key] = value;
  }
  if (Object.keys(attribute).length > 0) out.attribute = { ...(typeof out.attribute === 'object' && out.attribute !== null ? out.attribute : {}), ...attribute };
  return out;
}

const idempotencyKeySchema = z.string().regex(/^[\x21-\x7e]{1,128}$/);
const codeParams = z.object({ code: z.string().min(1).max(32) }).strict();
const idParams = z.object({ id: z.string().min(1).max(32) }).strict();
const tokenParams = z.object({ token: z.string().min(1).max(64) }).strict();

export interface Open311RouteDeps {
  api: Open311Api;
  auth: AuthService;
  denials: DenialLog;
  /** Requests one Open311 key (or one address without a valid key) may post per minute. */
  postsPerMinute: number;
}

/**
 * The server's error body in the spec's shape, `[{ code, description }]` with the HTTP status as
 * code, as JSON or XML by the path's suffix: for errors of the routes below, and for those the
 * router answers before any route runs (http/error-handler.ts frameworkErrors).
 */
export function open311Errors(url: string, status: number, { error }: ApiError): { contentType: string; body: string } {
  const errors: Open311Error[] = [{ code: status, description: error.message }, ...(error.fields ?? []).map((f) => ({ code: status, description: `${f.field}: ${f.message}` }))];
  const format: Format = (url.split('?')[0] ?? '').endsWith('.xml') ? 'xml' : 'json';
  return { contentType: CONTENT_TYPE[format], body: format === 'json' ? JSON.stringify(errors) : listXml('errors', errors) };
}

/**
 * Open311 GeoReport v2 under `/open311/v2/` (see docs/OPEN311.md), each method with a `.json`
 * and an `.xml` suffix. Reads are public (the public view of residents' reports); posting needs
 * an integration key bound to the `open311` channel or to none. Errors keep the server's
 * messages but take the spec's shape: `[{ code, description }]` with the HTTP status as code
 * (401 and 422 are answered as 403 and 400, the spec's codes).
 */
export function registerOpen311Routes(app: FastifyInstance, deps: Open311RouteDeps): void {
  void app.register(
    async (scope) => {
      scope.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => done(null, formObject(body as string)));
      scope.addHook('onSend', async (req, reply, payload) => {
        if (reply.statusCode < 400 || typeof payload !== 'string' || !payload.startsWith('{"error"')) return payload;
        const answer = open311Errors(req.url, reply.statusCode, JSON.parse(payload) as ApiError);
        void reply.type(answer.contentType);
        return answer.body;
      });
      // Anything else under /open311/v2/ is the spec's 404, not the console's page (the static
      // files' wildcard would otherwise take a GET).
      scope.all('/*', { config: { access: { public: true } }, schema: { hide: true } }, (req) => {
        throw new ApiHttpError(404, 'not_found', 'error.route_not_found', [], { method: req.method, url: req.url.split('?')[0] });
      });

      const both = (
        method: 'GET' | 'POST',
        path: string,
        schema: Record<string, unknown>,
        handler: (req: FastifyRequest, reply: FastifyReply, format: Format) => FastifyReply | Promise<FastifyReply>,
        extraConfig: Record<string, unknown> = {},
      ) => {
        for (const format of ['json', 'xml'] as const) {
          scope.route({
            method,
            url: `${path}.${format}`,
            config: { access: { public: true }, ...extraConfig },
            schema: { tags: ['open311'], ...schema, summary: `${String(schema.summary)} (${format.toUpperCase()})` },
            handler: (req, reply) => handler(req, reply, format),
          });
        }
      };

      both('GET', '/discovery', { summary: 'Open311 discovery: the endpoint, its formats and how to get a key' }, (req, reply, format) => {
        const base = `${req.protocol}://${req.host}/open311/v2/`;
        const body: Open311Discovery = {
          changeset: OPEN311_CHANGESET,
          contact: '县社会治理综合指挥中心 / County social-governance command center',
          key_service: '向指挥中心安全管理员申请 open311 渠道的接口密钥 / Ask the command center\'s security administrator for an API key bound to the open311 channel',
          endpoints: [{ specification: 'http://wiki.open311.org/GeoReport_v2', url: base, changeset: OPEN311_CHANGESET, type: 'production', formats: ['application/json', 'text/xml'] }],
        };
        return send(reply, format, 200, body, () => toXml('discovery', body));
      });

      both('GET', '/services', { summary: 'Open311 services: one per item of the active catalog (service_code = item code, group = category)' }, (req, reply, format) => {
        const services = deps.api.services(requestLang(req));
        return send(reply, format, 200, services, () => listXml('services', services));
      });

      both(
        'GET',
        '/services/:code',
        { summary: 'Open311 service definition: the attributes a service asks for (urgency, where the item has more than one)', params: jsonSchema(codeParams) },
        (req, reply, format) => {
          const { code } = parseOr400(codeParams, req.params, 'params');
          const definition = deps.api.definition(code, requestLang(req));
          return send(reply, format, 200, definition, () => toXml('service_definition', definition));
        },
      );

      both(
        'POST',
        '/requests',
        {
          summary: 'Open311 create a service request through the one intake (api_key of the open311 channel)',
          description:
            'Form-urlencoded or JSON. `api_key` (in the body, or the X-API-Key header; never the query: URLs are logged): an active integration key bound to the `open311` channel or to none (403 otherwise, nothing written). ' +
            'Location: `lat` + `long` (WGS84; extension `crs` = `gcj02`/`bd09`), or `address_id` (unified address code), or `address_string` (resolved by the unified address search). ' +
            '`description` up to 4,000 characters; `attribute[urgency]` where the service definition offers it. A service code outside the active catalog is recorded as not admitted and referred (201, the notice says so). ' +
            'An `Idempotency-Key` header makes a retry answer the first request and its token. Rate-limited per key.',
          body: jsonSchema(open311PostSchema),
        },
        async (req, reply, format) => {
          const lang = requestLang(req);
          const body = withAttributes(req.body);
          const principal = await authorizeKey(req, body, deps);
          const post = open311Fields(() => parseOr400(open311PostSchema, body, 'body'));
          const key = idempotencyKeyOf(req);
          const created = await open311FieldsAsync(() => deps.api.create(post, principal, requestContext(req, principal), lang, key));
          return send(reply, format, 201, created, () => listXml('requests', created));
        },
        {
          rateLimit: {
            max: deps.postsPerMinute,
            timeWindow: '1 minute',
            // after the body is parsed, so a key in the form counts; a key that does not verify buys no bucket of its own
            hook: 'preHandler',
            keyGenerator: async (req: FastifyRequest) => {
              const apiKey = apiKeyOf(req, withAttributes(req.body));
              const principal = apiKey ? await deps.auth.authenticate({ apiKey }, false) : null;
              return principal?.apiKeyId ? `open311:${principal.apiKeyId}` : `open311-address:${req.ip}`;
            },
          },
        },
      );

      both(
        'GET',
        '/requests',
        {
          summary: 'Open311 residents\' service requests: newest first, at most 1,000, in a window of at most 90 days (default the last 90)',
          querystring: jsonSchema(open311RequestsQuerySchema),
        },
        async (req, reply, format) => {
          const query = parseOr400(open311RequestsQuerySchema, req.query, 'query');
          const list = await deps.api.list(query, requestLang(req));
          return send(reply, format, 200, list, () => listXml('requests', list));
        },
      );

      both('GET', '/requests/:id', { summary: 'Open311 one service request (an array of one)', params: jsonSchema(idParams) }, async (req, reply, format) => {
        const { id } = parseOr400(idParams, req.params, 'params');
        if (!eventIdSchema.safeParse(id).success) throw new ApiHttpError(404, 'not_found', 'error.open311_not_found', [], { what: id });
        const one = await deps.api.one(id, requestLang(req));
        return send(reply, format, 200, one, () => listXml('requests', one));
      });

      both('GET', '/tokens/:token', { summary: 'Open311 the service request id behind a token', params: jsonSchema(tokenParams) }, async (req, reply, format) => {
        const { token } = parseOr400(tokenParams, req.params, 'params');
        if (!publicTokenSchema.safeParse(token).success) throw new ApiHttpError(404, 'not_found', 'error.open311_not_found', [], { what: 'token' });
        const answer = await deps.api.token(token);
        return send(reply, format, 200, answer, () => listXml('requests', answer));
      });

      both(
        'GET',
        '/servicerequestupdates',
        {
          summary: 'Open311 (mySociety extension) the public steps of residents\' requests taken in a window of at most 90 days',
          querystring: jsonSchema(open311UpdatesQuerySchema),
        },
        async (req, reply, format) => {
          const query = parseOr400(open311UpdatesQuerySchema, req.query, 'query');
          const updates = await deps.api.updates(query.start_date, query.end_date, requestLang(req));
          return send(reply, format, 200, updates, () => listXml('updates', updates));
        },
      );
    },
    { prefix: '/open311/v2' },
  );
}

/** Requests one Open311 key may post per minute: a client program, not a crowd; a burst beyond it is a fault or abuse. */
export const OPEN311_POSTS_PER_MINUTE = 60;

/** When this Open311 interface last changed (discovery's changeset). */
const OPEN311_CHANGESET = '2026-12-03T00:00:00+08:00';

/**
 * The api_key of a request: the spec's body parameter, or the product's X-API-Key header. Not the
 * query string: URLs are logged, keys must not be.
 */
function apiKeyOf(req: FastifyRequest, body: unknown): string | undefined {
  const fromBody = body !== null && typeof body === 'object' ? (body as Record<string, unknown>).api_key : undefined;
  const fromHeader = req.headers['x-api-key'];
  const key = [fromBody, fromHeader].find((k) => typeof k === 'string' && k !== '');
  return typeof key === 'string' && key.length <= 256 ? key : undefined;
}

/**
 * The key's principal, if it may post Open311 requests: active, its account allowed to report
 * (events:create), bound to the `open311` channel or to none. Any refusal is 403 (the spec's
 * code for a bad api_key), audited, before anything else is read or written.
 */
async function authorizeKey(req: FastifyRequest, body: unknown, deps: Open311RouteDeps): Promise<Principal> {
  const apiKey = apiKeyOf(req, body);
  const verdict = apiKey ? await deps.auth.authorize({ apiKey }, 'events:create') : null;
  const principal = verdict?.ok ? verdict.principal : null;
  const reason = !apiKey
    ? 'open311_no_api_key'
    : !verdict?.ok
      ? verdict!.reason
      : principal!.apiKeyChannel !== null && principal!.apiKeyChannel !== 'open311'
        ? `channel_mismatch:${principal!.apiKeyChannel}`
        : null;
  if (reason !== null || !principal) {
    const refused = verdict?.principal ?? null;
    await deps.denials.deny({
      ...(refused ? who(refused) : {}),
      action: 'access:denied',
      result: 'denied',
      reason: reason ?? 'open311_refused',
      objectType: 'route',
      objectId: `POST ${req.routeOptions.url ?? '/open311/v2/requests'}`,
      ...requestContext(req, refused),
    });
    throw new ApiHttpError(403, 'forbidden', 'error.open311_api_key', [{ field: 'api_key', code: 'invalid' }]);
  }
  return principal;
}

function idempotencyKeyOf(req: FastifyRequest): string | null {
  const raw = req.headers['idempotency-key'];
  if (raw === undefined) return null;
  if (!idempotencyKeySchema.safeParse(raw).success) throw new ApiHttpError(400, 'invalid_body', 'error.bad_idempotency_key', [{ field: 'Idempotency-Key', code: 'bad_format' }]);
  return raw as string;
}

/**
 * Runs `work`, answering its refusals in Open311's terms: fields named as the spec names them,
 * 422 (a place outside the county, an unknown address) as the spec's 400.
 */
/** `open311Fields` for async work: its refusal with Open311's field names. */
async function open311FieldsAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    return open311Fields(() => {
      throw err;
    });
  }
}

function open311Fields<T>(work: () => T): T {
  try {
    return work();
  } catch (err) {
    if (!(err instanceof ApiHttpError)) throw err;
    const fields = err.fields.map((f) => ({ ...f, field: OPEN311_FIELD[f.field] ?? f.field }));
    throw new ApiHttpError(err.status === 422 ? 400 : err.status, err.code, err.messageKey, fields, err.params, err.extra);
  }
}
