import { describe, expect, it } from 'vitest';
import { attendanceBodyOf, attendanceErrors, choiceOf, draftRowOf, hoursOf, passedOf, type AttendanceDraftRow } from './training-view';

const row = (workerId: string, hours: string, passed: AttendanceDraftRow['passed'] = 'none'): AttendanceDraftRow => ({ workerId, name: workerId, townId: '110101001', hours, passed });

describe('hoursOf', () => {
  it('reads positive hours and refuses the rest', () => {
    expect(hoursOf('2.5')).toBe(2.5);
    expect(hoursOf(' 3 ')).toBe(3);
    expect(hoursOf('')).toBeNull();
    expect(hoursOf('0')).toBeNull();
    expect(hoursOf('-1')).toBeNull();
    expect(hoursOf('abc')).toBeNull();
  });
});

describe('passed choices', () => {
  it('maps the three choices to the API and back', () => {
    expect(passedOf('passed')).toBe(true);
    expect(passedOf('failed')).toBe(false);
    expect(passedOf('none')).toBeNull();
    expect(choiceOf(true)).toBe('passed');
    expect(choiceOf(false)).toBe('failed');
    expect(choiceOf(null)).toBe('none');
  });

  it('takes a recorded row back into the form as it was', () => {
    expect(draftRowOf({ workerId: 'W00001', name: '王洁', townId: '110101001', hours: 1.5, passed: false, recordedBy: 'u', recordedAt: '2026-11-20T02:00:00Z' })).toEqual({
      workerId: 'W00001',
      name: '王洁',
      townId: '110101001',
      hours: '1.5',
      passed: 'failed',
    });
  });
});

describe('attendanceBodyOf', () => {
  it('sends each row with numeric hours and its result; hours over the session are left to the server', () => {
    expect(attendanceBodyOf([row('W00001', '2.5', 'passed'), row('W00002', '4'), row('W00003', '0', 'failed')])).toEqual({
      body: [
        { workerId: 'W00001', hours: 2.5, passed: true },
        { workerId: 'W00002', hours: 4, passed: null },
        { workerId: 'W00003', hours: 0, passed: false },
      ],
    });
  });

  it('names the rows whose hours are empty or not a number, and sends nothing', () => {
    expect(attendanceBodyOf([row('W00001', ''), row('W00002', '2'), row('W00003', 'x')])).toEqual({ missingHours: ['W00001', 'W00003'] });
  });
});

describe('attendanceErrors', () => {
  const sent = [{ workerId: 'W00001' }, { workerId: 'W00002' }, { workerId: 'W00003' }];

  it('puts each refused field on the worker of the row that was sent', () => {
    const { byWorker, general } = attendanceErrors(
      [
        { field: '0.workerId', code: 'worker_outside_town', message: '不属于本镇街' },
        { field: '2.hours', code: 'over_session_hours', message: '学时不能超过本场培训的 2.5 学时' },
        { field: '2.workerId', code: 'worker_left', message: '已离职' },
      ],
      sent,
    );
    expect(byWorker.get('W00001')).toEqual({ workerId: '不属于本镇街' });
    expect(byWorker.get('W00002')).toBeUndefined();
    expect(byWorker.get('W00003')).toEqual({ hours: '学时不能超过本场培训的 2.5 学时', workerId: '已离职' });
    expect(general).toEqual([]);
  });

  it('keeps two words on one field, an unknown field on the row, and what names no row apart', () => {
    const { byWorker, general } = attendanceErrors(
      [
        { field: '1.hours', code: 'too_big', message: 'a' },
        { field: '1.hours', code: 'other', message: 'b' },
        { field: '1.extra', code: 'unknown_field', message: 'c' },
        { field: '(body)', code: 'too_small', message: 'd' },
        { field: '7.hours', code: 'too_big', message: 'e' },
      ],
      sent,
    );
    expect(byWorker.get('W00002')).toEqual({ hours: 'a；b', row: 'c' });
    expect(general).toEqual(['d', 'e']);
  });
});
