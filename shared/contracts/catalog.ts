import { z } from 'zod';
import { URGENCIES, urgencySchema, type Step, type Urgency } from './events.js';
import { cleanText } from './text.js';

/** Types of field forces ("hands", 手脚). */
export const TEAM_TYPES = ['law_enforcement', 'village_cadre', 'mediator', 'grid_worker', 'emergency_rescue', 'police'] as const;
export type TeamType = (typeof TEAM_TYPES)[number];
export const teamTypeSchema = z.enum(TEAM_TYPES);

/**
 * Units of a time limit: plain `minutes` and `days` (自然日, 24 h), or `work_hours` (工作时) and
 * `work_days` (工作日) counted on the working calendar.
 */
export const TIME_LIMIT_UNITS = ['minutes', 'work_hours', 'work_days', 'days'] as const;
export type TimeLimitUnit = (typeof TIME_LIMIT_UNITS)[number];
export const timeLimitSchema = z
  .object({ value: z.number().positive().max(10_000), unit: z.enum(TIME_LIMIT_UNITS) })
  .strict();
export type TimeLimit = z.infer<typeof timeLimitSchema>;

/** Time limit of each step of the loop, for one urgency. */
export const stepLimitsSchema = z
  .object({ file: timeLimitSchema, dispatch: timeLimitSchema, handle: timeLimitSchema, verify: timeLimitSchema })
  .strict();
export type StepLimits = Record<Step, TimeLimit>;

/**
 * Machine dispatch rule of an item: events of these urgencies are filed and dispatched to the
 * best eligible home team (the team whose area holds the event) without a person.
 */
export const autoDispatchRuleSchema = z.object({ urgencies: z.array(urgencySchema).min(1).max(4) }).strict();
export type AutoDispatchRule = z.infer<typeof autoDispatchRuleSchema>;

const code = z.string().regex(/^[A-Z][0-9A-Z]{1,15}$/);

/** Keywords an item may carry for the item suggestion. */
export const CATALOG_KEYWORDS_MAX = 40;
const text = (max: number) => cleanText({ max });
const longText = (max: number) => cleanText({ max, multiline: true });

/** An admitted event item (入格事项) as an editor writes it into a draft. */
export const catalogItemSchema = z
  .object({
    code,
    name: text(64),
    nameEn: text(128),
    /** Category key, e.g. `dispute`, `safety`. */
    category: z.string().regex(/^[a-z][a-z_]{1,31}$/),
    categoryName: text(32),
    categoryNameEn: text(64),
    /** The responsible body (责任部门). */
    department: text(128),
    teamType: teamTypeSchema,
    /** Urgency levels this item may have. */
    urgencies: z.array(urgencySchema).min(1).max(4),
    defaultUrgency: urgencySchema,
    /** Step limits per allowed urgency. */
    limits: z.partialRecord(urgencySchema, stepLimitsSchema),
    /** Grid workers may handle it on the spot (自行处置). */
    selfHandle: z.boolean(),
    /** A verifier must check the result before the case closes (核查). */
    verificationRequired: z.boolean(),
    autoDispatch: autoDispatchRuleSchema.nullable(),
    /**
     * Words people use for the matter (电瓶车, 插线板 for 飞线充电): the item suggestion learns
     * them with the name. Optional: catalogs written before it have none.
     */
    keywords: z.array(text(32)).max(CATALOG_KEYWORDS_MAX).optional(),
  })
  .strict()
  .superRefine((item, ctx) => {
    if (!item.urgencies.includes(item.defaultUrgency)) {
      ctx.addIssue({ code: 'custom', path: ['defaultUrgency'], message: 'not_in_urgencies' });
    }
    for (const u of item.urgencies) {
      if (!item.limits[u]) ctx.addIssue({ code: 'custom', path: ['limits', u], message: 'missing_limits' });
    }
    for (const u of URGENCIES) {
      if (item.limits[u] && !item.urgencies.includes(u)) ctx.addIssue({ code: 'custom', path: ['limits', u], message: 'urgency_not_allowed' });
    }
    for (const u of item.autoDispatch?.urgencies ?? []) {
      if (!item.urgencies.includes(u)) ctx.addIssue({ code: 'custom', path: ['autoDispatch', 'urgencies'], message: 'urgency_not_allowed' });
    }
  });
export type CatalogItemInput = z.infer<typeof catalogItemSchema>;

export interface CatalogItem extends Omit<CatalogItemInput, 'limits'> {
  limits: Partial<Record<Urgency, StepLimits>>;
  /** Handling limit at the default urgency (kept for clients of the first catalog API). */
  handleLimit: TimeLimit;
}

/**
 * A matter that is not admitted to the grid (清单外事项) and the body that receives it, e.g.
 * criminal cases → the police. An intake of such a code is recorded as not admitted.
 */
export const referralSchema = z.object({ code, name: text(64), nameEn: text(128), receivingBody: text(128) }).strict();
export type Referral = z.infer<typeof referralSchema>;

export const CATALOG_VERSION_STATUSES = ['draft', 'active', 'superseded', 'rejected'] as const;
export type CatalogVersionStatus = (typeof CATALOG_VERSION_STATUSES)[number];

/** Body of `POST /api/v1/catalog/versions`: a complete new catalog, stored as a draft. */
export const catalogDraftSchema = z
  .object({
    note: longText(500),
    items: z.array(catalogItemSchema).min(1).max(2000),
    referrals: z.array(referralSchema).max(500).default([]),
  })
  .strict()
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.items.forEach((item, i) => {
      if (seen.has(item.code)) ctx.addIssue({ code: 'custom', path: ['items', i, 'code'], message: 'duplicate_code' });
      seen.add(item.code);
    });
    d.referrals.forEach((r, i) => {
      if (seen.has(r.code)) ctx.addIssue({ code: 'custom', path: ['referrals', i, 'code'], message: 'duplicate_code' });
      seen.add(r.code);
    });
  });
export type CatalogDraft = z.infer<typeof catalogDraftSchema>;

/** Body of `POST /api/v1/catalog/versions/{version}/reject`. */
export const catalogRejectSchema = z.object({ reason: longText(500) }).strict();

export interface CatalogVersionSummary {
  version: number;
  status: CatalogVersionStatus;
  note: string;
  itemCount: number;
  createdAt: string;
  createdBy: string;
  /** Who approved (active/superseded) or rejected it, and when. */
  decidedAt: string | null;
  decidedBy: string | null;
  decisionReason: string | null;
  activatedAt: string | null;
}

export interface CatalogVersionDetail extends CatalogVersionSummary {
  items: CatalogItem[];
  referrals: Referral[];
  /** Compared with the active version: codes added, removed and changed. */
  diff: { added: string[]; removed: string[]; changed: string[] };
}

/** `GET /api/v1/catalog`: the active version. */
export interface CatalogResponse {
  version: number;
  activatedAt: string;
  items: CatalogItem[];
  referrals: Referral[];
}
