import { HOTLINE_IMPORT_MAX_BYTES, type HotlineImportMode, type HotlineImportProgress, type HotlineImportReport } from '../../../../shared/contracts/hotline-import.js';
import { ApiRequestError, type ApiClient } from '../../app/api-client';

const CSV = 'text/csv';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The type to send a chosen file as, by its extension: browsers guess a .csv's type from the
 * system (Windows with Excel says `application/vnd.ms-excel`), so the extension decides. Null
 * for anything else (an old .xls included: the platforms export .xlsx, Excel saves as it).
 */
export function uploadTypeOf(fileName: string): typeof CSV | typeof XLSX | null {
  const ext = fileName.toLowerCase().split('.').at(-1);
  if (ext === 'csv' || ext === 'txt') return CSV;
  if (ext === 'xlsx') return XLSX;
  return null;
}

export type FileProblem = { kind: 'type' } | { kind: 'size' };

/** What is wrong with a file before it is sent, or null. */
export function fileProblem(file: { name: string; size: number }): FileProblem | null {
  if (!uploadTypeOf(file.name)) return { kind: 'type' };
  if (file.size > HOTLINE_IMPORT_MAX_BYTES) return { kind: 'size' };
  return null;
}

/** Where an import has got, as the progress bar shows it. */
export type UploadStage = { phase: 'uploading'; percent: number } | HotlineImportProgress;

/** A key for polling this upload's progress. */
function progressKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface UploadOptions {
  api: ApiClient;
  baseUrl: string;
  token: string | null;
  language: string;
  file: File;
  mode: HotlineImportMode;
  dryRun: boolean;
  onStage(stage: UploadStage): void;
  onUnauthenticated(token: string): void;
}

/**
 * Sends the file as the raw body (XMLHttpRequest: fetch reports no upload progress), then, while
 * the server works through the rows, polls its progress under a key chosen here. Resolves with
 * the per-row report; rejects with the server's own message.
 */
export function uploadHotlineFile(opts: UploadOptions): Promise<HotlineImportReport> {
  const key = progressKey();
  const url = new URL('/api/v1/hotline-imports', opts.baseUrl || window.location.origin);
  url.searchParams.set('mode', opts.mode);
  if (opts.dryRun) url.searchParams.set('dryRun', 'true');
  url.searchParams.set('progress', key);
  let polling: number | null = null;
  let stopped = false;
  const stopPolling = () => {
    stopped = true;
    if (polling !== null) window.clearTimeout(polling);
  };
  const poll = () => {
    polling = window.setTimeout(() => {
      opts.api
        .get<HotlineImportProgress>(`/hotline-imports/progress/${key}`)
        .then((p) => {
          if (!stopped && p.phase !== 'done') opts.onStage(p);
        })
        // not known yet (the server is still reading the body) or a blip: ask again
        .catch(() => undefined)
        .finally(() => {
          if (!stopped) poll();
        });
    }, 400);
  };
  return new Promise<HotlineImportReport>((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('Content-Type', uploadTypeOf(opts.file.name) ?? CSV);
    xhr.setRequestHeader('X-Filename', encodeURIComponent(opts.file.name));
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', opts.language);
    if (opts.token) xhr.setRequestHeader('Authorization', `Bearer ${opts.token}`);
    xhr.responseType = 'json';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onStage({ phase: 'uploading', percent: Math.floor((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => {
      opts.onStage({ phase: 'reading', done: 0, total: 0 });
      poll();
    };
    xhr.onload = () => {
      stopPolling();
      const body = xhr.response as unknown;
      if (xhr.status === 401 && opts.token) opts.onUnauthenticated(opts.token);
      if (xhr.status >= 200 && xhr.status < 300 && body) {
        resolve(body as HotlineImportReport);
        return;
      }
      const error = (body as { error?: { message?: unknown; code?: unknown } } | null)?.error;
      reject(new ApiRequestError(typeof error?.message === 'string' ? error.message : `HTTP ${xhr.status}`, xhr.status, (typeof error?.code === 'string' ? error.code : 'bad_response') as ApiRequestError['code']));
    };
    xhr.onerror = () => {
      stopPolling();
      reject(new ApiRequestError('network', 0, 'network'));
    };
    opts.onStage({ phase: 'uploading', percent: 0 });
    xhr.send(opts.file);
  });
}
