import { z } from 'zod';
import { addressCodeSchema, reportedPointSchema, reporterPhoneSchema } from './events.js';
import { cleanText } from './text.js';

/**
 * Where a resident's report is: a point (WGS84 unless `crs` says otherwise: a phone's map pick is
 * often GCJ-02), a unified address code (统一地址), or address text the unified address search
 * resolves.
 */
export const publicLocationSchema = z.union([reportedPointSchema, z.object({ addressCode: addressCodeSchema }).strict(), z.object({ addressText: cleanText({ max: 200 }) }).strict()]);
export type PublicLocation = z.infer<typeof publicLocationSchema>;

/**
 * Body of `POST /api/v1/public/reports` (the resident page `/report`, no login): an item of the
 * admitted list, what the resident saw, where, photos uploaded first as the public account, and
 * optionally a name and phone number (never shown back publicly).
 */
export const publicReportSchema = z
  .object({
    itemCode: z.string().trim().min(1).max(32),
    description: cleanText({ max: 4000, multiline: true }),
    location: publicLocationSchema,
    attachments: z
      .array(z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), name: cleanText({ max: 200 }) }).strict())
      .max(6)
      .optional(),
    reporter: z.object({ name: cleanText({ max: 64 }).optional(), phone: reporterPhoneSchema.optional() }).strict().optional(),
  })
  .strict();
export type PublicReport = z.infer<typeof publicReportSchema>;

/** `201` answer of `POST /api/v1/public/reports`: the tracking token, the resident's only key to the status. */
export interface PublicReportCreated {
  token: string;
}

/**
 * A resident's view of the closed loop (the public steps only):
 * - `received` 已受理登记: the report is recorded;
 * - `filed` 已立案: admitted and filed as a case;
 * - `not_admitted` 不予受理: outside the admitted list (or not filed), with the body it belongs to;
 * - `in_progress` 处置中: dispatched to the responsible body and being handled;
 * - `closed` 已办结: closed, with the result.
 */
export const PUBLIC_STEPS = ['received', 'filed', 'not_admitted', 'in_progress', 'closed'] as const;
export type PublicStep = (typeof PUBLIC_STEPS)[number];

export interface PublicReportStep {
  step: PublicStep;
  /** ISO 8601 UTC. */
  at: string;
  /** The body that receives a matter not admitted (a department, never a person). */
  receivingBody?: string;
  /** The handling result of a closed case, with names and numbers of people removed. */
  result?: string;
}

/**
 * `GET /api/v1/public/reports/{token}`: what a resident may see of their own report. Never the
 * reporter's name or phone, staff names, team names or other residents' data.
 */
export interface PublicReportStatus {
  token: string;
  /** The catalog item's name (Chinese, as the catalog writes it). */
  itemName: string;
  /** The catalog category key (`not_admitted` for a matter outside the list). */
  category: string;
  submittedAt: string;
  status: PublicStep;
  /** Oldest first. */
  steps: PublicReportStep[];
}

/** A tracking token: 32 URL-safe characters (192 random bits). */
export const publicTokenSchema = z.string().regex(/^[A-Za-z0-9_-]{32}$/);
