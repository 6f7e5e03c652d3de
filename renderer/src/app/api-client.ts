import type { ApiError, ApiErrorCode } from '../../../shared/contracts/errors.js';

/** A failed API call: an error the server answered with, or `network` when none came back. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'bad_response',
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export type QueryValue = string | number | readonly string[] | undefined;

export interface ApiClient {
  get<T>(path: string, query?: Record<string, QueryValue>, init?: { signal?: AbortSignal }): Promise<T>;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'error' in body && typeof (body as ApiError).error?.message === 'string';
}

/**
 * Talks to `/api/v1` of the companion server. Every request carries the UI language, so the
 * server's error messages come back in it.
 */
export function createApiClient(options: { baseUrl: string; language: () => string; fetch?: typeof fetch }): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => window.fetch(input, init));
  const url = (path: string, query?: Record<string, QueryValue>) => {
    const u = new URL(`/api/v1${path}`, options.baseUrl || window.location.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      u.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return u;
  };
  return {
    async get<T>(path: string, query?: Record<string, QueryValue>, init?: { signal?: AbortSignal }): Promise<T> {
      let response: Response;
      try {
        response = await doFetch(url(path, query), {
          headers: { Accept: 'application/json', 'Accept-Language': options.language() },
          signal: init?.signal,
        });
      } catch (err) {
        if (err instanceof DOMException && err.name === 'AbortError') throw err;
        throw new ApiRequestError(err instanceof Error ? err.message : String(err), 0, 'network');
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
      }
      if (!response.ok) {
        if (isApiError(body)) throw new ApiRequestError(body.error.message, response.status, body.error.code);
        throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
      }
      return body as T;
    },
  };
}
