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
    } else {
      req.log.error({ err }, 'request failed');
      apiError = new ApiHttpError(500, 'internal', 'error.internal');
    }
    if (apiError.status >= 400 && apiError.status < 500) req.log.info({ code: apiError.code, fields: apiError.fields.map((f) => f.field) }, 'request refused');
    void reply.status(apiError.status).type('application/json; charset=utf-8').send(apiError.toBody(lang));
  });
}
