import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Why a form token is refused (a field code of `formToken`, worded in server/src/http/messages.ts). */
export type FormTokenProblem = 'form_invalid' | 'form_expired' | 'form_too_fast' | 'form_used';

export interface FormTokenLimits {
  /** A report sent sooner than this after its form was opened is a robot's (a person reads, types, takes a photo). */
  minFillMs: number;
  /** A token older than this is refused; the page quietly fetches a new one. */
  maxAgeMs: number;
}

/** At most this many photos may be uploaded under one form (the report takes 6; retries and replaced photos need some room). */
export const MAX_UPLOADS_PER_FORM = 12;

/**
 * Open forms kept at most (~200 bytes each): past it the oldest are forgotten (their reports get
 * `form_expired` and the page fetches a new token), so a flood of token requests from many
 * addresses cannot grow the memory without bound.
 */
const MAX_OPEN_FORMS = 100_000;

interface Issued {
  expiresAt: number;
  used: boolean;
  attachments: Set<string>;
}

/**
 * Signed form tokens: the page asks for one when it opens; photos and the report carry it.
 * No internet means no reCAPTCHA, and a proof of work costs an old phone more than a robot's
 * server, so the check is this instead:
 * - the token is an HMAC (a key made at start, never stored: a restart voids open forms, and the
 *   page fetches a new token and sends again) over when it was issued and a random nonce;
 * - a report is refused sooner than `minFillMs` after issue, later than `maxAgeMs`, or with a
 *   token already used for a report (one token, one report);
 * - a photo is bound to the form it was uploaded under: the report may only reference photos
 *   uploaded with its own token, so nobody attaches photos they did not upload.
 * The state (nonces used, photos per form) lives in memory and is dropped when the token expires.
 */
export class FormTokens {
  private readonly key = randomBytes(32);
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly limits: FormTokenLimits) {}

  issue(now: Date): string {
    this.prune(now.getTime());
    const nonce = randomBytes(16).toString('base64url');
    const body = `${now.getTime().toString(36)}.${nonce}`;
    if (this.issued.size >= MAX_OPEN_FORMS) this.issued.delete(this.issued.keys().next().value!);
    this.issued.set(nonce, { expiresAt: now.getTime() + this.limits.maxAgeMs, used: false, attachments: new Set() });
    return `${body}.${this.sign(body)}`;
  }

  /** Checks a token for a photo upload (no minimum fill time: the photo comes early); its nonce, or the problem. */
  forUpload(token: string, now: Date): { nonce: string } | { problem: FormTokenProblem } {
    const checked = this.verify(token, now);
    if ('problem' in checked) return checked;
    const state = this.issued.get(checked.nonce)!;
    if (state.attachments.size >= MAX_UPLOADS_PER_FORM) return { problem: 'form_used' };
    return checked;
  }

  /** Records that a photo was uploaded under the form of `nonce`. */
  attach(nonce: string, attachmentId: string): void {
    this.issued.get(nonce)?.attachments.add(attachmentId);
  }

  /**
   * Checks a token for a report: the form was open long enough, is not too old, was not used
   * yet, and uploaded every photo the report names (the ids it did not are returned).
   */
  forReport(token: string, attachmentIds: readonly string[], now: Date): { nonce: string; foreign: string[] } | { problem: FormTokenProblem } {
    const checked = this.verify(token, now);
    if ('problem' in checked) return checked;
    if (now.getTime() - checked.issuedAt < this.limits.minFillMs) return { problem: 'form_too_fast' };
    const state = this.issued.get(checked.nonce)!;
    return { nonce: checked.nonce, foreign: attachmentIds.filter((id) => !state.attachments.has(id)) };
  }

  /** Marks the form of `nonce` used: its token sends no second report. */
  use(nonce: string): void {
    const state = this.issued.get(nonce);
    if (state) state.used = true;
  }

  private verify(token: string, now: Date): { nonce: string; issuedAt: number } | { problem: FormTokenProblem } {
    const [issuedText, nonce, mac] = token.split('.');
    if (!issuedText || !nonce || !mac) return { problem: 'form_invalid' };
    const expected = Buffer.from(this.sign(`${issuedText}.${nonce}`));
    const given = Buffer.from(mac);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { problem: 'form_invalid' };
    const issuedAt = parseInt(issuedText, 36);
    if (now.getTime() - issuedAt > this.limits.maxAgeMs) return { problem: 'form_expired' };
    const state = this.issued.get(nonce);
    // signed by this process but forgotten: it expired and was pruned
    if (!state) return { problem: 'form_expired' };
    if (state.used) return { problem: 'form_used' };
    return { nonce, issuedAt };
  }

  private sign(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }

  private prune(now: number): void {
    for (const [nonce, state] of this.issued) if (state.expiresAt < now) this.issued.delete(nonce);
  }
}
