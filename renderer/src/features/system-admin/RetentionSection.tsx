import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import type { NoticeValue } from '../admin/Notice';
import { fieldProblem, problemOf, type Problem } from '../admin/problem';
import { NumberField } from './NumberField';
import { systemHealthQuery } from './queries';
import { useSettingsDraft } from './use-settings-draft';

const valid = (n: number) => Number.isInteger(n) && n >= 7 && n <= 3650;

/**
 * How long the server keeps what serves only for a while: team position trails and idempotency
 * keys, pruned hourly. The audit trail is not among them: it is never pruned, and the screen says so.
 */
export function RetentionSection({ onNotice }: { onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const { stored, save, value, dirty, setDraft, discard } = useSettingsDraft('retention');
  const health = useQuery(systemHealthQuery(api));
  const kept = health.data?.retention;
  const [confirming, setConfirming] = useState(false);
  const [problem, setProblem] = useState<Problem | null>(null);
  if (stored.isError) return <p className="admin-field-error">{t('admin.common.loadFailed', { message: stored.error.message })}</p>;
  if (!value || !stored.data) return <p className="admin-empty">{t('admin.common.loading')}</p>;
  const shorter = value.positionTrailDays < stored.data.positionTrailDays || value.idempotencyKeyDays < stored.data.idempotencyKeyDays;
  const error = (key: 'positionTrailDays' | 'idempotencyKeyDays') => (valid(value[key]) ? undefined : t('admin.system.rangeError', { min: 7, max: 3650 })) ?? fieldProblem(problem, key);
  const confirm = () =>
    save.mutate(value, {
      onSuccess: () => {
        discard();
        setConfirming(false);
        setProblem(null);
        onNotice({ tone: 'ok', text: t('admin.system.retentionSaved') });
      },
      onError: (err) => setProblem(problemOf(err, t)),
    });
  return (
    <div className="admin-split admin-split-top" style={{ gridTemplateColumns: 'minmax(0, 1fr) minmax(0, 1fr)' }}>
      <section className="admin-panel" aria-labelledby="retention-title" data-testid="retention">
        <h2 id="retention-title">{t('admin.system.retentionTitle')}</h2>
        <NumberField
          label={t('admin.system.positionDays')}
          unit={t('admin.system.days')}
          value={value.positionTrailDays}
          min={7}
          max={3650}
          hint={t('admin.system.positionDaysHint')}
          error={error('positionTrailDays')}
          onChange={(n) => setDraft({ ...value, positionTrailDays: n })}
          testId="retention-positions"
        />
        <NumberField
          label={t('admin.system.keyDays')}
          unit={t('admin.system.days')}
          value={value.idempotencyKeyDays}
          min={7}
          max={3650}
          hint={t('admin.system.keyDaysHint')}
          error={error('idempotencyKeyDays')}
          onChange={(n) => setDraft({ ...value, idempotencyKeyDays: n })}
          testId="retention-keys"
        />
        <p className="admin-rule" data-testid="audit-never-pruned">
          {t('admin.system.auditNeverPrunedLong')}
        </p>
        <p className="admin-hint">{t('admin.system.pruneSchedule')}</p>
        <div className="admin-actions">
          <button type="button" className="admin-button admin-button-primary" disabled={!dirty || !valid(value.positionTrailDays) || !valid(value.idempotencyKeyDays)} onClick={() => setConfirming(true)} data-testid="retention-save">
            {t('admin.common.save')}
          </button>
          <button type="button" className="admin-button" disabled={!dirty} onClick={discard}>
            {t('admin.common.discard')}
          </button>
        </div>
      </section>
      <section className="admin-panel" aria-labelledby="retention-now-title" data-testid="retention-now">
        <h2 id="retention-now-title">{t('admin.system.keptNow')}</h2>
        {kept ? (
          <dl className="admin-facts">
            <dt>{t('admin.system.positions')}</dt>
            <dd>{t('admin.system.rowsSince', { rows: kept.positions.rows.toLocaleString(), oldest: formatDateTime(kept.positions.oldest) })}</dd>
            <dt>{t('admin.system.keys')}</dt>
            <dd>{t('admin.system.rowsSince', { rows: kept.idempotencyKeys.rows.toLocaleString(), oldest: formatDateTime(kept.idempotencyKeys.oldest) })}</dd>
            <dt>{t('admin.system.lastPrune')}</dt>
            <dd>
              {kept.lastRun
                ? t('admin.system.lastPruneDetail', {
                    at: formatDateTime(kept.lastRun.at),
                    positions: kept.lastRun.deleted.positions,
                    keys: kept.lastRun.deleted.intakeKeys + kept.lastRun.deleted.actionKeys,
                  })
                : '—'}
            </dd>
            {kept.lastRun?.error && (
              <>
                <dt>{t('admin.system.pruneFailed')}</dt>
                <dd className="admin-field-error">{kept.lastRun.error}</dd>
              </>
            )}
          </dl>
        ) : (
          <p className="admin-empty">{t('admin.common.loading')}</p>
        )}
      </section>
      {confirming && (
        <ConfirmDialog
          title={t('admin.system.retentionConfirmTitle')}
          confirmLabel={t('admin.common.save')}
          tone={shorter ? 'danger' : undefined}
          busy={save.isPending}
          error={problem?.message}
          onConfirm={confirm}
          onCancel={() => setConfirming(false)}
        >
          <p>{t('admin.system.retentionConfirmBody', { positions: value.positionTrailDays, keys: value.idempotencyKeyDays })}</p>
          {shorter && <p className="admin-rule">{t('admin.system.retentionShorter')}</p>}
        </ConfirmDialog>
      )}
    </div>
  );
}
