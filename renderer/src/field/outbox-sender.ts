import { bodyToSend, markDone, markPhotoUploaded, markRetry, nextDue, nextWakeAt, verdict, wakeAll, withoutRefused, type OutboxEntry, type OutboxStore } from './outbox';
import type { RefusedError } from './refusals';

/** A refusal or failure as the sender needs it (ApiRequestError has this shape). */
export type SendError = RefusedError;

export interface OutboxSenderDeps {
  store: OutboxStore;
  /** The signed-in user; nothing is sent without a session. */
  userId(): string | null;
  /** Uploads one photo; answers the stored attachment's reference. */
  upload(blob: Blob, name: string): Promise<{ id: string; name: string }>;
  /** Sends the entry's request with its Idempotency-Key; resolves with the server's answer. */
  send(entry: OutboxEntry, body: Record<string, unknown>): Promise<unknown>;
  photos: { get(key: string): Promise<Blob | null>; delete(key: string): Promise<void> };
  now(): number;
  /** The server confirmed an entry. */
  onDelivered?(entry: OutboxEntry, answer: unknown): void;
  /**
   * The server refused an entry for good: it has left the outbox, with the later actions on the
   * same case that depended on it (`dropped`). The worker must be told at once.
   */
  onRefused?(entry: OutboxEntry, error: SendError, dropped: readonly OutboxEntry[]): void;
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

function asSendError(err: unknown): SendError {
  if (err && typeof err === 'object' && 'status' in err && typeof (err as SendError).status === 'number') {
    const e = err as SendError;
    return { status: e.status, code: String(e.code ?? ''), message: String(e.message ?? ''), details: e.details, fields: e.fields };
  }
  return { status: 0, code: 'network', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Delivers the outbox, one entry at a time and in order: photos first (each once: the stored
 * reference is kept), then the request that references them, with the entry's Idempotency-Key.
 * Retried with backoff while the network or the server fails; woken at once when the phone comes
 * back online or the socket reconnects. A refusal (4xx) is final: the entry leaves the outbox at
 * once and `onRefused` tells the worker, so nothing waits forever on a request that cannot go.
 */
export class OutboxSender {
  private running = false;
  private again = false;
  private timer: unknown = null;
  private stopped = false;

  constructor(private readonly deps: OutboxSenderDeps) {}

  /** Everything waiting is due now (back online, reconnected, signed in again). */
  wake(): void {
    const userId = this.deps.userId();
    if (!userId) return;
    this.deps.store.update((list) => wakeAll(list, userId, this.deps.now()));
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    this.clearTimer();
  }

  start(): void {
    this.stopped = false;
    void this.run();
  }

  /** Sends what is due; resolves when nothing more is due now. */
  async run(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        await this.drain();
      } while (this.again && !this.stopped);
    } finally {
      this.running = false;
    }
    this.schedule();
  }

  private async drain(): Promise<void> {
    for (;;) {
      const userId = this.deps.userId();
      if (!userId || this.stopped) return;
      const entry = nextDue(this.deps.store.get(), userId, this.deps.now());
      if (!entry) return;
      const outcome = await this.deliver(entry);
      if (outcome === 'stop') return;
    }
  }

  private async deliver(entry: OutboxEntry): Promise<'next' | 'stop'> {
    const { store } = this.deps;
    try {
      for (const photo of entry.photos) {
        if (photo.uploaded) continue;
        const blob = await this.deps.photos.get(photo.key);
        if (!blob) {
          // the phone's storage lost it (cleared by the browser): this request can never be made whole
          await this.refuse(entry, { status: 0, code: 'photo_missing', message: '' });
          return 'next';
        }
        const uploaded = await this.deps.upload(blob, photo.name);
        store.update((list) => markPhotoUploaded(list, entry.key, photo.key, uploaded));
      }
      const current = store.get().find((e) => e.key === entry.key);
      if (!current) return 'next';
      const answer = await this.deps.send(current, bodyToSend(current));
      store.update((list) => markDone(list, entry.key));
      for (const photo of current.photos) await this.deps.photos.delete(photo.key).catch(() => undefined);
      this.deps.onDelivered?.(current, answer);
      return 'next';
    } catch (err) {
      const error = asSendError(err);
      switch (verdict(entry, error)) {
        case 'done':
          store.update((list) => markDone(list, entry.key));
          for (const photo of entry.photos) await this.deps.photos.delete(photo.key).catch(() => undefined);
          this.deps.onDelivered?.(entry, null);
          return 'next';
        case 'retry':
          store.update((list) => markRetry(list, entry.key, this.deps.now(), error.message || error.code));
          return 'stop';
        case 'wait_session':
          // The session is gone; the entry waits, unchanged, for the next sign-in.
          return 'stop';
        case 'refused':
          await this.refuse(entry, error);
          return 'next';
      }
    }
  }

  private async refuse(entry: OutboxEntry, error: SendError): Promise<void> {
    let out: ReturnType<typeof withoutRefused> = { list: [], refused: null, dropped: [] };
    this.deps.store.update((list) => {
      out = withoutRefused(list, entry.key);
      return out.list;
    });
    const refused = out.refused ?? entry;
    for (const e of [refused, ...out.dropped]) for (const photo of e.photos) await this.deps.photos.delete(photo.key).catch(() => undefined);
    this.deps.onRefused?.(refused, error, out.dropped);
  }

  private clearTimer(): void {
    if (this.timer !== null) (this.deps.clearTimer ?? ((h) => clearTimeout(h as ReturnType<typeof setTimeout>)))(this.timer);
    this.timer = null;
  }

  private schedule(): void {
    this.clearTimer();
    const userId = this.deps.userId();
    if (!userId || this.stopped) return;
    const at = nextWakeAt(this.deps.store.get(), userId);
    if (at === null) return;
    const ms = Math.max(0, at - this.deps.now());
    const setTimer = this.deps.setTimer ?? ((fn: () => void, delay: number) => setTimeout(fn, delay));
    this.timer = setTimer(() => {
      this.timer = null;
      void this.run();
    }, ms);
  }
}
