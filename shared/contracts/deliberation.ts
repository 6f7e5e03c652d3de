import { z } from 'zod';
import { eventIdSchema, reportedPointSchema, addressCodeSchema, urgencySchema } from './events.js';
import { decimalIntParam } from './params.js';
import { cleanText } from './text.js';
import { AGENDA_SOURCES, type AgendaItem, type DeliberationMeeting, type DeliberationTask } from './workforce.js';

/**
 * The grid deliberation day (网格议事日, issue 16 part 6): the request schemas and answers of
 * `/api/v1/deliberation/…` (OpenAPI tag `deliberation`) beside the record shapes in workforce.ts.
 * docs/WORKFORCE.md, "Grid deliberation day".
 */

const regionId = z.string().regex(/^\d{6,24}$/);
const day = z.iso.date();

/** Days of cases the drafted agenda looks back over (before `asOf`). */
export const AGENDA_WINDOW_DAYS = 90;
/** A hot spot is an item with at least this many cases in the window; at most HOT_SPOT_LIMIT, most frequent first. */
export const HOT_SPOT_MIN_CASES = 3;
export const HOT_SPOT_LIMIT = 5;
/** A repeat item: the same item at the same address (or, without one, the same micro-grid) at least this often. */
export const REPEAT_MIN_CASES = 2;
export const REPEAT_LIMIT = 5;
/** Residents' reports still open, or closed within this many days before `asOf`. */
export const RESIDENT_RECENT_DAYS = 14;
export const RESIDENT_LIMIT = 10;
/** Evidence: the newest cases behind a point, at most this many. */
export const AGENDA_EVIDENCE = 5;
/** Follow-up tasks one request may carry. */
export const MAX_TASKS_PER_REQUEST = 20;

export const deliberationIdSchema = z.string().regex(/^DM[0-9a-f]{16}$/);

/** `GET /api/v1/deliberation/agenda-draft`. */
export const agendaDraftQuerySchema = z
  .object({
    gridId: regionId,
    /** The end of the 90 days looked back over; default now. */
    asOf: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type AgendaDraftQuery = z.infer<typeof agendaDraftQuerySchema>;

export interface AgendaDraft {
  grid: { id: string; code: string; name: string };
  /** The window looked at: [from, to], `to` being `asOf`. */
  from: string;
  to: string;
  /** Hot spots, then repeat items, then residents' reports, each group in its documented order. */
  items: AgendaItem[];
}

export const agendaItemSchema = z
  .object({
    title: cleanText({ max: 200 }),
    source: z.enum(AGENDA_SOURCES),
    ref: z.string().trim().min(1).max(100).regex(/^[^\p{Cc}]*$/u).nullable(),
    eventIds: z.array(eventIdSchema).max(AGENDA_EVIDENCE * 2).optional(),
  })
  .strict();

/** Where a follow-up task's case lies: a point, a unified address or a micro-grid of the meeting's grid (its label point). */
export const taskLocationSchema = z.union([reportedPointSchema, z.object({ addressCode: addressCodeSchema }).strict(), z.object({ microGridId: regionId }).strict()]);
export type TaskLocation = z.infer<typeof taskLocationSchema>;

export const deliberationTaskRequestSchema = z
  .object({
    /** What the task is called on the meeting record and the public page (no personal data). */
    title: cleanText({ max: 100 }),
    itemCode: z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/),
    /** The case's description, for the people handling it (never shown on the public page). */
    description: cleanText({ max: 2000, multiline: true }),
    urgency: urgencySchema.optional(),
    /** Default: the grid's label point (or its first micro-grid's when that falls outside it). Must lie in the grid. */
    location: taskLocationSchema.optional(),
  })
  .strict();
export type DeliberationTaskRequest = z.infer<typeof deliberationTaskRequestSchema>;

/** Body of `POST /api/v1/deliberation/meetings`. */
export const deliberationMeetingRequestSchema = z
  .object({
    gridId: regionId,
    /** The day of the meeting (China time), not after today. */
    heldOn: day,
    place: cleanText({ max: 200 }),
    host: cleanText({ max: 50 }),
    participants: z
      .array(z.object({ name: cleanText({ max: 50 }), role: cleanText({ max: 50 }) }).strict())
      .min(1)
      .max(200),
    agenda: z.array(agendaItemSchema).max(50),
    decisions: z.array(cleanText({ max: 1000, multiline: true })).max(50),
    tasks: z.array(deliberationTaskRequestSchema).max(MAX_TASKS_PER_REQUEST).optional(),
  })
  .strict();
export type DeliberationMeetingRequest = z.infer<typeof deliberationMeetingRequestSchema>;

/** Body of `POST /api/v1/deliberation/meetings/{id}/notice`: the public notice for residents. */
export const deliberationNoticeSchema = z.object({ notice: cleanText({ max: 4000, multiline: true }) }).strict();

export const deliberationParamsSchema = z.object({ id: deliberationIdSchema }).strict();

/** `GET /api/v1/deliberation/meetings`: newest meeting day first. */
export const deliberationListQuerySchema = z
  .object({
    gridId: regionId.optional(),
    town: regionId.optional(),
    /** Meeting days from … to (inclusive, YYYY-MM-DD). */
    from: day.optional(),
    to: day.optional(),
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 200 }).default(50),
  })
  .strict();
export type DeliberationListQuery = z.infer<typeof deliberationListQuerySchema>;

/** A task as the API answers it: the case's item and whether it is past its deadline now, beside DeliberationTask. */
export interface DeliberationTaskView extends DeliberationTask {
  itemCode: string;
  itemName: string;
  /** Open and past its closing deadline now. */
  overdue: boolean;
}

/** Tasks tracked to closure: open (the case still in the loop), closed (ended: closed, or not taken up), overdue (open past its deadline). */
export interface DeliberationSummary {
  tasks: number;
  open: number;
  closed: number;
  overdue: number;
}

/** A meeting as the API answers it. */
export interface DeliberationMeetingView extends DeliberationMeeting {
  tasks: DeliberationTaskView[];
  summary: DeliberationSummary;
}

export interface DeliberationListResponse {
  items: DeliberationMeetingView[];
  total: number;
  page: number;
  pageSize: number;
}
