import { ApiRequestError } from './api-client';

/** Bytes read so far of a download, and its size when the server said it. */
export interface DownloadProgress {
  received: number;
  total: number | null;
}

/** Whole percent of a download, or null when its size is unknown. */
export function percentOf(p: DownloadProgress): number | null {
  if (p.total === null || p.total <= 0) return null;
  return Math.min(100, Math.floor((p.received / p.total) * 100));
}

/** `512 KB`, `1.4 MB`: a download's size so far where its total is unknown. */
export function sizeText(bytes: number): string {
  if (bytes < 1024 * 1024) return `${Math.max(1, Math.round(bytes / 1024))} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Fetches an export of the API with the session's token (a plain link cannot send it), reading
 * the body in chunks so a long export shows its progress, and hands it to the browser's
 * download under `fileName` (or the name it makes of the answer's Content-Disposition), which it
 * returns. The server's own error message (in the UI language) becomes the thrown error's message.
 */
export async function downloadExport(opts: {
  url: URL;
  token: string | null;
  language: string;
  fileName: string | ((contentDisposition: string | null) => string);
  /** Sent as `Accept` (e.g. `text/csv`); any type when absent. */
  accept?: string;
  onProgress?(p: DownloadProgress): void;
  onUnauthenticated(token: string): void;
  signal?: AbortSignal;
}): Promise<string> {
  const headers: Record<string, string> = { 'Accept-Language': opts.language };
  if (opts.accept) headers.Accept = opts.accept;
  if (opts.token) headers.Authorization = `Bearer ${opts.token}`;
  let response: Response;
  try {
    response = await window.fetch(opts.url, { headers, signal: opts.signal });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiRequestError(err instanceof Error ? err.message : String(err), 0, 'network');
  }
  if (response.status === 401 && opts.token) opts.onUnauthenticated(opts.token);
  if (!response.ok) {
    const body: unknown = await response.json().catch(() => null);
    const message = (body as { error?: { message?: unknown } } | null)?.error?.message;
    throw new ApiRequestError(typeof message === 'string' ? message : `HTTP ${response.status}`, response.status, 'bad_response');
  }
  const length = Number(response.headers.get('Content-Length'));
  const total = Number.isFinite(length) && length > 0 ? length : null;
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let received = 0;
  opts.onProgress?.({ received, total });
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      received += value.byteLength;
      opts.onProgress?.({ received, total });
    }
  }
  const blob = new Blob(chunks, { type: response.headers.get('Content-Type') ?? 'application/octet-stream' });
  const fileName = typeof opts.fileName === 'string' ? opts.fileName : opts.fileName(response.headers.get('Content-Disposition'));
  const href = URL.createObjectURL(blob);
  try {
    const link = document.createElement('a');
    link.href = href;
    link.download = fileName;
    link.rel = 'noopener';
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    // The click has handed the blob to the download by the next task.
    setTimeout(() => URL.revokeObjectURL(href), 0);
  }
  return fileName;
}
