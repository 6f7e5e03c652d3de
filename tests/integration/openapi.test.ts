import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HealthResponse } from '../../shared/contracts/health.js';
import { api, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => server?.stop());

describe('system endpoints', () => {
  it('reports health with the current sequence', async () => {
    const { status, body } = await api<HealthResponse>(server.url, '/api/v1/health');
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'ok', demo: true, seq: expect.any(Number) });
    expect(body.seq).toBeGreaterThan(0);
  });

  it('describes the API for integrators', async () => {
    const { status, body } = await api<{ openapi: string; paths: Record<string, Record<string, { requestBody?: unknown }>> }>(server.url, '/api/v1/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const path of ['/api/v1/health', '/api/v1/regions', '/api/v1/geo/{level}', '/api/v1/events', '/api/v1/events/{id}', '/api/v1/catalog']) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    expect(body.paths['/api/v1/events']!.post!.requestBody).toBeDefined();
  });

  it('sends security headers and a CSP that keeps the console offline', async () => {
    const res = await fetch(new URL('/api/v1/health', server.url));
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
  });
});
