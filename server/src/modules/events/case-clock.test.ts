import { describe, expect, it } from 'vitest';
import { DEFAULT_CALENDAR } from '../../../../shared/domain/working-calendar.js';
import type { StepLimits } from '../../../../shared/contracts/catalog.js';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { chainedDue, NO_STEP, startStep, stateAfterMove } from './case-clock.js';

const settings: WorkflowSettings = {
  calendar: DEFAULT_CALENDAR,
  duplicates: { radiusMeters: 100, windowHours: 24, sameAddress: true, sameMicroGrid: false },
  warnAtFraction: 0.8,
};
const limits: StepLimits = {
  file: { value: 30, unit: 'minutes' },
  dispatch: { value: 1, unit: 'work_hours' },
  handle: { value: 1, unit: 'work_days' },
  verify: { value: 2, unit: 'work_hours' },
};
// Friday 2026-11-27, 16:30 in the county: one working hour left in the week.
const friday = new Date('2026-11-27T16:30:00+08:00');

describe('step clocks', () => {
  it('starts a step with its warning point and deadline on the calendar', () => {
    expect(startStep('file', friday, limits, settings)).toEqual({
      step: 'file',
      stepStartedAt: friday.toISOString(),
      warnAt: new Date('2026-11-27T16:54:00+08:00').toISOString(),
      deadlineAt: new Date('2026-11-27T17:00:00+08:00').toISOString(),
      deadlineState: 'ok',
    });
    // a working day (7.5 working hours) from Friday 16:30: 1 h on Friday, 6.5 h on Monday
    expect(startStep('handle', friday, limits, settings).deadlineAt).toBe(new Date('2026-11-30T16:30:00+08:00').toISOString());
    expect(startStep(null, friday, limits, settings)).toEqual(NO_STEP);
  });

  it('chains the closing deadline through the steps', () => {
    // 30 min → 17:00; 1 wh → Mon 09:00 (17:00–17:30, then 08:30–09:00); 1 wd → Tue 09:00; 2 wh → Tue 11:00
    expect(chainedDue(friday, limits, ['file', 'dispatch', 'handle', 'verify'], settings)).toBe(new Date('2026-12-01T11:00:00+08:00').toISOString());
  });

  it('lowers the deadline state after a move, never raises it', () => {
    const now = new Date('2026-11-27T10:00:00Z');
    const past = '2026-11-27T09:00:00.000Z';
    const future = '2026-11-27T11:00:00.000Z';
    expect(stateAfterMove('overdue', future, future, now)).toBe('ok');
    expect(stateAfterMove('overdue', past, future, now)).toBe('warning');
    expect(stateAfterMove('overdue', past, past, now)).toBe('overdue');
    expect(stateAfterMove('ok', past, past, now)).toBe('ok');
    expect(stateAfterMove('warning', future, future, now)).toBe('ok');
  });
});
