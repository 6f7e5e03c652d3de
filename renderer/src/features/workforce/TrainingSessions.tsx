import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { useServices } from '../../app/services';
import { trainingSessionsQuery } from './queries';
import { TrainingSessionView } from './TrainingAttendance';
import { ReadFailed } from './DetailState';
import { TrainingSessionForm } from './TrainingSessionForm';

const hoursText = (n: number) => (Math.round(n * 10) / 10).toString();

/**
 * 培训场次: the sessions of the year (the county's and those of the user's towns, or of the one
 * town chosen), newest first; one opens beside the list with its attendance. The grid office
 * creates a session here and records who attended.
 */
export function TrainingSessions({ user, town, year, today, canManage }: { user: SessionUser; town: string; year: number; today: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const sessions = useQuery(trainingSessionsQuery(api, town, year));
  const [selected, setSelected] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<string | null>(null);
  const items = sessions.data?.items ?? [];
  const open = (id: string) => {
    setSelected(id);
    setCreated(null);
  };

  return (
    <div className="workforce-sessions" data-testid="training-sessions" data-open={selected !== null || undefined}>
      <section className="panel-card" aria-labelledby="training-sessions-title">
        <header className="panel-card-head">
          <h3 id="training-sessions-title">{t('workforce.training.sessions.title')}</h3>
          <span className="muted num" data-testid="training-sessions-total" aria-live="polite">
            {sessions.data ? t('workforce.training.sessions.total', { count: items.length, year }) : ''}
          </span>
          {canManage && (
            <button type="button" className="admin-button admin-button-primary admin-button-small" onClick={() => setCreating(true)} data-testid="training-session-new">
              + {t('workforce.training.sessions.new')}
            </button>
          )}
        </header>
        {created && (
          <p className="workforce-saved" role="status" data-testid="training-session-created">
            ✓ {created}
          </p>
        )}
        {sessions.isError ? (
          <ReadFailed error={sessions.error} retry={() => void sessions.refetch()} />
        ) : (
          <div className="admin-table-wrap" aria-busy={sessions.isFetching || undefined}>
            <table className="admin-table workforce-table" data-testid="training-sessions-table" aria-label={t('workforce.training.sessions.title')}>
              <thead>
                <tr>
                  <th scope="col">{t('workforce.training.sessions.heldOn')}</th>
                  <th scope="col">{t('workforce.training.sessions.course')}</th>
                  <th scope="col">{t('workforce.training.sessions.mode')}</th>
                  <th scope="col">{t('workforce.training.sessions.town')}</th>
                  <th scope="col">{t('workforce.training.sessions.place')}</th>
                  <th scope="col">{t('workforce.training.sessions.trainer')}</th>
                  <th scope="col" className="num">
                    {t('workforce.training.sessions.hours')}
                  </th>
                  <th scope="col" className="num">
                    {t('workforce.training.sessions.attendees')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.id} data-selectable="true" aria-selected={s.id === selected} onClick={() => open(s.id)} data-testid="training-session-row" data-session-id={s.id}>
                    <td className="num admin-nowrap">
                      <button type="button" className="admin-row-link" onClick={() => open(s.id)}>
                        {s.heldOn}
                      </button>
                    </td>
                    <td>
                      <span className="admin-chip workforce-subject">{t(`workforce.training.subject.${s.course.subject}`)}</span> <span className="admin-strong">{s.course.title}</span>
                    </td>
                    <td className="admin-nowrap">
                      <span className="workforce-mode" data-mode={s.mode}>
                        {t(`workforce.training.mode.${s.mode}`)}
                      </span>
                    </td>
                    <td className="admin-nowrap">{s.town?.name ?? <span className="workforce-county">{t('workforce.training.county')}</span>}</td>
                    <td>{s.place}</td>
                    <td>{s.trainer}</td>
                    <td className="num">{hoursText(s.hours)}</td>
                    <td className="num" data-testid="training-session-attendees">
                      {s.attendees}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            {sessions.data && items.length === 0 && (
              <p className="admin-empty" data-testid="training-sessions-empty">
                {t('workforce.training.sessions.empty', { year })}
              </p>
            )}
            {sessions.isPending && (
              <p className="admin-empty" aria-busy="true">
                <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
              </p>
            )}
          </div>
        )}
      </section>
      {selected ? (
        <TrainingSessionView key={selected} id={selected} user={user} canManage={canManage} today={today} onClose={() => setSelected(null)} />
      ) : (
        <section className="panel-card">
          <p className="admin-empty">{t('workforce.training.sessions.select')}</p>
        </section>
      )}
      {creating && (
        <TrainingSessionForm
          user={user}
          defaultTown={town}
          today={today}
          onCancel={() => setCreating(false)}
          onCreated={(s) => {
            setCreating(false);
            setSelected(s.id);
            setCreated(t('workforce.training.form.created', { title: s.course.title, day: s.heldOn }));
          }}
        />
      )}
    </div>
  );
}
