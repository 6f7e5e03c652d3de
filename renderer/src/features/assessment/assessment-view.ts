import type { AssessmentList, AssessmentRow } from '../../../../shared/contracts/assessment.js';

/**
 * Pure view logic of the assessment panel (德能勤绩): which rows a reviewer changed, and what a
 * row's lists ask of the user now.
 */

/** 德 and 能 as typed in a row: text, so a half-typed number is kept while typing. */
export interface ReviewDraft {
  de: string;
  neng: string;
  comment: string;
}

export const draftOf = (r: Pick<AssessmentRow, 'de' | 'neng' | 'comment'>): ReviewDraft => ({
  de: r.de === null ? '' : String(r.de),
  neng: r.neng === null ? '' : String(r.neng),
  comment: r.comment ?? '',
});

/** A score as the server takes it (0–100 in half points), or null when the text is not one. */
export function scoreOf(text: string): number | null {
  const t = text.trim();
  if (!/^\d{1,3}(\.\d)?$/.test(t)) return null;
  const v = Number(t);
  return v >= 0 && v <= 100 && Number.isInteger(v * 2) ? v : null;
}

export type DraftProblem = 'de' | 'neng' | 'comment';

/** What is wrong with a draft (nothing: []). */
export function draftProblems(d: ReviewDraft): DraftProblem[] {
  const out: DraftProblem[] = [];
  if (scoreOf(d.de) === null) out.push('de');
  if (scoreOf(d.neng) === null) out.push('neng');
  if (d.comment.trim() === '') out.push('comment');
  return out;
}

/**
 * The reviews to send: drafts that differ from the row as loaded and are complete. Incomplete
 * changed drafts are returned apart, so the panel can point at them instead of sending half.
 */
export function reviewsToSave(rows: readonly AssessmentRow[], drafts: ReadonlyMap<string, ReviewDraft>) {
  const ready: Array<{ workerId: string; de: number; neng: number; comment: string }> = [];
  const incomplete: string[] = [];
  for (const r of rows) {
    const d = drafts.get(r.workerId);
    if (!d) continue;
    const before = draftOf(r);
    if (d.de === before.de && d.neng === before.neng && d.comment === before.comment) continue;
    if (draftProblems(d).length > 0) incomplete.push(r.workerId);
    else ready.push({ workerId: r.workerId, de: scoreOf(d.de)!, neng: scoreOf(d.neng)!, comment: d.comment.trim() });
  }
  return { ready, incomplete };
}

/** What a row's list shows the user: propose (suggested, not yet proposed), decide (another's undecided proposal), or the state. */
export function listStep(r: Pick<AssessmentRow, 'suggested' | 'decisions'>, list: AssessmentList, me: string): 'propose' | 'decide' | 'own_pending' | 'approved' | 'rejected' | null {
  const d = r.decisions.find((x) => x.list === list);
  if (!d) return r.suggested === list ? 'propose' : null;
  if (d.decision) return d.decision;
  return d.proposedBy === me ? 'own_pending' : 'decide';
}
