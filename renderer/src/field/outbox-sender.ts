import { bodyToSend, markDone, markFailed, markPhotoUploaded, markRetry, nextDue, nextWakeAt, verdict, wakeAll, type OutboxEntry, type OutboxStore } from './outbox';

/** A refusal or failure as the sender needs it (ApiRequestError has this shape). */
export interface SendError {
  status: number;
  code: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
}

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
  setTimer?(fn: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

function asSendError(err: unknown): SendError {
  if (err && typeof err === 'object' && 'status' in err && typeof (err as SendError).status === 'number') {
    const e = err as SendError;
    return { status: e.status, code: String(e.code ?? ''), message: String(e.message ?? ''), details: e.details };
  }
  return { status: 0, code: 'network', message: err instanceof Error ? err.message : String(err) };
}

/**
 * Delivers the outbox, one entry at a time and in order: photos first (each once: the stored
 * reference is kept), then the request that references them, with the entry's Idempotency-Key.
 * Retried with backoff; woken at once when the phone comes back online or the socket reconnects.
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
          store.update((list) => markFailed(list, entry.key, 'photo_missing'));
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
        case 'failed':
          store.update((list) => markFailed(list, entry.key, error.message || error.code));
          return 'next';
      }
    }
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
