import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkflowSettings } from '../../../../shared/contracts/workflow.js';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { NumberField } from './NumberField';
import { useSettingsDraft } from './use-settings-draft';

const inRange = (n: number, min: number, max: number) => Number.isFinite(n) && n >= min && n <= max;

/**
 * Deadline defaults and the duplicate rule: when a step warns (the share of its time), and when
 * two reports are taken for the same matter. The step limits themselves are set per item in the
 * admitted-item catalog, which the catalog approver approves.
 */
export function DeadlinesSection({ onNotice }: { onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { stored, save, value, dirty, setDraft, discard } = useSettingsDraft('workflow');
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (stored.isError) return <p className="admin-field-error">{t('admin.common.loadFailed', { message: stored.error.message })}</p>;
  if (!value || !stored.data) return <p className="admin-empty">{t('admin.common.loading')}</p>;
  const percent = Math.round(value.warnAtFraction * 100);
  const d = value.duplicates;
  const local = {
    warnAtFraction: inRange(value.warnAtFraction, 0.1, 0.99) ? undefined : t('admin.system.rangeError', { min: 10, max: 99 }),
    radiusMeters: inRange(d.radiusMeters, 0, 5000) && Number.isInteger(d.radiusMeters) ? undefined : t('admin.system.rangeError', { min: 0, max: 5000 }),
    windowHours: inRange(d.windowHours, 0, 720) ? undefined : t('admin.system.rangeError', { min: 0, max: 720 }),
  };
  const invalid = Object.values(local).some(Boolean);
  const set = (next: Partial<WorkflowSettings>) => setDraft({ ...value, ...next });
  const setDup = (next: Partial<WorkflowSettings['duplicates']>) => set({ duplicates: { ...d, ...next } });
  const confirm = () =>
    save.mutate(value, {
      onSuccess: () => {
        discard();
        setConfirming(false);
        setProblem(null);
        onNotice({ tone: 'ok', text: t('admin.system.deadlinesSaved') });
      },
      onError: (err) => setProblem(problemOf(err, t)),
    });
  return (
    <div className="admin-split admin-split-top" style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' }}>
      <section className="admin-panel" aria-labelledby="deadlines-title" data-testid="deadlines">
        <h2 id="deadlines-title">{t('admin.system.deadlinesTitle')}</h2>
        <NumberField
          label={t('admin.system.warnAt')}
          unit="%"
          value={percent}
          min={10}
          max={99}
          hint={t('admin.system.warnAtHint', { percent })}
          error={local.warnAtFraction ?? fieldProblem(problem, 'warnAtFraction')}
          onChange={(n) => set({ warnAtFraction: n / 100 })}
          testId="warn-at"
        />
        <p className="admin-info">{t('admin.system.stepLimitsWhere')}</p>
        <h3>{t('admin.system.duplicatesTitle')}</h3>
        <div className="admin-form-row">
          <NumberField
            label={t('admin.system.radius')}
            unit={t('admin.system.meters')}
            value={d.radiusMeters}
            min={0}
            max={5000}
            error={local.radiusMeters ?? fieldProblem(problem, 'duplicates.radiusMeters')}
            onChange={(n) => setDup({ radiusMeters: n })}
            testId="dup-radius"
          />
          <NumberField
            label={t('admin.system.window')}
            unit={t('admin.system.hours')}
            value={d.windowHours}
            min={0}
            max={720}
            error={local.windowHours ?? fieldProblem(problem, 'duplicates.windowHours')}
            onChange={(n) => setDup({ windowHours: n })}
            testId="dup-window"
          />
        </div>
        <div className="admin-checks">
          <label className="admin-check">
            <input type="checkbox" checked={d.sameAddress} onChange={(e) => setDup({ sameAddress: e.target.checked })} />
            {t('admin.system.sameAddress')}
          </label>
          <label className="admin-check">
            <input type="checkbox" checked={d.sameMicroGrid} onChange={(e) => setDup({ sameMicroGrid: e.target.checked })} />
            {t('admin.system.sameMicroGrid')}
          </label>
        </div>
        <p className="admin-hint">{t('admin.system.duplicatesHint', { radius: d.radiusMeters, hours: d.windowHours })}</p>
        <div className="admin-actions">
          <button type="button" className="admin-button admin-button-primary" disabled={!dirty || invalid} onClick={() => setConfirming(true)} data-testid="deadlines-save">
            {t('admin.common.save')}
          </button>
          <button type="button" className="admin-button" disabled={!dirty} onClick={discard}>
            {t('admin.common.discard')}
          </button>
        </div>
      </section>
      {confirming && (
        <ConfirmDialog title={t('admin.system.deadlinesConfirmTitle')} confirmLabel={t('admin.common.save')} busy={save.isPending} error={problem?.message} onConfirm={confirm} onCancel={() => setConfirming(false)}>
          <p>{t('admin.system.deadlinesConfirmBody', { before: Math.round(stored.data.warnAtFraction * 100), after: percent })}</p>
          <p className="admin-hint">{t('admin.system.calendarApplies')}</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
