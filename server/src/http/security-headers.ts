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
