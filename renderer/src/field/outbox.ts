import { z } from 'zod';
import type { EventStatus } from '../../../shared/contracts/events.js';
import type { Action } from '../../../shared/contracts/workflow.js';

/**
 * The phone's outbox (待发送): every action the worker takes is written here first, with its
 * Idempotency-Key, and leaves only once the server has confirmed it. Pure functions over an
 * immutable list; `OutboxStore` keeps the list in `localStorage` (photos themselves live in
 * IndexedDB, see photo-store.ts) so a reload or a dead battery loses nothing.
 */

/** What an entry sends: a case action, the team's status (出发), or a new event (上报). */
export type OutboxKind = 'action' | 'team-status' | 'intake';

export interface OutboxPhoto {
  /** Key of the blob in the photo store. */
  key: string;
  name: string;
  type: string;
  size: number;
  /** Set once the server stored it: the reference the action carries. */
  uploaded: { id: string; name: string } | null;
}

export interface OutboxEntry {
  /** The Idempotency-Key, unique per entry: a retry can never double the action. */
  key: string;
  /** Whose session queued it: only that user's session sends it. */
  userId: string;
  kind: OutboxKind;
  /** The case of an action. */
  eventId: string | null;
  /** The team of a status change. */
  teamId: string | null;
  /** The action name (`accept`…), `en_route` for a status change, `intake` for a new event. */
  label: string;
  /** The JSON body, without the photos' references (added once they are uploaded). */
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** For an action: the state the case is in once it is done (a lost answer is then recognised). */
  expectStatus: EventStatus | null;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /** `failed`: the server refused it for good; the worker sees why and may discard it. */
  state: 'pending' | 'failed';
  error: string | null;
}

const photoSchema = z.object({
  key: z.string(),
  name: z.string(),
  type: z.string(),
  size: z.number(),
  uploaded: z.object({ id: z.string(), name: z.string() }).nullable(),
});

const entrySchema = z.object({
  key: z.string().min(1).max(128),
  userId: z.string(),
  kind: z.enum(['action', 'team-status', 'intake']),
  eventId: z.string().nullable(),
  teamId: z.string().nullable(),
  label: z.string(),
  body: z.record(z.string(), z.unknown()),
  photos: z.array(photoSchema),
  expectStatus: z.string().nullable() as z.ZodType<EventStatus | null>,
  createdAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
  state: z.enum(['pending', 'failed']),
  error: z.string().nullable(),
});

export const OUTBOX_STORAGE_KEY = 'gridcommand.field.outbox.v1';

/** First retry after 2 s, doubling to at most a minute. */
export function backoffMs(attempts: number): number {
  return Math.min(60_000, 2_000 * 2 ** Math.max(0, attempts - 1));
}

/** A fresh Idempotency-Key (printable ASCII, as the server requires). */
export function newKey(random: () => string = () => crypto.randomUUID()): string {
  return `fld-${random()}`;
}

export type NewEntry = Pick<OutboxEntry, 'key' | 'userId' | 'kind' | 'eventId' | 'teamId' | 'label' | 'body' | 'expectStatus'> & {
  photos?: Omit<OutboxPhoto, 'uploaded'>[];
};

export function enqueue(list: readonly OutboxEntry[], entry: NewEntry, now: number): OutboxEntry[] {
  if (list.some((e) => e.key === entry.key)) return [...list];
  return [
    ...list,
    { ...entry, photos: (entry.photos ?? []).map((p) => ({ ...p, uploaded: null })), createdAt: now, attempts: 0, nextAttemptAt: now, state: 'pending', error: null },
  ];
}

/**
 * The next entry to send for `userId`: the oldest pending one, if it is due. Entries go out one
 * at a time in the order they were made (accept before start before report); a waiting entry
 * holds back those behind it.
 */
export function nextDue(list: readonly OutboxEntry[], userId: string, now: number): OutboxEntry | null {
  const first = list.find((e) => e.userId === userId && e.state === 'pending');
  return first && first.nextAttemptAt <= now ? first : null;
}

/** When the next send is due for `userId` (null: nothing pending). */
export function nextWakeAt(list: readonly OutboxEntry[], userId: string): number | null {
  const first = list.find((e) => e.userId === userId && e.state === 'pending');
  return first ? first.nextAttemptAt : null;
}

function patch(list: readonly OutboxEntry[], key: string, fn: (e: OutboxEntry) => OutboxEntry): OutboxEntry[] {
  return list.map((e) => (e.key === key ? fn(e) : e));
}

/** The server confirmed it: it leaves the outbox. */
export function markDone(list: readonly OutboxEntry[], key: string): OutboxEntry[] {
  return list.filter((e) => e.key !== key);
}

/** It could not be delivered (network, server busy): try again after the backoff. */
export function markRetry(list: readonly OutboxEntry[], key: string, now: number, error: string): OutboxEntry[] {
  return patch(list, key, (e) => ({ ...e, attempts: e.attempts + 1, nextAttemptAt: now + backoffMs(e.attempts + 1), error }));
}

/** The server refused it for good (e.g. the case went to another team). */
export function markFailed(list: readonly OutboxEntry[], key: string, error: string): OutboxEntry[] {
  return patch(list, key, (e) => ({ ...e, attempts: e.attempts + 1, state: 'failed', error }));
}

export function markPhotoUploaded(list: readonly OutboxEntry[], key: string, photoKey: string, uploaded: { id: string; name: string }): OutboxEntry[] {
  return patch(list, key, (e) => ({ ...e, photos: e.photos.map((p) => (p.key === photoKey ? { ...p, uploaded } : p)) }));
}

/** The worker gave up on a refused entry. */
export function discard(list: readonly OutboxEntry[], key: string): OutboxEntry[] {
  return list.filter((e) => e.key !== key);
}

/** Back online (or a new session): everything of `userId` that waits is due now. */
export function wakeAll(list: readonly OutboxEntry[], userId: string, now: number): OutboxEntry[] {
  let changed = false;
  const next = list.map((e) => {
    if (e.userId !== userId || e.state !== 'pending' || e.nextAttemptAt <= now) return e;
    changed = true;
    return { ...e, nextAttemptAt: now };
  });
  return changed ? next : [...list];
}

/** The actions still to be delivered for a case, oldest first. */
export function pendingActionsFor(list: readonly OutboxEntry[], eventId: string): Action[] {
  return list.filter((e) => e.kind === 'action' && e.eventId === eventId && e.state === 'pending').map((e) => e.label as Action);
}

/** The body as sent: the photos' references added once all are uploaded. */
export function bodyToSend(entry: OutboxEntry): Record<string, unknown> {
  if (entry.photos.length === 0) return entry.body;
  const attachments = entry.photos.flatMap((p) => (p.uploaded ? [p.uploaded] : []));
  return { ...entry.body, attachments };
}

export type Verdict = 'done' | 'retry' | 'wait_session' | 'failed';

/**
 * What an answer means for the entry. Network trouble, a busy or failing server and rate limits
 * are retried; a refused session waits for the next sign-in; a 409 that finds the case already
 * where the entry would have put it means an earlier attempt went through (its answer was lost);
 * any other refusal is final.
 */
export function verdict(entry: Pick<OutboxEntry, 'expectStatus'>, error: { status: number; code: string; details?: Readonly<Record<string, unknown>> }): Verdict {
  if (error.status === 0 || error.status >= 500 || error.status === 429 || error.status === 408) return 'retry';
  if (error.status === 401) return 'wait_session';
  if (error.status === 409 && error.code === 'illegal_transition' && entry.expectStatus && error.details?.status === entry.expectStatus) return 'done';
  return 'failed';
}

/** Reads the stored outbox; anything unreadable is dropped (and said so in the console). */
export function loadOutbox(storage: Pick<Storage, 'getItem'> | null): OutboxEntry[] {
  if (!storage) return [];
  try {
    const raw = storage.getItem(OUTBOX_STORAGE_KEY);
    if (!raw) return [];
    const parsed = z.array(entrySchema).safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as OutboxEntry[]) : [];
  } catch {
    return [];
  }
}

export function saveOutbox(storage: Pick<Storage, 'setItem'> | null, list: readonly OutboxEntry[]): boolean {
  if (!storage) return false;
  try {
    storage.setItem(OUTBOX_STORAGE_KEY, JSON.stringify(list));
    return true;
  } catch {
    return false;
  }
}

/** The outbox as React and the sender see it: one list, written through to storage on every change. */
export class OutboxStore {
  private list: OutboxEntry[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.list = loadOutbox(storage);
  }

  get = (): readonly OutboxEntry[] => this.list;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  update(fn: (list: readonly OutboxEntry[]) => OutboxEntry[]): void {
    const next = fn(this.list);
    if (next.length === this.list.length && next.every((e, i) => e === this.list[i])) return;
    this.list = next;
    saveOutbox(this.storage, next);
    for (const listener of this.listeners) listener();
  }
}
