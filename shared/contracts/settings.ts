import { z } from 'zod';
import { cleanText } from './text.js';

// Settings the system administrator keeps besides the workflow settings (workflow.ts): the
// command centre's shift schedule and how long the server keeps data that only serves a while.

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/);

/** Minutes after midnight of an `hh:mm` time. */
export function minutesOfDay(time: string): number {
  const [h, m] = time.split(':');
  return Number(h) * 60 + Number(m);
}

/**
 * A shift of the command centre (班次), in China Standard Time. `end` before `start` crosses
 * midnight (夜班 17:30–08:30). `lead` is the duty lead (带班领导) who answers for the shift, as the
 * top bar and the shift briefing name them.
 */
export const shiftSchema = z
  .object({
    name: cleanText({ max: 16 }),
    nameEn: cleanText({ max: 32 }),
    start: hhmm,
    end: hhmm,
    lead: cleanText({ max: 32 }).nullable(),
  })
  .strict();
export type Shift = z.infer<typeof shiftSchema>;

/** Why a shift schedule cannot be used, as field codes (the server words them in both languages). */
export type ShiftProblemCode =
  /** Two shifts share a name. */
  | 'duplicate_name'
  /** A shift of no length beside others (start = end means 24 hours only for a single shift). */
  | 'empty_shift'
  /** A shift does not end where the next one (by start time) begins: a gap or an overlap. */
  | 'shift_not_contiguous';

export interface ShiftProblem {
  /** Path under the body, e.g. `shifts.1.end`. */
  path: (string | number)[];
  code: ShiftProblemCode;
}

/**
 * The schedule's rules: the shifts follow one another around the clock, each ending where the
 * next begins, so every minute of the day belongs to exactly one shift (a command centre is never
 * unstaffed and never has two leads at once). Checked by the contract and by the console as the
 * administrator types.
 */
export function shiftProblems(shifts: readonly Pick<Shift, 'name' | 'start' | 'end'>[]): ShiftProblem[] {
  const problems: ShiftProblem[] = [];
  const seen = new Map<string, number>();
  shifts.forEach((s, i) => {
    const key = s.name.trim();
    if (seen.has(key)) problems.push({ path: ['shifts', i, 'name'], code: 'duplicate_name' });
    else seen.set(key, i);
  });
  if (shifts.length < 2) return problems;
  const order = shifts.map((s, i) => ({ i, start: minutesOfDay(s.start), end: minutesOfDay(s.end) })).sort((a, b) => a.start - b.start || a.i - b.i);
  order.forEach((s, k) => {
    if (s.start === s.end) {
      problems.push({ path: ['shifts', s.i, 'end'], code: 'empty_shift' });
      return;
    }
    const next = order[(k + 1) % order.length]!;
    if (s.end !== next.start) problems.push({ path: ['shifts', s.i, 'end'], code: 'shift_not_contiguous' });
  });
  return problems;
}

/** `GET/PUT /api/v1/settings/shifts`: the shifts of a day, around the clock. */
export const shiftScheduleSchema = z
  .object({ shifts: z.array(shiftSchema).min(1).max(6) })
  .strict()
  .superRefine((schedule, ctx) => {
    for (const p of shiftProblems(schedule.shifts)) ctx.addIssue({ code: 'custom', path: p.path, message: p.code, params: { code: p.code } });
  });
export type ShiftSchedule = z.infer<typeof shiftScheduleSchema>;

/**
 * How long the server keeps data that serves only for a while (`GET/PUT /api/v1/settings/retention`).
 * A pruning job deletes older rows every hour. The audit trail is never pruned: it is kept whole
 * (append-only, hash-chained), whatever these say.
 */
export const retentionSettingsSchema = z
  .object({
    /** Days a team's reported positions (its trail) are kept; the team's last position stays. */
    positionTrailDays: z.number().int().min(7).max(3650),
    /**
     * Days an Idempotency-Key of an intake or a case action is remembered: a retry within them
     * gets the first answer; a retry after them is taken as new. Phones may retry after days offline.
     */
    idempotencyKeyDays: z.number().int().min(7).max(3650),
  })
  .strict();
export type RetentionSettings = z.infer<typeof retentionSettingsSchema>;
