import { z } from 'zod';
import { cleanText } from './text.js';
import { workerIdSchema, type Employment } from './workforce.js';

/**
 * The periodic assessment of grid workers by 德、能、勤、绩 (issue 16 part 4; docs/WORKFORCE.md
 * "Assessment"). Paths `/api/v1/assessment/…`, OpenAPI tag `assessment`.
 */

export interface AssessmentWeights {
  de: number;
  neng: number;
  qin: number;
  ji: number;
}

/** Ratings on the total (shared/domain/assessment.ts ratingOf): 优秀, 良好, 合格, 不合格. */
export const RATINGS = ['excellent', 'good', 'pass', 'fail'] as const;
export type Rating = (typeof RATINGS)[number];

export const ASSESSMENT_LISTS = ['reward', 'exit_review'] as const;
export type AssessmentList = (typeof ASSESSMENT_LISTS)[number];

const percent = z.number().int().min(0).max(100);

/** Body of `POST /api/v1/assessment/periods`: by default the quarter holding today, with the default weights. */
export const assessmentPeriodCreateSchema = z
  .object({
    startsOn: z.iso.date().optional(),
    endsOn: z.iso.date().optional(),
    weights: z.object({ de: percent, neng: percent, qin: percent, ji: percent }).strict().optional(),
  })
  .strict();
export type AssessmentPeriodCreate = z.infer<typeof assessmentPeriodCreateSchema>;

export const assessmentPeriodIdSchema = z.string().regex(/^\d{4}-(Q[1-4]|H[12]|Y|\d{4}-\d{4})$/);
export const assessmentPeriodParamsSchema = z.object({ id: assessmentPeriodIdSchema }).strict();

const score = z.number().min(0).max(100).multipleOf(0.5);

/** Body of `PUT /api/v1/assessment/periods/{id}/reviews`: 德 and 能 of workers, with the reviewer's comment. */
export const assessmentReviewsSchema = z
  .object({
    reviews: z
      .array(z.object({ workerId: workerIdSchema, de: score, neng: score, comment: cleanText({ max: 500, multiline: true }).pipe(z.string().min(1)) }).strict())
      .min(1)
      .max(5000),
  })
  .strict();
export type AssessmentReviews = z.infer<typeof assessmentReviewsSchema>;

/** `GET /api/v1/assessment/periods/{id}` and its exports: one town of the caller's scope, or all of them. */
export const assessmentResultsQuerySchema = z.object({ town: z.string().regex(/^\d{9}$/).optional() }).strict();
export const assessmentExportQuerySchema = z.object({ town: z.string().regex(/^\d{9}$/).optional(), lang: z.enum(['zh-CN', 'en']).optional() }).strict();

/** Body of `POST /api/v1/assessment/periods/{id}/proposals`: propose a worker for the reward or the exit-review list. */
export const assessmentProposalSchema = z
  .object({ workerId: workerIdSchema, list: z.enum(ASSESSMENT_LISTS), proposal: cleanText({ max: 500, multiline: true }).pipe(z.string().min(2)) })
  .strict();
export type AssessmentProposal = z.infer<typeof assessmentProposalSchema>;

/** Body of `POST /api/v1/assessment/periods/{id}/proposals/{workerId}/{list}/decision`: decided by a second person, with a reason. */
export const assessmentDecisionSchema = z
  .object({ decision: z.enum(['approved', 'rejected']), reason: cleanText({ max: 500, multiline: true }).pipe(z.string().min(2)) })
  .strict();
export type AssessmentDecisionBody = z.infer<typeof assessmentDecisionSchema>;
export const assessmentDecisionParamsSchema = z.object({ id: assessmentPeriodIdSchema, workerId: workerIdSchema, list: z.enum(ASSESSMENT_LISTS) }).strict();

export interface AssessmentPeriod {
  id: string;
  startsOn: string;
  endsOn: string;
  status: 'open' | 'closed';
  weights: AssessmentWeights;
  /** Working days of the period (the working calendar), up to today while it runs. */
  workingDays: number;
  createdBy: string;
  createdAt: string;
  closedBy: string | null;
  closedAt: string | null;
}

/** The activity figures 勤 and 绩 were computed from. */
export interface AssessmentFigures {
  patrolDays: number;
  patrolMinutes: number;
  microGridsCovered: number;
  microGridsServed: number;
  reported: number;
  handled: number;
  closed: number;
  onTime: number;
  reworked: number;
  returned: number;
  workload: number | null;
}

export interface AssessmentDecision {
  list: AssessmentList;
  proposal: string;
  proposedBy: string;
  proposedAt: string;
  decision: 'approved' | 'rejected' | null;
  decidedBy: string | null;
  decidedAt: string | null;
  reason: string | null;
}

export interface AssessmentRow {
  workerId: string;
  name: string;
  employment: Employment;
  town: { id: string; name: string };
  grid: { id: string; name: string };
  de: number | null;
  neng: number | null;
  comment: string | null;
  reviewer: string | null;
  qin: number;
  ji: number;
  total: number | null;
  rankTown: number | null;
  rankCounty: number | null;
  rating: Rating | null;
  /** The list the result suggests proposing the worker for (rules in shared/domain/assessment.ts). */
  suggested: AssessmentList | null;
  decisions: AssessmentDecision[];
  figures: AssessmentFigures;
}

export interface AssessmentResponse {
  period: AssessmentPeriod;
  /** The end of the figures: the close for a closed period, now for an open one. */
  asOf: string;
  summary: {
    workers: number;
    reviewed: number;
    ratings: Record<Rating, number>;
    reward: { proposed: number; approved: number };
    exitReview: { proposed: number; approved: number };
  };
  rows: AssessmentRow[];
}

/**
 * A grid worker's own result of one closed period (`GET /api/v1/assessment/me`): the frozen
 * scores, ranks out of how many were ranked, the rating, the figures, the reviewer's comment and
 * the lists decided for the worker (approved ones only; a proposal still undecided or rejected
 * is not shown to the worker).
 */
export interface OwnAssessmentResult {
  de: number | null;
  neng: number | null;
  qin: number;
  ji: number;
  total: number | null;
  rating: Rating | null;
  rankTown: number | null;
  /** Workers ranked in the worker's town (the rank's denominator). */
  rankedInTown: number;
  rankCounty: number | null;
  rankedInCounty: number;
  comment: string | null;
  figures: AssessmentFigures;
  approved: Array<{ list: AssessmentList; decidedAt: string }>;
}

/** `GET /api/v1/assessment/me`: every period, newest first; `result` null while a period is open or when the worker was not assessed in it. */
export interface OwnAssessmentResponse {
  workerId: string;
  items: Array<{ period: AssessmentPeriod; result: OwnAssessmentResult | null }>;
}
