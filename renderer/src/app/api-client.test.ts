import { describe, expect, it, vi } from 'vitest';
import { ApiRequestError, createApiClient } from './api-client';

function respond(status: number, body?: unknown) {
  return new Response(body === undefined ? null : JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
}

function setup(answer: () => Response, token: string | null = 'token-1') {
  const fetch = vi.fn(async (_input: RequestInfo | URL, _init?: RequestInit) => answer());
  const onUnauthenticated = vi.fn();
  const api = createApiClient({ baseUrl: 'http://server.test', language: () => 'en', token: () => token, onUnauthenticated, fetch });
  const headers = () => new Headers(fetch.mock.calls[0]?.[1]?.headers);
  return { api, fetch, onUnauthenticated, headers };
}

describe('createApiClient', () => {
  it('sends the bearer token and the UI language', async () => {
    const { api, headers, fetch } = setup(() => respond(200, { ok: true }));
    await expect(api.get('/regions', { level: 'town' })).resolves.toEqual({ ok: true });
    expect(headers().get('Authorization')).toBe('Bearer token-1');
    expect(headers().get('Accept-Language')).toBe('en');
    expect(String(fetch.mock.calls[0]?.[0])).toBe('http://server.test/api/v1/regions?level=town');
  });

  it('reads an image as a blob with the token, and a refusal as the usual error', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0]);
    const { api, headers } = setup(() => new Response(bytes, { status: 200, headers: { 'Content-Type': 'image/jpeg' } }));
    const blob = await api.getBlob('/attachments/abc/thumb');
    expect(blob.type).toBe('image/jpeg');
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes);
    expect(headers().get('Authorization')).toBe('Bearer token-1');
    const refused = setup(() => respond(403, { error: { code: 'forbidden', message: 'no' } }));
    await expect(refused.api.getBlob('/attachments/abc')).rejects.toMatchObject({ status: 403, code: 'forbidden' });
  });

  it('sends no Authorization header without a session', async () => {
    const { api, headers } = setup(() => respond(200, {}), null);
    await api.get('/health');
    expect(headers().has('Authorization')).toBe(false);
  });

  it('posts JSON and answers undefined for 204', async () => {
    const { api, fetch } = setup(() => respond(204));
    await expect(api.post('/auth/logout')).resolves.toBeUndefined();
    expect(fetch.mock.calls[0]?.[1]?.method).toBe('POST');
  });

  it('reports a refused token once, with the token it carried, and still throws the error', async () => {
    const { api, onUnauthenticated } = setup(() => respond(401, { error: { code: 'unauthenticated', message: 'Please log in' } }));
    const failure = api.get('/events');
    await expect(failure).rejects.toBeInstanceOf(ApiRequestError);
    await expect(failure).rejects.toMatchObject({ status: 401, code: 'unauthenticated', message: 'Please log in' });
    expect(onUnauthenticated).toHaveBeenCalledExactlyOnceWith('token-1');
  });

  it('does not treat a refused login (no token sent) or a forbidden request as a lost session', async () => {
    const login = setup(() => respond(401, { error: { code: 'invalid_credentials', message: 'Wrong username or password.' } }), null);
    await expect(login.api.post('/auth/login', { username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'invalid_credentials' });
    expect(login.onUnauthenticated).not.toHaveBeenCalled();

    const forbidden = setup(() => respond(403, { error: { code: 'forbidden', message: 'no' } }));
    await expect(forbidden.api.get('/events')).rejects.toMatchObject({ status: 403 });
    expect(forbidden.onUnauthenticated).not.toHaveBeenCalled();
  });

  it('keeps the extra facts and field problems an error carries', async () => {
    const { api } = setup(() =>
      respond(409, { error: { code: 'illegal_transition', message: 'not now', status: 'closed', allowed: [], fields: [{ field: 'teamId', code: 'x', message: 'bad' }] } }),
    );
    await expect(api.post('/events/EV1/actions', { action: 'file' })).rejects.toMatchObject({
      status: 409,
      code: 'illegal_transition',
      details: { status: 'closed', allowed: [] },
      fields: [{ field: 'teamId', code: 'x', message: 'bad' }],
    });
  });
});
