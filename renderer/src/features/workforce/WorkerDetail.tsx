import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkerRecord } from '../../../../shared/contracts/workforce.js';
import { useServices } from '../../app/services';
import { DetailState } from './DetailState';
import { WorkerActivityPanel } from './WorkerActivityPanel';
import { WorkerEditForm } from './WorkerEditForm';
import { workerQuery } from './queries';
import { dayText } from './workforce-view';

/** One worker: the record, its edit form (grid office), and the activity of a chosen period with its coverage map. */
export function WorkerDetail({ workerId, canManage, today, onClose }: { workerId: string; canManage: boolean; today: string; onClose(): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const worker = useQuery(workerQuery(api, workerId));
  const [editing, setEditing] = useState(false);
  const [saved, setSaved] = useState(false);

  return (
    <DetailState query={worker}>
      {(w) => (
        <div className="workforce-detail" data-testid="worker-detail" data-worker-id={w.id}>
          <section className="admin-panel" aria-labelledby="worker-name">
            <div className="admin-heading">
              <h2 id="worker-name">
                {w.name} <span className="muted mono workforce-id">{w.id}</span>
              </h2>
              <span className="workforce-status" data-status={w.status} data-testid="worker-status">
                {t(`workforce.status.${w.status}`)}
              </span>
              <div className="admin-heading-end">
                {canManage && !editing && (
                  <button
                    type="button"
                    className="admin-button admin-button-primary"
                    onClick={() => {
                      setEditing(true);
                      setSaved(false);
                    }}
                    data-testid="worker-edit"
                  >
                    {t('workforce.detail.edit')}
                  </button>
                )}
                <button type="button" className="admin-button" onClick={onClose} aria-label={t('workforce.detail.close')}>
                  ✕
                </button>
              </div>
            </div>
            {saved && (
              <p className="workforce-saved" role="status" data-testid="worker-saved">
                ✓ {t('workforce.edit.saved')}
              </p>
            )}
            {editing ? (
              <WorkerEditForm
                worker={w}
                onCancel={() => setEditing(false)}
                onSaved={() => {
                  setEditing(false);
                  setSaved(true);
                }}
              />
            ) : (
              <RecordFields worker={w} />
            )}
          </section>
          <WorkerActivityPanel worker={w} today={today} />
        </div>
      )}
    </DetailState>
  );
}

function RecordFields({ worker: w }: { worker: WorkerRecord }) {
  const { t } = useTranslation();
  const dash = t('workforce.none');
  const education = t(`workforce.education.${w.education}`, { defaultValue: w.education });
  const rows: Array<[string, string, string?]> = [
    [t('workforce.detail.place'), `${w.town.name} › ${w.village.name} › ${w.grid.name}`],
    [t('workforce.list.employment'), t(`workforce.employment.${w.employment}`)],
    [t('workforce.list.grade'), t('workforce.grade', { grade: w.grade }), 'grade'],
    [t('workforce.detail.phone'), w.phone || dash],
    [t('workforce.detail.gender'), t(`workforce.gender.${w.gender}`)],
    [t('workforce.detail.age'), `${t(`workforce.ageBand.${w.ageBand}`)}（${w.birthYear}）`],
    [t('workforce.detail.education'), education],
    [t('workforce.detail.startedOn'), dayText(w.startedOn, dash)],
    [t('workforce.detail.leftOn'), dayText(w.leftOn, dash)],
    [t('workforce.detail.team'), w.team?.name ?? t('workforce.detail.noTeam')],
    [t('workforce.detail.account'), w.account?.username ?? t('workforce.detail.noAccount')],
  ];
  return (
    <>
      <dl className="workforce-fields">
        {rows.map(([label, value, id]) => (
          <div key={label} className="workforce-field" data-field={id}>
            <dt>{label}</dt>
            <dd data-testid={id ? `worker-${id}` : undefined}>{value}</dd>
          </div>
        ))}
      </dl>
      <h3>{t('workforce.detail.microGrids', { count: w.microGrids.length })}</h3>
      {w.microGrids.length === 0 ? (
        <p className="muted">{t('workforce.detail.noMicroGrids')}</p>
      ) : (
        <ul className="admin-chips workforce-chips" data-testid="worker-micro-grids">
          {w.microGrids.map((m) => (
            <li key={m.id} className="admin-chip">
              {m.name}
            </li>
          ))}
        </ul>
      )}
      <h3>{t('workforce.detail.fiveRoles')}</h3>
      {w.fiveRoles.length === 0 ? (
        <p className="muted">{t('workforce.detail.noFiveRoles')}</p>
      ) : (
        <ul className="admin-chips workforce-chips">
          {w.fiveRoles.map((r) => (
            <li key={`${r.microGridId}-${r.role}`} className="admin-chip">
              {t(`workforce.fiveRole.${r.role}`)} · {w.microGrids.find((m) => m.id === r.microGridId)?.name ?? r.microGridId}
            </li>
          ))}
        </ul>
      )}
      {w.updatedAt && <p className="muted workforce-updated">{t('workforce.detail.updatedAt', { time: dayText(w.updatedAt, '') })}</p>}
    </>
  );
}
