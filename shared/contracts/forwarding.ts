import { z } from 'zod';
import { EVENT_ID_PATTERN, EVENT_STATUSES, EVENT_SOURCES, STEPS, URGENCIES, pointSchema } from './events.js';
import { ROLES } from './auth.js';
import { ACTIONS } from './workflow.js';

/**
 * A county that runs its own server forwards its cases to the city's (issue 15): the county's
 * change log, in seq order, each change with the case as it stood after it. The city keeps, per
 * county, the last seq it applied (`GET /api/v1/forwarded/cursor`); a batch must continue right
 * after it (a re-sent prefix is skipped, a gap is refused 409 with the city's `lastSeq`), so the
 * county resumes from the city's cursor after any outage and every change is applied exactly once.
 */

/** Most changes in one batch. */
export const FORWARD_MAX_BATCH = 500;

const text = (max: number) => z.string().max(max);
const instant = z.iso.datetime({ offset: true });
const nullableInstant = instant.nullable();
const regionId = z.string().regex(/^\d{6,24}$/);
const eventId = z.string().regex(EVENT_ID_PATTERN);

/**
 * The case as the county's change log holds it (EventRecord). Fields the city does not know (a
 * county a version ahead) are dropped, not refused.
 */
export const forwardedEventSchema = z.object({
  id: eventId,
  seq: z.number().int().min(1),
  itemCode: z.string().min(1).max(64),
  itemName: text(200),
  category: text(200),
  description: text(4000),
  source: z.enum(EVENT_SOURCES),
  urgency: z.enum(URGENCIES),
  status: z.enum(EVENT_STATUSES),
  location: pointSchema,
  addressCode: z.string().regex(/^\d{18,24}$/).nullable(),
  address: text(500),
  microGridId: regionId,
  gridId: regionId,
  villageId: regionId,
  townId: z.string().regex(/^\d{9}$/),
  reporter: z.object({ name: text(64), phone: text(32) }),
  reportedAt: instant,
  updatedAt: instant,
  deadlineAt: nullableInstant,
  closedAt: nullableInstant,
  catalogVersion: z.number().int().min(0),
  step: z.enum(STEPS).nullable(),
  stepStartedAt: nullableInstant,
  warnAt: nullableInstant,
  deadlineState: z.enum(['ok', 'warning', 'overdue']),
  dueAt: nullableInstant,
  teamId: z.string().max(64).nullable(),
  teamName: text(200).nullable(),
  autoDispatched: z.boolean(),
  selfHandled: z.boolean(),
  supervised: z.boolean(),
  reworkCount: z.number().int().min(0),
  extensionCount: z.number().int().min(0),
  extensionRequest: z
    .object({
      requestedAt: instant,
      by: text(64),
      reason: text(2000),
      limit: z.object({ value: z.number().finite().min(0), unit: z.enum(['minutes', 'work_hours', 'work_days', 'days']) }),
    })
    .nullable(),
  result: text(4000).nullable(),
  refusal: z.object({ reason: text(2000), receivingBody: text(200) }).nullable(),
  duplicateCandidates: z.array(eventId).max(100),
  masterId: eventId.nullable(),
  masterStatus: z.enum(EVENT_STATUSES).nullable(),
  mergedIds: z.array(eventId).max(1000),
});
export type ForwardedEvent = z.infer<typeof forwardedEventSchema>;

/** The county's timeline entry of the change (who did what), shown on the city's timeline. */
export const forwardedEntrySchema = z.object({
  action: z.enum([...ACTIONS, 'intake', 'not-admitted', 'self-handled', 'auto-dispatch', 'deadline-warning', 'deadline-overdue', 'master-updated']),
  from: z.enum(EVENT_STATUSES).nullable(),
  to: z.enum(EVENT_STATUSES),
  actor: z.object({ username: text(64), displayName: text(64), role: z.enum(ROLES).nullable() }).nullable(),
  auto: z.boolean(),
  note: text(4000).nullable(),
  details: z.record(z.string(), z.unknown()),
});
export type ForwardedEntry = z.infer<typeof forwardedEntrySchema>;

/** One change of the county's log. */
export const forwardedChangeSchema = z
  .object({
    seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
    kind: z.string().regex(/^[a-z-]{1,32}$/),
    /** When the county recorded it. */
    at: instant,
    event: forwardedEventSchema,
    entry: forwardedEntrySchema.nullable(),
  })
  .strict();
export type ForwardedChange = z.infer<typeof forwardedChangeSchema>;

/** Body of `POST /api/v1/forwarded/changes`: changes in seq order, the first right after the city's cursor (or re-sent ones before it). */
export const forwardBatchSchema = z
  .object({
    changes: z.array(forwardedChangeSchema).min(1).max(FORWARD_MAX_BATCH),
  })
  .strict()
  .superRefine((b, ctx) => {
    for (let i = 1; i < b.changes.length; i++) {
      if (b.changes[i]!.seq !== b.changes[i - 1]!.seq + 1) ctx.addIssue({ code: 'custom', path: ['changes', i, 'seq'], message: 'not_consecutive', params: { code: 'not_consecutive' } });
    }
  });
export type ForwardBatch = z.infer<typeof forwardBatchSchema>;

/** `GET /api/v1/forwarded/cursor`, and the answer of a batch: the last county seq the city applied. */
export interface ForwardCursor {
  /** The county (the key's scope). */
  county: string;
  lastSeq: number;
}

/** The answer of `POST /api/v1/forwarded/changes`. */
export interface ForwardAccepted extends ForwardCursor {
  /** Changes of the batch applied now (the rest were applied before). */
  applied: number;
}

/** A county server's forwarding as its health shows it. */
export interface ForwardingState {
  /** `connected`: the city answered the last call; `retrying`: it did not (or refused), the forwarder tries again. */
  state: 'starting' | 'connected' | 'retrying' | 'stopped';
  /** The last county seq the city applied, as last heard. */
  cityLastSeq: number | null;
  /** Changes of this server the city has not applied yet, as last counted. */
  behind: number | null;
  lastError: string | null;
  lastErrorAt: string | null;
}
