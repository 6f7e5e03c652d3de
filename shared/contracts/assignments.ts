import { z } from 'zod';
import { addressCodeSchema, reportedPointSchema, urgencySchema, type CaseAssignment, type EventStatus, type Urgency } from './events.js';
import { decimalIntParam } from './params.js';
import { cleanText } from './text.js';

/**
 * 市级交办: a city (a user whose scope reaches more than one county of a city or province
 * platform) assigns a case down to one of its counties. The case enters through the one intake
 * (source `department`, 部门推送/上级交办) in a town of that county, lands in the county's queue with
 * the city's deadline as its closing deadline (应结案时间), and when the county finishes it (结案,
 * 不予立案, 作废, or 合并 into another case) the outcome is reported back up: recorded with the
 * assignment and raised as an `assignment_reported` alert to the city's consoles.
 */

/** A county id: 6 digits (GB/T 2260-shaped). */
export const countyIdSchema = z.string().regex(/^\d{6}$/);

/** Body of `POST /api/v1/assignments`. */
export const assignmentRequestSchema = z
  .object({
    /** The county the case is assigned to: one of the caller's, on this platform. */
    countyId: countyIdSchema,
    itemCode: z.string().trim().min(1).max(32),
    description: cleanText({ max: 4000, multiline: true }),
    /** Where: a point (WGS84 unless `crs` says otherwise) or a household's unified address; it must lie in the county (422 `outside_county`). */
    location: z.union([reportedPointSchema, z.object({ addressCode: addressCodeSchema }).strict()]),
    /** One of the item's urgencies; the item's default when left out. */
    urgency: urgencySchema.optional(),
    /**
     * The city's deadline (办结时限), ISO 8601 with offset: after now and at most
     * MAX_ASSIGNMENT_DAYS ahead. It becomes the case's closing deadline; the steps keep the
     * catalog's own limits, so a deadline tighter than the catalog's is allowed (the city decides).
     */
    dueAt: z.iso.datetime({ offset: true }),
    /** The city's instructions (交办意见), shown to the county with the case. */
    note: cleanText({ max: 1000, multiline: true }).optional(),
  })
  .strict();
export type AssignmentRequest = z.infer<typeof assignmentRequestSchema>;

/** The farthest a city's deadline may lie ahead. */
export const MAX_ASSIGNMENT_DAYS = 90;

export const ASSIGNMENT_STATES = ['open', 'reported', 'all'] as const;

/** Query of `GET /api/v1/assignments`: the caller's cities' assignments, newest first. */
export const assignmentListQuerySchema = z
  .object({
    state: z.enum(ASSIGNMENT_STATES).default('all'),
    page: decimalIntParam({ min: 1, max: 1_000_000 }).default(1),
    pageSize: decimalIntParam({ min: 1, max: 500 }).default(100),
  })
  .strict();
export type AssignmentListQuery = z.infer<typeof assignmentListQuerySchema>;

/**
 * How an assignment stands against the city's deadline: `open` (in time), `overdue` (open and
 * past it), `on_time` / `late` (reported back before / after it).
 */
export type AssignmentStanding = 'open' | 'overdue' | 'on_time' | 'late';

/** One row of `GET /api/v1/assignments`. */
export interface AssignmentSummary extends CaseAssignment {
  eventId: string;
  countyId: string;
  countyName: string;
  /** Who assigned it (userId null: a seeded history's staff, a name without an account). */
  byUser: { userId: string | null; displayName: string };
  itemCode: string;
  itemName: string;
  urgency: Urgency;
  address: string;
  /** The case's state now. */
  status: EventStatus;
  standing: AssignmentStanding;
}

export interface AssignmentListResponse {
  items: AssignmentSummary[];
  page: number;
  pageSize: number;
  total: number;
  /** The counties the caller may assign to, for the dialog's picker, in code order. */
  counties: Array<{ id: string; name: string }>;
}

/** The standing of an assignment at `now` (ms). */
export function assignmentStanding(a: Pick<CaseAssignment, 'dueAt' | 'reportedAt'>, now: number): AssignmentStanding {
  const due = Date.parse(a.dueAt);
  if (a.reportedAt === null) return now > due ? 'overdue' : 'open';
  return Date.parse(a.reportedAt) > due ? 'late' : 'on_time';
}
