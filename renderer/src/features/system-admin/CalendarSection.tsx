import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkflowSettings, WorkingCalendar } from '../../../../shared/contracts/workflow.js';
import { countyDayStart, COUNTY_UTC_OFFSET_MS } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { calendarProblems, dayKind, listChanges, monthGrid, toggleDay, type DayKind } from './calendar-model';
import { TimeInput } from './TimeInput';
import { useSettingsDraft } from './use-settings-draft';

const KIND_MARK: Record<DayKind, string> = { workday: '', weekend: '休', holiday: '假', adjusted_workday: '班' };
const WEEK_ORDER = [1, 2, 3, 4, 5, 6, 0];

/**
 * The working calendar (工作日历) as a month to click: a weekday becomes a public holiday, a
 * weekend day a 调休 workday, and back; beside it the working periods of a day and the weekend
 * days. Deadlines counted in working hours and days follow it from the next computation on.
 */
export function CalendarSection({ onNotice }: { onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { stored, save, value, dirty, setDraft, discard } = useSettingsDraft('workflow');
  const now = useNow(60_000);
  const today = new Date(countyDayStart(now) + COUNTY_UTC_OFFSET_MS);
  const [month, setMonth] = useState({ year: today.getUTCFullYear(), month: today.getUTCMonth() + 1 });
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (stored.isError) return <p className="admin-field-error">{t('admin.common.loadFailed', { message: stored.error.message })}</p>;
  if (!value || !stored.data) return <p className="admin-empty">{t('admin.common.loading')}</p>;
  const cal = value.calendar;
  const setCal = (next: WorkingCalendar) => setDraft({ ...value, calendar: next });
  const problems = calendarProblems(cal);
  const holidays = listChanges(stored.data.calendar.holidays, cal.holidays);
  const workdays = listChanges(stored.data.calendar.workdays, cal.workdays);
  const step = (by: number) => setMonth(({ year, month: m }) => ({ year: m + by > 12 ? year + 1 : m + by < 1 ? year - 1 : year, month: ((m + by + 11) % 12) + 1 }));
  const todayIso = today.toISOString().slice(0, 10);

  const confirm = () =>
    save.mutate(value as WorkflowSettings, {
      onSuccess: () => {
        discard();
        setConfirming(false);
        setProblem(null);
        onNotice({ tone: 'ok', text: t('admin.system.calendarSaved') });
      },
      onError: (err) => setProblem(problemOf(err, t)),
    });

  return (
    <div className="admin-split calendar-split">
      <section className="admin-panel" aria-labelledby="calendar-title" data-testid="calendar">
        <div className="admin-heading">
          <h2 id="calendar-title">{t('admin.system.calendarTitle')}</h2>
          <div className="calendar-nav">
            <button type="button" className="admin-button admin-button-small" onClick={() => step(-1)} aria-label={t('admin.system.prevMonth')} data-testid="calendar-prev">
              ‹
            </button>
            <span className="calendar-month" data-testid="calendar-month">
              {t('admin.system.monthLabel', { year: month.year, month: month.month })}
            </span>
            <button type="button" className="admin-button admin-button-small" onClick={() => step(1)} aria-label={t('admin.system.nextMonth')} data-testid="calendar-next">
              ›
            </button>
          </div>
          <div className="admin-heading-end calendar-legend" aria-label={t('admin.system.legend')}>
            {(['workday', 'weekend', 'holiday', 'adjusted_workday'] as const).map((k) => (
              <span key={k} className="calendar-legend-item" data-kind={k}>
                <span className="calendar-swatch" data-kind={k}>
                  {KIND_MARK[k] || '·'}
                </span>
                {t(`admin.system.dayKind.${k}`)}
              </span>
            ))}
          </div>
        </div>
        <p className="admin-hint">{t('admin.system.calendarHint')}</p>
        <table className="calendar-grid" role="grid" aria-labelledby="calendar-title">
          <thead>
            <tr>
              {WEEK_ORDER.map((d) => (
                <th key={d} scope="col" data-weekend={cal.weekendDays.includes(d) || undefined}>
                  {t(`admin.system.weekday.${d}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {monthGrid(month.year, month.month).map((week) => (
              <tr key={week[0]!.day}>
                {week.map(({ day, inMonth }) => {
                  const kind = dayKind(day, cal);
                  const changed = holidays.added.includes(day) || holidays.removed.includes(day) || workdays.added.includes(day) || workdays.removed.includes(day);
                  return (
                    <td key={day} data-in-month={inMonth}>
                      <button
                        type="button"
                        className="calendar-day"
                        data-kind={kind}
                        data-changed={changed || undefined}
                        data-today={day === todayIso || undefined}
                        data-day={day}
                        onClick={() => setCal(toggleDay(cal, day))}
                        aria-label={`${day} ${t(`admin.system.dayKind.${kind}`)}${changed ? ` (${t('admin.system.unsaved')})` : ''}`}
                        aria-pressed={kind === 'holiday' || kind === 'adjusted_workday'}
                        data-testid="calendar-day"
                      >
                        <span className="calendar-day-number">{Number(day.slice(8))}</span>
                        <span className="calendar-day-kind">{kind === 'workday' ? '' : t(`admin.system.dayKindShort.${kind}`)}</span>
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <div className="admin-column">
        <PeriodsPanel cal={cal} onChange={setCal} problems={problems} serverProblem={problem} />
        <section className="admin-panel" aria-labelledby="calendar-save-title">
          <h2 id="calendar-save-title">{t('admin.system.pendingTitle')}</h2>
          {dirty ? (
            <ul className="calendar-pending" data-testid="calendar-pending">
              {holidays.added.length > 0 && <li>{t('admin.system.holidaysAdded', { days: holidays.added.join(t('list.separator')) })}</li>}
              {holidays.removed.length > 0 && <li>{t('admin.system.holidaysRemoved', { days: holidays.removed.join(t('list.separator')) })}</li>}
              {workdays.added.length > 0 && <li>{t('admin.system.workdaysAdded', { days: workdays.added.join(t('list.separator')) })}</li>}
              {workdays.removed.length > 0 && <li>{t('admin.system.workdaysRemoved', { days: workdays.removed.join(t('list.separator')) })}</li>}
              {JSON.stringify(cal.periods) !== JSON.stringify(stored.data.calendar.periods) && <li>{t('admin.system.periodsChanged')}</li>}
              {JSON.stringify([...cal.weekendDays].sort()) !== JSON.stringify([...stored.data.calendar.weekendDays].sort()) && <li>{t('admin.system.weekendChanged')}</li>}
            </ul>
          ) : (
            <p className="admin-hint">{t('admin.system.noPending')}</p>
          )}
          <p className="admin-hint">{t('admin.system.calendarApplies')}</p>
          <div className="admin-actions">
            <button type="button" className="admin-button admin-button-primary" disabled={!dirty || problems.length > 0} onClick={() => setConfirming(true)} data-testid="calendar-save">
              {t('admin.common.save')}
            </button>
            <button type="button" className="admin-button" disabled={!dirty} onClick={discard}>
              {t('admin.common.discard')}
            </button>
          </div>
        </section>
      </div>
      {confirming && (
        <ConfirmDialog title={t('admin.system.calendarConfirmTitle')} confirmLabel={t('admin.common.save')} busy={save.isPending} error={problem?.message} onConfirm={confirm} onCancel={() => setConfirming(false)}>
          <p>{t('admin.system.calendarConfirmBody', { holidays: holidays.added.length + holidays.removed.length, workdays: workdays.added.length + workdays.removed.length })}</p>
          <p className="admin-hint">{t('admin.system.calendarApplies')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}

function PeriodsPanel({ cal, onChange, problems, serverProblem }: { cal: WorkingCalendar; onChange(c: WorkingCalendar): void; problems: ReturnType<typeof calendarProblems>; serverProblem: Problem | null }) {
  const { t } = useTranslation();
  const setPeriod = (i: number, key: 'start' | 'end', v: string) => onChange({ ...cal, periods: cal.periods.map((p, j) => (j === i ? { ...p, [key]: v } : p)) });
  const problemAt = (path: string) => problems.find((p) => p.path === path);
  const server = fieldProblem(serverProblem, 'calendar');
  const minutes = cal.periods.reduce((sum, p) => {
    const [sh, sm] = p.start.split(':').map(Number) as [number, number];
    const [eh, em] = p.end.split(':').map(Number) as [number, number];
    return sum + Math.max(0, eh * 60 + em - (sh * 60 + sm));
  }, 0);
  return (
    <section className="admin-panel" aria-labelledby="periods-title" data-testid="calendar-periods">
      <h2 id="periods-title">{t('admin.system.periodsTitle')}</h2>
      {cal.periods.map((p, i) => {
        const bad = problemAt(`periods.${i}`);
        return (
          <div key={i} className="admin-form-row period-row">
            <TimeInput value={p.start} onChange={(v) => setPeriod(i, 'start', v)} label={t('admin.system.periodStart', { n: i + 1 })} invalid={Boolean(bad)} />
            <span aria-hidden="true">–</span>
            <TimeInput value={p.end} onChange={(v) => setPeriod(i, 'end', v)} label={t('admin.system.periodEnd', { n: i + 1 })} invalid={Boolean(bad)} />
            <button type="button" className="admin-button admin-button-small" disabled={cal.periods.length <= 1} onClick={() => onChange({ ...cal, periods: cal.periods.filter((_, j) => j !== i) })}>
              {t('admin.common.remove')}
            </button>
            {bad && <p className="admin-field-error">{t(`admin.system.calendarProblem.${bad.code}`)}</p>}
          </div>
        );
      })}
      <div className="admin-actions">
        <button
          type="button"
          className="admin-button admin-button-small"
          disabled={cal.periods.length >= 6}
          onClick={() => onChange({ ...cal, periods: [...cal.periods, { start: cal.periods.at(-1)?.end ?? '08:30', end: '17:30' }] })}
        >
          + {t('admin.system.addPeriod')}
        </button>
        <span className="muted">{t('admin.system.hoursPerDay', { hours: (minutes / 60).toFixed(1) })}</span>
      </div>
      <fieldset className="admin-fieldset" aria-invalid={problemAt('weekendDays') ? true : undefined}>
        <legend>{t('admin.system.weekendDays')}</legend>
        <div className="admin-checks">
          {WEEK_ORDER.map((d) => (
            <label key={d} className="admin-check">
              <input
                type="checkbox"
                checked={cal.weekendDays.includes(d)}
                onChange={() => onChange({ ...cal, weekendDays: cal.weekendDays.includes(d) ? cal.weekendDays.filter((x) => x !== d) : [...cal.weekendDays, d].sort() })}
              />
              {t(`admin.system.weekday.${d}`)}
            </label>
          ))}
        </div>
        {problemAt('weekendDays') && <p className="admin-field-error">{t('admin.system.calendarProblem.no_working_day')}</p>}
      </fieldset>
      {server && <p className="admin-field-error">{server}</p>}
    </section>
  );
}

