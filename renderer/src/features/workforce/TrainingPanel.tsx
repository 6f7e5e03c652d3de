import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rolesAllow, type SessionUser } from '../../../../shared/contracts/auth.js';
import { TRAINING_SUBJECTS, type TrainingSubject } from '../../../../shared/contracts/training.js';
import { ChartCard } from '../../app/charts/ChartCard';
import { useServices } from '../../app/services';
import { QueryState } from '../analysis/QueryState';
import { useTownOptions } from '../analysis/use-towns';
import { Big } from './CompositionPanel';
import { trainingProgressQuery } from './queries';
import { TrainingSessions } from './TrainingSessions';
import { behindWorkers, subjectHoursOption } from './workforce-charts';
import { countyDay } from './workforce-view';
import { TownSelect } from '../../app/ui/TownSelect';

/**
 * 培训: the year's training against the yearly requirement — how many meet it, the sessions held
 * (the grid office records new ones and who attended), the hours by the paper's six subjects, and
 * who is behind (most hours missing first), so the office knows whom to call to the next session.
 */
export function TrainingPanel({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const ids = { year: useId() };
  const [today] = useState(() => countyDay(new Date()));
  const thisYear = Number(today.slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [town, setTown] = useState('');
  const towns = useTownOptions(user);
  const progress = useQuery(trainingProgressQuery(api, town, year));
  const subject = (s: TrainingSubject) => t(`workforce.training.subject.${s}`);
  const chart = useMemo(() => (progress.data ? subjectHoursOption(progress.data, (s) => t(`workforce.training.subject.${s}`)) : null), [progress.data, t]);
  const behind = useMemo(() => (progress.data ? behindWorkers(progress.data) : []), [progress.data]);
  const total = progress.data?.total;
  const hours = (n: number) => (Math.round(n * 10) / 10).toString();
  const canManage = rolesAllow(user.roles, 'workforce:manage');

  return (
    <div className="workforce-dashboard" data-testid="training" aria-busy={progress.isFetching || undefined}>
      <div className="period-bar">
        <TownSelect towns={towns} value={town} onChange={setTown} />
        <span className="period-bar-field">
          <label htmlFor={ids.year}>{t('workforce.training.year')}</label>
          <select id={ids.year} value={year} onChange={(e) => setYear(Number(e.target.value))} data-testid="training-year">
            {[thisYear, thisYear - 1, thisYear - 2].map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </span>
        {progress.data && <span className="period-bar-status">{t('workforce.training.required', { hours: progress.data.required })}</span>}
      </div>
      <QueryState isPending={progress.isPending} error={progress.error} retry={() => void progress.refetch()} testId="training">
        {total && (
          <div className="workforce-figures workforce-figures-big">
            <Big id="met" label={t('workforce.training.metShare')} value={total.metShare === null ? t('workforce.none') : `${total.metShare}%`} sub={`${total.met} / ${total.workers}`} />
            <Big id="behind" label={t('workforce.training.behindCount')} value={String(total.behind)} />
            <Big id="average" label={t('workforce.training.average')} value={hours(total.averageHours)} sub={`Σ ${hours(total.hours)}`} />
          </div>
        )}
      </QueryState>
      <TrainingSessions user={user} town={town} year={year} today={today} canManage={canManage} />
      <div className="workforce-chart-grid workforce-training-grid">
        <ChartCard
          title={t('workforce.training.bySubject')}
          filename={`training_subjects_${year}`}
          label={t('workforce.training.bySubject')}
          option={chart ?? {}}
          empty={!chart || (total?.hours ?? 0) === 0}
          emptyText={progress.isPending ? t('workforce.loading') : t('workforce.composition.empty')}
        />
        <section className="panel-card" aria-labelledby="behind-title" data-testid="training-behind">
          <header className="panel-card-head">
            <h3 id="behind-title">{t('workforce.training.behind', { count: behind.length })}</h3>
          </header>
          <div className="panel-card-body">
            {progress.data && behind.length === 0 ? (
              <p className="analysis-state">{t('workforce.training.noneBehind')}</p>
            ) : (
              <table className="admin-table">
                <thead>
                  <tr>
                    <th scope="col">{t('workforce.list.name')}</th>
                    <th scope="col">{t('workforce.list.town')}</th>
                    <th scope="col">{t('workforce.training.done')}</th>
                    <th scope="col">{t('workforce.training.missing')}</th>
                    {TRAINING_SUBJECTS.map((s) => (
                      <th key={s} scope="col" className="workforce-subject-col">
                        {subject(s)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {behind.map((w) => (
                    <tr key={w.workerId} data-testid="training-behind-row" data-worker-id={w.workerId}>
                      <td className="admin-strong">
                        {w.name} <span className="muted mono">{w.workerId}</span>
                      </td>
                      <td>
                        {w.town.name} › {w.grid.name}
                      </td>
                      <td className="num" data-testid="training-behind-hours">
                        {hours(w.hours)}
                      </td>
                      <td className="num workforce-short">{hours(w.shortBy)}</td>
                      {TRAINING_SUBJECTS.map((s) => (
                        <td key={s} className="num">
                          {w.bySubject[s] ? hours(w.bySubject[s]) : '·'}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </div>
        </section>
      </div>
    </div>
  );
}
