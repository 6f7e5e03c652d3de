import { isUtf8 } from 'node:buffer';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { ConnectionError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiHttpError } from './errors.js';
import type { MessageKey } from './messages.js';

/**
 * JSON bodies are read as bytes and refused unless they are valid UTF-8 (400 `invalid_body`,
 * field code `bad_encoding`): decoding them as a string would turn each broken byte into U+FFFD
 * and store it as if someone had typed it. The parse itself is Fastify's (prototype and
 * constructor poisoning refused).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body: Buffer, done) => {
    if (!isUtf8(body)) {
      done(new ApiHttpError(400, 'invalid_body', 'error.bad_encoding', [{ field: '(body)', code: 'bad_encoding' }]), undefined);
      return;
    }
    parse(req, body.toString('utf8'), done);
  });
}

/**
 * Node's HTTP server options that bound how long a request may take to arrive: Node checks
 * open requests every `connectionsCheckingInterval` (30 s by default, too coarse for a short
 * timeout), so it is a quarter of the timeout, at most 30 s.
 */
export function requestTimeoutOptions(requestTimeoutMs: number): { requestTimeout: number; http: { headersTimeout: number; connectionsCheckingInterval: number } } {
  return {
    requestTimeout: requestTimeoutMs,
    http: {
      headersTimeout: Math.min(60_000, requestTimeoutMs),
      connectionsCheckingInterval: Math.max(50, Math.min(30_000, Math.floor(requestTimeoutMs / 4))),
    },
  };
}

/**
 * Answers a request that Node refused before Fastify saw it: 408 `request_timeout` when it did
 * not arrive within the request timeout (a body shorter than its Content-Length, a client gone
 * quiet), 431 or 400 `bad_request` for malformed HTTP; then closes the connection. No request
 * was parsed, so the message is in the default language.
 */
export function clientErrorHandler(requestTimeoutMs: number) {
  return function onClientError(this: FastifyInstance, err: ConnectionError, socket: Socket): void {
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    const error =
      err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? new ApiHttpError(408, 'request_timeout', 'error.request_timeout', [], { seconds: requestTimeoutMs / 1000 })
        : err.code === 'HPE_HEADER_OVERFLOW'
          ? new ApiHttpError(431, 'bad_request', 'error.headers_too_large')
          : new ApiHttpError(400, 'bad_request', 'error.bad_request');
    this.log.info({ code: err.code, status: error.status }, 'client error');
    if (socket.writable) {
      const body = JSON.stringify(error.toBody('zh-CN'));
      socket.write(
        `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
    }
    socket.destroy(err);
  };
}

/**
 * A plugin scope whose only bodies are raw files of `types`, read as a Buffer up to `maxBytes`:
 * any other Content-Type (JSON, forms, text) is refused with `unsupported()` before its body is
 * read. Every other route keeps refusing such files with 415.
 */
export function acceptRawFiles(scope: FastifyInstance, types: string[], maxBytes: number, unsupported: () => ApiHttpError): void {
  scope.removeAllContentTypeParsers();
  scope.addContentTypeParser(types, { parseAs: 'buffer', bodyLimit: maxBytes }, (_req, body, done) => done(null, body));
  scope.addContentTypeParser('*', (_req, _payload, done) => done(unsupported(), undefined));
}

/**
 * Refuses an upload before its body is read, closing the connection so the client stops
 * sending megabytes the server would throw away.
 */
export function refuseUpload(reply: FastifyReply, err: ApiHttpError): never {
  void reply.header('connection', 'close');
  throw err;
}

/** Refuses an upload whose declared Content-Length is over `maxBytes` (413 with `message`). */
export function refuseDeclaredOverLimit(req: FastifyRequest, reply: FastifyReply, maxBytes: number, message: MessageKey): void {
  const length = Number(req.headers['content-length']);
  if (Number.isFinite(length) && length > maxBytes) {
    refuseUpload(reply, new ApiHttpError(413, 'payload_too_large', message, [], { limit: maxBytes, limitMb: +(maxBytes / 1048576).toFixed(1) }, { limit: maxBytes }));
  }
}
