import { z } from 'zod';
import { publicReportSchema } from './public-report.js';
import { cleanText } from './text.js';

/**
 * What the resident page (`/report`, no login) exchanges with `/api/v1/public/*` besides the
 * report itself and its status (shared/contracts/public-report.ts).
 */

/**
 * The form's name for the honeypot: a text field the page hides from people (off screen,
 * `aria-hidden`, out of the tab order, no autofill) and that form-filling robots fill in.
 */
export const HONEYPOT_FIELD = 'website';

/** Header that carries the form token on a photo upload (the body is the image itself). */
export const FORM_TOKEN_HEADER = 'X-Form-Token';

/** A signed form token: `<issued ms base36>.<nonce>.<HMAC>`, URL-safe. */
export const formTokenSchema = z.string().regex(/^[0-9a-z]{1,12}\.[A-Za-z0-9_-]{16,64}\.[A-Za-z0-9_-]{43}$/);

/** `GET /api/v1/public/form`: a form token to send back with the photos and the report. */
export interface PublicFormToken {
  formToken: string;
  /** The report is refused if sent sooner than this after the token was issued (a person needs longer to fill the form). */
  minFillSeconds: number;
  /** The token is refused after this long; the page fetches a new one. */
  maxAgeSeconds: number;
}

/**
 * Body of `POST /api/v1/public/reports`: the report, the form token it was filled under, and
 * the honeypot (empty, or absent, for a person).
 */
export const publicSubmissionSchema = publicReportSchema.extend({
  formToken: formTokenSchema,
  [HONEYPOT_FIELD]: z.string().max(200).optional(),
});
export type PublicSubmission = z.infer<typeof publicSubmissionSchema>;

/** One item a resident can choose (`GET /api/v1/public/items`): only what a resident needs to choose well. */
export interface PublicItem {
  code: string;
  name: string;
  nameEn: string;
  category: string;
  categoryName: string;
  categoryNameEn: string;
  /** The body that handles it (责任部门): the short help shown under the name. */
  department: string;
}

/** A matter the grid does not take (清单外事项): the resident may still report it; it is recorded and handed to `receivingBody`. */
export interface PublicReferral {
  code: string;
  name: string;
  nameEn: string;
  receivingBody: string;
}

/** `GET /api/v1/public/items`: the admitted list of the active catalog, and the matters outside it. */
export interface PublicItemsResponse {
  catalogVersion: number;
  items: PublicItem[];
  referrals: PublicReferral[];
}

/** Body of `POST /api/v1/public/classify`: what the resident has typed so far (short; the suggestion needs the gist). */
export const publicClassifySchema = z.object({ text: cleanText({ max: 1000, multiline: true }) }).strict();

/** One suggestion for the resident: an item of the public list and how sure the model is (0–1). */
export interface PublicSuggestion {
  itemCode: string;
  score: number;
}

/** `POST /api/v1/public/classify`: at most three items, best first; empty when nothing fits. */
export interface PublicClassifyResponse {
  suggestions: PublicSuggestion[];
}

/** `201` answer of `POST /api/v1/public/attachments`: reference it in the report as `{ id, name }`. */
export interface PublicAttachment {
  id: string;
  name: string;
}
