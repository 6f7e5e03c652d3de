import { z } from 'zod';
import type { OutboxEntry, OutboxKind } from './outbox';

/**
 * Refusals (未被受理): what the server refused for good, out of the outbox, kept on the phone
 * until the worker has read them. Each says what was refused, why (the server's own words, in
 * the UI language, with the fields it named), and what else did not go because of it, with the
 * text the worker wrote, so nothing typed disappears without a word.
 */
export interface Refusal {
  /** The refused entry's Idempotency-Key. */
  key: string;
  userId: string;
  kind: OutboxKind;
  eventId: string | null;
  /** The action name, or `intake`. */
  label: string;
  subject: string | null;
  /** HTTP status (0: refused on the phone itself, e.g. a photo that is gone). */
  status: number;
  code: string;
  /** The server's message with the problems of the fields it named. */
  message: string;
  /** Fields the server named (`madeAt`…) and their codes, for a hint of what to do. */
  fields: Array<{ field: string; code: string }>;
  /** The case's state when the server refused it (409 illegal_transition). */
  caseStatus: string | null;
  /** When the worker did it (the entry's `madeAt`), ms since epoch. */
  madeAt: number;
  refusedAt: number;
  /** Later steps of the same case that were not sent because of it (action names). */
  dropped: string[];
  /** What the worker wrote: result, reason or note, or the description of a report. */
  text: string | null;
}

/** A refusal as the sender hands it over: the server's error. */
export interface RefusedError {
  status: number;
  code: string;
  message: string;
  details?: Readonly<Record<string, unknown>>;
  fields?: ReadonlyArray<{ field: string; code: string; message?: string }>;
}

const refusalSchema = z.object({
  key: z.string(),
  userId: z.string(),
  kind: z.enum(['action', 'intake']),
  eventId: z.string().nullable(),
  label: z.string(),
  subject: z.string().nullable(),
  status: z.number(),
  code: z.string(),
  message: z.string(),
  fields: z.array(z.object({ field: z.string(), code: z.string() })),
  caseStatus: z.string().nullable(),
  madeAt: z.number(),
  refusedAt: z.number(),
  dropped: z.array(z.string()),
  text: z.string().nullable(),
});

export const REFUSALS_STORAGE_KEY = 'gridcommand.field.refusals.v1';
/** The newest this many are kept; a worker reads them the same day. */
export const MAX_REFUSALS = 30;

/** The server's words for a refusal: its message, then the problem of each field it named. */
export function refusalMessage(error: Pick<RefusedError, 'message' | 'fields'>): string {
  const fields = (error.fields ?? []).map((f) => f.message).filter((m): m is string => Boolean(m));
  return fields.length > 0 ? `${error.message}（${fields.join('；')}）` : error.message;
}

/** What the worker wrote into an entry, shown back with its refusal. */
function writtenText(body: Readonly<Record<string, unknown>>): string | null {
  const parts = ['result', 'reason', 'note', 'description'].map((k) => body[k]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
  return parts.length > 0 ? parts.join('\n') : null;
}

/** The refusal of `entry` (and of the `dropped` entries behind it) at `now`. */
export function refusalOf(entry: OutboxEntry, error: RefusedError, dropped: readonly OutboxEntry[], now: number): Refusal {
  const madeAt = typeof entry.body.madeAt === 'string' ? Date.parse(entry.body.madeAt) : Number.NaN;
  const texts = [entry, ...dropped].map((e) => writtenText(e.body)).filter((t): t is string => t !== null);
  const caseStatus = error.details?.status;
  return {
    key: entry.key,
    userId: entry.userId,
    kind: entry.kind,
    eventId: entry.eventId,
    label: entry.label,
    subject: entry.subject ?? null,
    status: error.status,
    code: error.code,
    message: refusalMessage(error),
    fields: (error.fields ?? []).map((f) => ({ field: f.field, code: f.code })),
    caseStatus: typeof caseStatus === 'string' ? caseStatus : null,
    madeAt: Number.isFinite(madeAt) ? madeAt : entry.createdAt,
    refusedAt: now,
    dropped: dropped.map((e) => e.label),
    text: texts.length > 0 ? texts.join('\n') : null,
  };
}

/** The refusals of the signed-in user, newest first. */
export function refusalsOf(list: readonly Refusal[], userId: string): Refusal[] {
  return list.filter((r) => r.userId === userId).sort((a, b) => b.refusedAt - a.refusedAt);
}

function load(storage: Pick<Storage, 'getItem'> | null): Refusal[] {
  if (!storage) return [];
  try {
    const list: unknown = JSON.parse(storage.getItem(REFUSALS_STORAGE_KEY) ?? '[]');
    if (!Array.isArray(list)) return [];
    return list.flatMap((item) => {
      const parsed = refusalSchema.safeParse(item);
      return parsed.success ? [parsed.data as Refusal] : [];
    });
  } catch {
    return [];
  }
}

/** The refusals as React sees them, written through to `localStorage` (a reload keeps them until read). */
export class RefusalStore {
  private list: Refusal[];
  private readonly listeners = new Set<() => void>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null) {
    this.list = load(storage);
  }

  get = (): readonly Refusal[] => this.list;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  add(refusal: Refusal): void {
    this.set([refusal, ...this.list.filter((r) => r.key !== refusal.key)].slice(0, MAX_REFUSALS));
  }

  /** The worker has read it (知道了). */
  dismiss(key: string): void {
    if (this.list.some((r) => r.key === key)) this.set(this.list.filter((r) => r.key !== key));
  }

  private set(next: Refusal[]): void {
    this.list = next;
    try {
      this.storage?.setItem(REFUSALS_STORAGE_KEY, JSON.stringify(next));
    } catch {
      // kept for this page only
    }
    for (const listener of this.listeners) listener();
  }
}

/** Case states after which nothing more is done: a step refused there needs no second try. */
const FINISHED = new Set(['void', 'closed', 'merged', 'rejected', 'not_admitted']);

/** What the worker can do about a refusal: a key of i18n-field `refusal.hint.*` and its values. */
export function refusalHint(r: Pick<Refusal, 'code' | 'fields' | 'caseStatus'>): { key: 'caseGone' | 'caseMoved' | 'notYours' | 'separation' | 'clock' | 'tooOld' | 'photo' | 'other'; status?: string } {
  if (r.code === 'photo_missing') return { key: 'photo' };
  const madeAt = r.fields.find((f) => f.field === 'madeAt');
  if (madeAt?.code === 'in_future') return { key: 'clock' };
  if (madeAt?.code === 'too_old') return { key: 'tooOld' };
  if (r.code === 'illegal_transition') return r.caseStatus && FINISHED.has(r.caseStatus) ? { key: 'caseGone', status: r.caseStatus } : { key: 'caseMoved' };
  if (r.code === 'not_your_team' || r.code === 'out_of_scope') return { key: 'notYours' };
  if (r.code === 'separation_of_duties') return { key: 'separation' };
  return { key: 'other' };
}
