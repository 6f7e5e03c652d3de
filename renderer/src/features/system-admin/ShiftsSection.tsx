import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { minutesOfDay, shiftProblems, type Shift, type ShiftSchedule } from '../../../../shared/contracts/settings.js';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { TimeInput } from './TimeInput';
import { useSettingsDraft } from './use-settings-draft';

const DAY = 24 * 60;

/** The day from 00:00 to 24:00 with each shift as a band, so a gap or an overlap shows at once. */
function ShiftBar({ shifts }: { shifts: readonly Shift[] }) {
  const { t, i18n } = useTranslation();
  const bands = shifts.flatMap((s, i) => {
    const start = minutesOfDay(s.start);
    const length = (minutesOfDay(s.end) - start + DAY) % DAY || DAY;
    const name = i18n.language === 'en' ? s.nameEn : s.name;
    // a shift across midnight is drawn as two bands: to 24:00 and from 00:00
    return start + length <= DAY ? [{ i, from: start, to: start + length, name }] : [{ i, from: start, to: DAY, name }, { i, from: 0, to: start + length - DAY, name }];
  });
  return (
    <div className="shift-bar" role="img" aria-label={t('admin.system.shiftBar')}>
      {bands.map((b, k) => (
        <span key={k} className="shift-band" data-index={b.i % 4} style={{ left: `${(b.from / DAY) * 100}%`, width: `${((b.to - b.from) / DAY) * 100}%` }}>
          {b.to - b.from >= 120 ? b.name : ''}
        </span>
      ))}
      {[0, 6, 12, 18, 24].map((h) => (
        <span key={h} className="shift-tick" style={{ left: `${(h / 24) * 100}%` }}>
          {String(h).padStart(2, '0')}:00
        </span>
      ))}
    </div>
  );
}

/**
 * The command centre's shifts (班次): name in both languages, start and end (China time), duty
 * lead. They must follow one another around the clock; a gap or an overlap is named on the shift
 * that ends wrong, before saving. The top bar and the shift briefing read them.
 */
export function ShiftsSection({ onNotice }: { onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { stored, save, value, dirty, setDraft, discard } = useSettingsDraft('shifts');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (stored.isError) return <p className="admin-field-error">{t('admin.common.loadFailed', { message: stored.error.message })}</p>;
  if (!value) return <p className="admin-empty">{t('admin.common.loading')}</p>;
  const shifts = value.shifts;
  const local = shiftProblems(shifts);
  const setShift = (i: number, patch: Partial<Shift>) => setDraft({ shifts: shifts.map((s, j) => (j === i ? { ...s, ...patch } : s)) });
  const localError = (i: number, key: string) => {
    const p = local.find((x) => x.path[1] === i && x.path[2] === key);
    return p ? t(`admin.system.shiftProblem.${p.code}`) : undefined;
  };
  const error = (i: number, key: string) => localError(i, key) ?? fieldProblem(problem, `shifts.${i}.${key}`);
  const blank = shifts.some((s) => !s.name.trim() || !s.nameEn.trim());
  const confirm = () =>
    save.mutate(value as ShiftSchedule, {
      onSuccess: () => {
        discard();
        setConfirming(false);
        setProblem(null);
        onNotice({ tone: 'ok', text: t('admin.system.shiftsSaved') });
      },
      onError: (err) => setProblem(problemOf(err, t)),
    });
  return (
    <div className="admin-split" style={{ gridTemplateColumns: 'minmax(0, 1fr)' }}>
      <section className="admin-panel" aria-labelledby="shifts-title" data-testid="shifts">
        <div className="admin-heading">
          <h2 id="shifts-title">{t('admin.system.shiftsTitle')}</h2>
          <div className="admin-heading-end">
            <button type="button" className="admin-button admin-button-primary" disabled={!dirty || local.length > 0 || blank} onClick={() => setConfirming(true)} data-testid="shifts-save">
              {t('admin.common.save')}
            </button>
            <button type="button" className="admin-button" disabled={!dirty} onClick={discard}>
              {t('admin.common.discard')}
            </button>
          </div>
        </div>
        <p className="admin-hint">{t('admin.system.shiftsHint')}</p>
        <ShiftBar shifts={shifts} />
        <table className="admin-table shift-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.system.shiftName')}</th>
              <th scope="col">{t('admin.system.shiftNameEn')}</th>
              <th scope="col">{t('admin.system.shiftStart')}</th>
              <th scope="col">{t('admin.system.shiftEnd')}</th>
              <th scope="col">{t('admin.system.shiftLead')}</th>
              <th scope="col">
                <span className="sr-only">{t('admin.common.remove')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {shifts.map((s, i) => (
              <tr key={i} data-testid="shift-row">
                <td>
                  <input className="admin-input" value={s.name} onChange={(e) => setShift(i, { name: e.target.value })} maxLength={16} aria-label={t('admin.system.shiftName')} aria-invalid={error(i, 'name') ? true : undefined} data-testid="shift-name" />
                  {error(i, 'name') && <p className="admin-field-error">{error(i, 'name')}</p>}
                </td>
                <td>
                  <input className="admin-input" value={s.nameEn} onChange={(e) => setShift(i, { nameEn: e.target.value })} maxLength={32} aria-label={t('admin.system.shiftNameEn')} />
                </td>
                <td>
                  <TimeInput value={s.start} onChange={(v) => setShift(i, { start: v })} label={t('admin.system.shiftStart')} testId="shift-start" />
                </td>
                <td>
                  <TimeInput value={s.end} onChange={(v) => setShift(i, { end: v })} label={t('admin.system.shiftEnd')} invalid={Boolean(error(i, 'end'))} testId="shift-end" />
                  {error(i, 'end') && (
                    <p className="admin-field-error" data-testid="shift-end-error">
                      {error(i, 'end')}
                    </p>
                  )}
                </td>
                <td>
                  <input
                    className="admin-input"
                    value={s.lead ?? ''}
                    onChange={(e) => setShift(i, { lead: e.target.value.trim() ? e.target.value : null })}
                    maxLength={32}
                    placeholder={t('admin.system.shiftLeadNone')}
                    aria-label={t('admin.system.shiftLead')}
                    data-testid="shift-lead"
                  />
                </td>
                <td>
                  <button type="button" className="admin-button admin-button-small" disabled={shifts.length <= 1} onClick={() => setDraft({ shifts: shifts.filter((_, j) => j !== i) })}>
                    {t('admin.common.remove')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="admin-actions">
          <button
            type="button"
            className="admin-button admin-button-small"
            disabled={shifts.length >= 6}
            onClick={() => setDraft({ shifts: [...shifts, { name: '', nameEn: '', start: shifts.at(-1)?.end ?? '08:30', end: shifts[0]?.start ?? '08:30', lead: null }] })}
            data-testid="shift-add"
          >
            + {t('admin.system.addShift')}
          </button>
        </div>
      </section>
      {confirming && (
        <ConfirmDialog title={t('admin.system.shiftsConfirmTitle')} confirmLabel={t('admin.common.save')} busy={save.isPending} error={problem?.message} onConfirm={confirm} onCancel={() => setConfirming(false)}>
          <ul>
            {shifts.map((s, i) => (
              <li key={i}>
                {s.name} {s.start}–{s.end} · {s.lead ?? t('admin.system.shiftLeadNone')}
              </li>
            ))}
          </ul>
        </ConfirmDialog>
      )}
    </div>
  );
}
