import type { ApiError, ApiFieldError } from '../../../shared/contracts/errors.js';
import {
  FORM_TOKEN_HEADER,
  type PublicAttachment,
  type PublicClassifyResponse,
  type PublicFormToken,
  type PublicItemsResponse,
  type PublicSubmission,
} from '../../../shared/contracts/public-page.js';
import type { PublicReportCreated, PublicReportStatus } from '../../../shared/contracts/public-report.js';
import { FILENAME_HEADER } from '../../../shared/contracts/attachments.js';
import type { PublicLayer } from './place';

/** A refusal with the server's words (in the page's language) and the fields it names. */
export class ReportApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: ApiFieldError[],
    /** Extra facts of the error, e.g. `reason: 'form_too_fast'`. */
    readonly reason: string | null,
  ) {
    super(message);
  }
}

/** The request never reached the server or its answer never came back: nothing is known to be sent. */
export class NetworkError extends Error {}

export interface ReportApi {
  form(): Promise<PublicFormToken>;
  items(): Promise<PublicItemsResponse>;
  classify(text: string, signal: AbortSignal): Promise<PublicClassifyResponse>;
  upload(photo: Blob, name: string, formToken: string): Promise<PublicAttachment>;
  submit(body: PublicSubmission): Promise<PublicReportCreated>;
  status(token: string): Promise<PublicReportStatus>;
  mapLayer(level: 'town' | 'village' | 'grid'): Promise<PublicLayer>;
}

/** The page's calls to `/api/v1/public/*`, each in the page's language (the server words its errors in it). */
export function createReportApi(lang: () => string): ReportApi {
  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const headers = new Headers(init.headers);
    headers.set('Accept-Language', lang());
    let res: Response;
    try {
      res = await fetch(path, { ...init, headers, credentials: 'omit', cache: 'no-store' });
    } catch (err) {
      if ((err as Error).name === 'AbortError') throw err;
      throw new NetworkError((err as Error).message);
    }
    const text = await res.text().catch(() => '');
    let body: unknown = null;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      body = null;
    }
    if (!res.ok) {
      const error = (body as ApiError | null)?.error;
      // a proxy's error page, or a gateway timeout: not the server's answer
      if (!error) {
        if (res.status >= 502) throw new NetworkError(`HTTP ${res.status}`);
        throw new ReportApiError(res.status, 'http_error', `HTTP ${res.status}`, [], null);
      }
      throw new ReportApiError(res.status, error.code, error.message, error.fields ?? [], typeof error.reason === 'string' ? error.reason : null);
    }
    return body as T;
  }
  const json = (body: unknown): RequestInit => ({ method: 'POST', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });

  return {
    form: () => call('/api/v1/public/form'),
    items: () => call('/api/v1/public/items'),
    classify: (text, signal) => call('/api/v1/public/classify', { ...json({ text }), signal }),
    upload: (photo, name, formToken) =>
      call('/api/v1/public/attachments', {
        method: 'POST',
        body: photo,
        headers: { 'Content-Type': photo.type, [FORM_TOKEN_HEADER]: formToken, [FILENAME_HEADER]: encodeURIComponent(name) },
      }),
    submit: (body) => call('/api/v1/public/reports', json(body)),
    status: (token) => call(`/api/v1/public/reports/${encodeURIComponent(token)}`),
    mapLayer: (level) => call(`/api/v1/public/map/${level}`),
  };
}
