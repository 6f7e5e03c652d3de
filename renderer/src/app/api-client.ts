import type { ApiError, ApiErrorCode, ApiFieldError } from '../../../shared/contracts/errors.js';

/** A failed API call: an error the server answered with, or `network` when none came back. */
export class ApiRequestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: ApiErrorCode | 'network' | 'bad_response',
    /** Extra facts the server sent with the error, e.g. `status` and `allowed` of `illegal_transition`. */
    readonly details: Readonly<Record<string, unknown>> = {},
    /** Per-field problems of a refused body. */
    readonly fields: readonly ApiFieldError[] = [],
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export type QueryValue = string | number | readonly string[] | undefined;

export interface RequestOptions {
  signal?: AbortSignal;
  /** More headers (the file name of an upload). */
  headers?: Record<string, string>;
}

export interface ApiClient {
  get<T>(path: string, query?: Record<string, QueryValue>, init?: RequestOptions): Promise<T>;
  /** A JSON body in, JSON out; `undefined` for 204 No Content. */
  post<T>(path: string, body?: unknown, init?: RequestOptions): Promise<T>;
  /** Replaces a resource (settings) with the JSON body; answers the stored value. */
  put<T>(path: string, body: unknown, init?: RequestOptions): Promise<T>;
  /** Changes some fields of a resource (a worker's record) with the JSON body; answers the stored resource. */
  patch<T>(path: string, body: unknown, init?: RequestOptions): Promise<T>;
  /**
   * A binary answer (a photo), read with the session's token: an `<img src>` cannot send the
   * Authorization header, so images are fetched here and shown through object URLs.
   */
  getBlob(path: string, init?: RequestOptions): Promise<Blob>;
  /** A file as the raw body (an import), sent with its own type; JSON out. */
  postFile<T>(path: string, file: Blob, query?: Record<string, QueryValue>, init?: RequestOptions): Promise<T>;
}

export interface ApiClientOptions {
  baseUrl: string;
  language(): string;
  /** The session's bearer token, read for every request; null when nobody is signed in. */
  token?(): string | null;
  /**
   * The server refused `token` as no (longer a) session: a 401 to a request that carried it.
   * Login's own 401s (wrong password) carry no token and do not come here.
   */
  onUnauthenticated?(token: string): void;
  fetch?: typeof fetch;
}

function isApiError(body: unknown): body is ApiError {
  return typeof body === 'object' && body !== null && 'error' in body && typeof (body as ApiError).error?.message === 'string';
}

/**
 * Talks to `/api/v1` of the companion server. Every request carries the UI language, so the
 * server's error messages come back in it, and the session's token when there is one.
 */
export function createApiClient(options: ApiClientOptions): ApiClient {
  const doFetch = options.fetch ?? ((input, init) => window.fetch(input, init));
  const url = (path: string, query?: Record<string, QueryValue>) => {
    const u = new URL(`/api/v1${path}`, options.baseUrl || window.location.origin);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      u.searchParams.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    return u;
  };

  async function request<T>(method: 'GET' | 'POST' | 'PUT' | 'PATCH', target: URL, body: unknown, init?: RequestOptions, binary = false): Promise<T> {
    const token = options.token?.() ?? null;
    const headers: Record<string, string> = { Accept: binary ? 'image/*' : 'application/json', 'Accept-Language': options.language() };
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body instanceof Blob) headers['Content-Type'] = body.type || 'application/octet-stream';
    else if (body !== undefined) headers['Content-Type'] = 'application/json';
    Object.assign(headers, init?.headers);
    let response: Response;
    try {
      response = await doFetch(target, {
        method,
        headers,
        body: body === undefined ? undefined : body instanceof Blob ? body : JSON.stringify(body),
        signal: init?.signal,
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiRequestError(err instanceof Error ? err.message : String(err), 0, 'network');
    }
    if (response.status === 401 && token) options.onUnauthenticated?.(token);
    if (response.status === 204) return undefined as T;
    if (binary && response.ok) return (await response.blob()) as T;
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
    }
    if (!response.ok) {
      if (isApiError(parsed)) {
        const { code, message, fields, ...details } = parsed.error;
        throw new ApiRequestError(message, response.status, code, details, fields ?? []);
      }
      throw new ApiRequestError(`HTTP ${response.status}`, response.status, 'bad_response');
    }
    return parsed as T;
  }

  return {
    get: <T>(path: string, query?: Record<string, QueryValue>, init?: RequestOptions) => request<T>('GET', url(path, query), undefined, init),
    post: <T>(path: string, body?: unknown, init?: RequestOptions) => request<T>('POST', url(path), body, init),
    put: <T>(path: string, body: unknown, init?: RequestOptions) => request<T>('PUT', url(path), body, init),
    patch: <T>(path: string, body: unknown, init?: RequestOptions) => request<T>('PATCH', url(path), body, init),
    getBlob: (path: string, init?: RequestOptions) => request<Blob>('GET', url(path), undefined, init, true),
    postFile: <T>(path: string, file: Blob, query?: Record<string, QueryValue>, init?: RequestOptions) => request<T>('POST', url(path, query), file, init),
  };
}
