import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
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
