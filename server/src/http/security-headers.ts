import type { FastifyInstance } from 'fastify';

/**
 * The console is served by this server, so its CSP lives here: everything from our own
 * origin, nothing from the internet (closed government networks). MapLibre needs
 * `worker-src blob:` and `'self'` for its worker.
 */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "child-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

/**
 * CORS for the packaged Electron console only (`app://gridcommand`): it loads its files from
 * a custom protocol and calls this server cross-origin with a bearer token (no cookies, so no
 * credentials mode). Any other origin gets no CORS headers and the browser blocks it.
 */
export function installCors(app: FastifyInstance, allowedOrigins: readonly string[]): void {
  app.addHook('onRequest', async (req, reply) => {
    const origin = req.headers.origin;
    if (!origin || !allowedOrigins.includes(origin) || !req.url.startsWith('/api/')) return;
    void reply.header('Access-Control-Allow-Origin', origin).header('Vary', 'Origin');
    if (req.method === 'OPTIONS') {
      return reply
        .status(204)
        .header('Access-Control-Allow-Methods', 'GET, POST')
        .header('Access-Control-Allow-Headers', 'authorization, content-type, idempotency-key, accept-language, x-filename')
        .header('Access-Control-Max-Age', '600')
        .send();
    }
  });
}

export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    void reply.header('X-Content-Type-Options', 'nosniff');
    void reply.header('Referrer-Policy', 'no-referrer');
    void reply.header('X-Frame-Options', 'DENY');
    void reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    void reply.header('Content-Security-Policy', CONSOLE_CSP);
    return payload;
  });
}
