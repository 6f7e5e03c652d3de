import { describe, expect, it } from 'vitest';
import type { AssessmentRow } from '../../../../shared/contracts/assessment.js';
import { draftOf, draftProblems, listStep, reviewsToSave, scoreOf } from './assessment-view';

const row = (workerId: string, de: number | null, neng: number | null, comment: string | null): AssessmentRow =>
  ({ workerId, de, neng, comment, suggested: null, decisions: [] }) as unknown as AssessmentRow;

describe('assessment view', () => {
  it('reads scores of 0–100 in half points only', () => {
    expect(['0', '100', '85.5', ' 70 '].map(scoreOf)).toEqual([0, 100, 85.5, 70]);
    expect(['', '101', '85.3', '-1', 'abc', '8e1'].map(scoreOf)).toEqual([null, null, null, null, null, null]);
  });
  it('sends only changed, complete drafts and names the incomplete ones', () => {
    const rows = [row('W1', 80, 80, '好'), row('W2', null, null, null), row('W3', null, null, null), row('W4', 70, 70, '一般')];
    const drafts = new Map([
      ['W1', { ...draftOf(rows[0]!), de: '90' }],
      ['W2', { de: '75', neng: '80', comment: ' 认真 ' }],
      ['W3', { de: '75', neng: '', comment: '缺能' }],
      ['W4', draftOf(rows[3]!)],
    ]);
    expect(reviewsToSave(rows, drafts)).toEqual({
      ready: [
        { workerId: 'W1', de: 90, neng: 80, comment: '好' },
        { workerId: 'W2', de: 75, neng: 80, comment: '认真' },
      ],
      incomplete: ['W3'],
    });
    expect(draftProblems({ de: 'x', neng: '50', comment: ' ' })).toEqual(['de', 'comment']);
  });
  it('tells what a list asks of the user: propose, decide someone else\'s, or wait', () => {
    const base = { suggested: 'reward' as const, decisions: [] };
    expect(listStep(base, 'reward', '甲')).toBe('propose');
    expect(listStep(base, 'exit_review', '甲')).toBeNull();
    const proposed = { suggested: null, decisions: [{ list: 'reward' as const, proposal: 'x', proposedBy: '甲', proposedAt: '', decision: null, decidedBy: null, decidedAt: null, reason: null }] };
    expect(listStep(proposed, 'reward', '甲')).toBe('own_pending');
    expect(listStep(proposed, 'reward', '乙')).toBe('decide');
    expect(listStep({ ...proposed, decisions: [{ ...proposed.decisions[0]!, decision: 'approved' as const }] }, 'reward', '乙')).toBe('approved');
  });
});
