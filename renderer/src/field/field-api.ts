import type { ApiError } from '../../../shared/contracts/errors.js';
import { ApiRequestError } from '../app/api-client';

export interface FieldPostOptions {
  baseUrl: string;
  token: string | null;
  language: string;
  /** Extra headers: `Idempotency-Key`, `X-Filename`. */
  headers?: Record<string, string>;
  onUnauthenticated?(token: string): void;
  fetch?: typeof fetch;
}

/**
 * A POST with headers of its own and a JSON or raw body (a photo): what the console's API
 * client does not need. Errors are `ApiRequestError`s like the client's, `network` when no
 * answer came back.
 */
export async function fieldPost<T>(path: string, body: unknown, opts: FieldPostOptions): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', 'Accept-Language': opts.language, ...opts.headers };
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let payload: BodyInit | undefined;
  if (body instanceof Blob) {
    payload = body;
    headers['Content-Type'] = body.type || 'application/octet-stream';
  } else if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  let response: Response;
  try {
    response = await (opts.fetch ?? ((input, init) => window.fetch(input, init)))(new URL(`/api/v1${path}`, opts.baseUrl || window.location.origin), { method: 'POST', headers, body: payload });
  } catch (err) {
    throw new ApiRequestError(err instanceof Error ? err.message : String(err), 0, 'network');
  }
  if (response.status === 401 && opts.token) opts.onUnauthenticated?.(opts.token);
  if (response.status === 204) return undefined as T;
  let parsed: unknown;
  try {
    parsed = await response.json();
  } catch {
    throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
  }
  if (!response.ok) {
    const error = (parsed as ApiError | null)?.error;
    if (error && typeof error.message === 'string') {
      const { code, message, fields, ...details } = error;
      throw new ApiRequestError(message, response.status, code, details, fields ?? []);
    }
    throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
  }
  return parsed as T;
}

/** The file name for `X-Filename`: URI-encoded UTF-8, as the server expects (it sanitises it again). */
export function headerFilename(name: string): string {
  const trimmed = name.trim().slice(-100) || 'photo.jpg';
  return encodeURIComponent(trimmed);
}
