import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ApiError } from '../../../shared/contracts/errors.js';
import { ApiHttpError } from './errors.js';
import { langFrom } from './messages.js';

export const requestLang = (req: FastifyRequest) => langFrom(req.headers['accept-language']);

/** Maps every failure to `{ error: { code, message, fields? } }`; never leaks internals. */
export function installErrorHandling(app: FastifyInstance, bodyLimit: number): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const lang = requestLang(req);
    let apiError: ApiHttpError;
    if (err instanceof ApiHttpError) {
      apiError = err;
    } else if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || (err instanceof SyntaxError && err.statusCode === 400)) {
      apiError = new ApiHttpError(400, 'invalid_body', 'error.invalid_json', [{ field: '(body)', code: 'bad_format' }]);
    } else if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      // a route with its own limit (photo uploads) names that one
      apiError = new ApiHttpError(413, 'payload_too_large', 'error.payload_too_large', [], { limit: req.routeOptions?.bodyLimit ?? bodyLimit });
    } else if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
      apiError = new ApiHttpError(415, 'unsupported_media_type', 'error.unsupported_media_type');
    } else if (err.code === 'FST_STATIC_FORBIDDEN_PATH' || err.code === 'FST_ERR_BAD_URL') {
      // a traversal or malformed path to a static file: not there, nothing more to say or log
      apiError = new ApiHttpError(404, 'not_found', 'error.route_not_found', [], { method: req.method, url: req.url.split('?')[0]?.slice(0, 200) });
    } else if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      // a client error raised by Fastify or a plugin (not one of ours): the client's fault, not a 500
      apiError = new ApiHttpError(err.statusCode === 404 ? 404 : 400, err.statusCode === 404 ? 'not_found' : 'invalid_params', err.statusCode === 404 ? 'error.route_not_found' : 'error.invalid_params', [], {
        method: req.method,
        url: req.url.split('?')[0]?.slice(0, 200),
      });
    } else {
      req.log.error({ err }, 'request failed');
      apiError = new ApiHttpError(500, 'internal', 'error.internal');
    }
    if (apiError.status >= 400 && apiError.status < 500) req.log.info({ code: apiError.code, fields: apiError.fields.map((f) => f.field) }, 'request refused');
    void reply.status(apiError.status).type('application/json; charset=utf-8').send(apiError.toBody(lang));
  });
}

/** An error body as a part of the API answers it under its own prefix (Open311's shape). */
export type ErrorDialect = { prefix: string; render: (url: string, status: number, body: ApiError) => { contentType: string; body: string } };

/**
 * Fastify's own refusals made before any route runs, which never reach the error handler: a
 * path that does not decode (`%zz`, broken UTF-8: 404, as the handler answers a malformed static
 * path) and a path parameter over the router's length limit (414). Without this they answer
 * Fastify's `{ error: "Bad Request", code: "FST_ERR_…" }`; with it, the API's error body, or the
 * dialect of the prefix the path is under (Open311's `[{ code, description }]`). Pass what it
 * returns as the `frameworkErrors` option of `Fastify()`.
 */
export function frameworkErrors(dialects: readonly ErrorDialect[]): (err: FastifyError, req: FastifyRequest, reply: FastifyReply) => void {
  return (err, req, reply) => {
    const path = req.url.split('?')[0]?.slice(0, 200) ?? '';
    const apiError =
      err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new ApiHttpError(414, 'invalid_params', 'error.invalid_params', [{ field: '(path)', code: 'too_long', params: { limit: 100 } }])
        : new ApiHttpError(404, 'not_found', 'error.route_not_found', [], { method: req.method, url: path });
    req.log.info({ code: err.code, status: apiError.status }, 'request refused');
    const body = apiError.toBody(requestLang(req));
    const dialect = dialects.find((d) => path.startsWith(d.prefix));
    const answer = dialect ? dialect.render(path, apiError.status, body) : { contentType: 'application/json; charset=utf-8', body: JSON.stringify(body) };
    void reply.status(apiError.status).type(answer.contentType).send(answer.body);
  };
}
