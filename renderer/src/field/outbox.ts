import { z } from 'zod';
import type { EventStatus } from '../../../shared/contracts/events.js';
import type { Action } from '../../../shared/contracts/workflow.js';

/**
 * The phone's outbox (待发送): every action the worker takes is written here first, with its
 * Idempotency-Key, and leaves only once the server has confirmed it. Pure functions over an
 * immutable list; `OutboxStore` keeps the list in `localStorage` (photos themselves live in
 * IndexedDB, see photo-store.ts) so a reload or a dead battery loses nothing.
 */

/** What an entry sends: a case action or a new event (上报). */
export type OutboxKind = 'action' | 'intake';

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
  /** The worker's team when it was queued. */
  teamId: string | null;
  /** The action name (`accept`…), `intake` for a new event. */
  label: string;
  /** What it is about, for the worker to recognise it if it is refused: the case's item. */
  subject?: string;
  /**
   * The JSON body, without the photos' references (added once they are uploaded). It carries
   * `madeAt`, when the worker did it: fixed when queued, so every retry sends the same body
   * (and the Idempotency-Key still matches it).
   */
  body: Record<string, unknown>;
  photos: OutboxPhoto[];
  /** For an action: the state the case is in once it is done (a lost answer is then recognised). */
  expectStatus: EventStatus | null;
  createdAt: number;
  attempts: number;
  nextAttemptAt: number;
  /**
   * Why the last attempt did not get through (no network, server busy), for the outbox panel.
   * An entry the server refuses for good does not stay here: it leaves the outbox and becomes a
   * refusal the worker reads on the task screen (refusals.ts).
   */
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
  kind: z.enum(['action', 'intake']),
  eventId: z.string().nullable(),
  teamId: z.string().nullable(),
  label: z.string(),
  subject: z.string().optional(),
  body: z.record(z.string(), z.unknown()),
  photos: z.array(photoSchema),
  expectStatus: z.string().nullable() as z.ZodType<EventStatus | null>,
  createdAt: z.number(),
  attempts: z.number(),
  nextAttemptAt: z.number(),
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

export type NewEntry = Pick<OutboxEntry, 'key' | 'userId' | 'kind' | 'eventId' | 'teamId' | 'label' | 'subject' | 'body' | 'expectStatus'> & {
  photos?: Omit<OutboxPhoto, 'uploaded'>[];
};

export function enqueue(list: readonly OutboxEntry[], entry: NewEntry, now: number): OutboxEntry[] {
  if (list.some((e) => e.key === entry.key)) return [...list];
  return [
    ...list,
    { ...entry, photos: (entry.photos ?? []).map((p) => ({ ...p, uploaded: null })), createdAt: now, attempts: 0, nextAttemptAt: now, error: null },
  ];
}

/**
 * The next entry to send for `userId`: the oldest pending one, if it is due. Entries go out one
 * at a time in the order they were made (accept before start before report); a waiting entry
 * holds back those behind it.
 */
export function nextDue(list: readonly OutboxEntry[], userId: string, now: number): OutboxEntry | null {
  const first = list.find((e) => e.userId === userId);
  return first && first.nextAttemptAt <= now ? first : null;
}

/** When the next send is due for `userId` (null: nothing pending). */
export function nextWakeAt(list: readonly OutboxEntry[], userId: string): number | null {
  const first = list.find((e) => e.userId === userId);
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

/**
 * The server refused `key` for good (the case was voided, went to another team…): it leaves the
 * outbox, and with it the later actions of the same worker on the same case, which were made on
 * the assumption that it would go through (accept → start → report) and would only be refused in
 * turn. Returns the outbox without them and the later ones taken out (`dropped`, oldest first).
 */
export function withoutRefused(list: readonly OutboxEntry[], key: string): { list: OutboxEntry[]; refused: OutboxEntry | null; dropped: OutboxEntry[] } {
  const at = list.findIndex((e) => e.key === key);
  const refused = list[at];
  if (!refused) return { list: [...list], refused: null, dropped: [] };
  const dependsOnIt = (e: OutboxEntry, i: number) => i > at && refused.kind === 'action' && e.kind === 'action' && e.userId === refused.userId && e.eventId === refused.eventId;
  const dropped = list.filter(dependsOnIt);
  return { list: list.filter((e, i) => i !== at && !dependsOnIt(e, i)), refused, dropped };
}

export function markPhotoUploaded(list: readonly OutboxEntry[], key: string, photoKey: string, uploaded: { id: string; name: string }): OutboxEntry[] {
  return patch(list, key, (e) => ({ ...e, photos: e.photos.map((p) => (p.key === photoKey ? { ...p, uploaded } : p)) }));
}

/** Back online (or a new session): everything of `userId` that waits is due now. */
export function wakeAll(list: readonly OutboxEntry[], userId: string, now: number): OutboxEntry[] {
  let changed = false;
  const next = list.map((e) => {
    if (e.userId !== userId || e.nextAttemptAt <= now) return e;
    changed = true;
    return { ...e, nextAttemptAt: now };
  });
  return changed ? next : [...list];
}

/** The actions still to be delivered for a case, oldest first. */
export function pendingActionsFor(list: readonly OutboxEntry[], eventId: string): Action[] {
  return list.filter((e) => e.kind === 'action' && e.eventId === eventId).map((e) => e.label as Action);
}

/** The body as sent: the photos' references added once all are uploaded. */
export function bodyToSend(entry: OutboxEntry): Record<string, unknown> {
  if (entry.photos.length === 0) return entry.body;
  const attachments = entry.photos.flatMap((p) => (p.uploaded ? [p.uploaded] : []));
  return { ...entry.body, attachments };
}

export type Verdict = 'done' | 'retry' | 'wait_session' | 'refused';

/**
 * What an answer means for the entry. Network trouble, a busy or failing server (5xx), a timeout
 * (408) and rate limits (429) are retried; a refused session waits for the next sign-in; a 409
 * that finds the case already where the entry would have put it means an earlier attempt went
 * through (its answer was lost); any other 4xx is the server's final word (`refused`): retrying
 * the same request can only be refused again.
 */
export function verdict(entry: Pick<OutboxEntry, 'expectStatus'>, error: { status: number; code: string; details?: Readonly<Record<string, unknown>> }): Verdict {
  if (error.status === 0 || error.status >= 500 || error.status === 429 || error.status === 408) return 'retry';
  if (error.status === 401) return 'wait_session';
  if (error.status === 409 && error.code === 'illegal_transition' && entry.expectStatus && error.details?.status === entry.expectStatus) return 'done';
  return 'refused';
}

/**
 * Reads the stored outbox. Entries are read one by one, so one unreadable entry costs only
 * itself: e.g. a 出发 (team status) entry of an older version, a step the server now records
 * with 签收.
 */
export function loadOutbox(storage: Pick<Storage, 'getItem'> | null): OutboxEntry[] {
  if (!storage) return [];
  try {
    const raw = storage.getItem(OUTBOX_STORAGE_KEY);
    if (!raw) return [];
    const list: unknown = JSON.parse(raw);
    if (!Array.isArray(list)) return [];
    return list.flatMap((item) => {
      const parsed = entrySchema.safeParse(item);
      return parsed.success ? [parsed.data as OutboxEntry] : [];
    });
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
