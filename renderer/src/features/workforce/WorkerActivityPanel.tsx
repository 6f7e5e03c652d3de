import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { WorkerActivity, WorkerRecord } from '../../../../shared/contracts/workforce.js';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { CoverageMap } from './CoverageMap';
import { workerActivityQuery } from './queries';
import { ReadFailed } from './DetailState';
import { decimal, hoursAndMinutes, kilometres, percent, presetPeriod, type PeriodPreset } from './workforce-view';

const PRESETS: readonly PeriodPreset[] = ['last30', 'thisMonth', 'lastMonth', 'quarter'];

/**
 * 工作量与履职: what the system itself recorded of the worker in a period — patrol time, distance
 * and days from the positions, the micro-grids covered, the events reported (by item), the cases
 * handled and how, the workload per 100 households — with the coverage on a small map.
 */
export function WorkerActivityPanel({ worker, today }: { worker: WorkerRecord; today: string }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const ids = { from: useId(), to: useId() };
  const [period, setPeriod] = useState(() => presetPeriod('last30', today));
  const [fields, setFields] = useState(period);
  const bad = fields.from > fields.to || !fields.from || !fields.to;
  const activity = useQuery(workerActivityQuery(api, worker.id, period.from, period.to));
  const figures = activity.data?.workers.find((a) => a.workerId === worker.id) ?? activity.data?.workers[0] ?? null;
  const change = (next: { from: string; to: string }) => {
    setFields(next);
    if (next.from && next.to && next.from <= next.to) setPeriod(next);
  };

  return (
    <section className="admin-panel workforce-activity" aria-labelledby="activity-title" data-testid="worker-activity" aria-busy={activity.isFetching || undefined}>
      <div className="admin-heading">
        <h2 id="activity-title">{t('workforce.activity.title')}</h2>
      </div>
      <div className="workforce-period" role="group" aria-label={t('workforce.activity.title')}>
        {PRESETS.map((p) => {
          const preset = presetPeriod(p, today);
          return (
            <button
              key={p}
              type="button"
              className="period-chip"
              aria-pressed={preset.from === period.from && preset.to === period.to}
              onClick={() => change(preset)}
              data-testid={`activity-preset-${p}`}
            >
              {t(`workforce.activity.${p}`)}
            </button>
          );
        })}
        <label className="period-bar-field" htmlFor={ids.from}>
          {t('workforce.activity.from')}
        </label>
        <DateField id={ids.from} value={fields.from} onChange={(from) => change({ ...fields, from })} invalid={bad} testId="activity-from" />
        <label className="period-bar-field" htmlFor={ids.to}>
          {t('workforce.activity.to')}
        </label>
        <DateField id={ids.to} value={fields.to} onChange={(to) => change({ ...fields, to })} invalid={bad} testId="activity-to" />
        {bad && (
          <span className="admin-field-error" role="alert">
            {t('workforce.activity.badPeriod')}
          </span>
        )}
      </div>
      {activity.isError ? (
        <ReadFailed error={activity.error} retry={() => void activity.refetch()} testId="activity-failed" />
      ) : !figures ? (
        <div className="analysis-state" aria-busy="true" data-testid="activity-loading">
          <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
        </div>
      ) : (
        <ActivityFigures a={figures} />
      )}
      <CoverageMap workerId={worker.id} from={period.from} to={period.to} />
    </section>
  );
}

function Figure({ label, value, sub, id }: { label: string; value: string; sub?: string; id: string }) {
  return (
    <div className="workforce-figure" data-figure={id}>
      <span className="workforce-figure-label">{label}</span>
      <strong className="workforce-figure-value num" data-testid={`activity-${id}`}>
        {value}
      </strong>
      {sub && <span className="workforce-figure-sub muted">{sub}</span>}
    </div>
  );
}

export function ActivityFigures({ a }: { a: WorkerActivity }) {
  const { t } = useTranslation();
  const dash = t('workforce.none');
  const { h, m } = hoursAndMinutes(a.patrol.minutes);
  const onTimeShare = percent(a.handled.onTime, a.handled.closed);
  return (
    <>
      <div className="workforce-figures" data-testid="activity-figures">
        <Figure id="patrol-time" label={t('workforce.activity.patrolTime')} value={h > 0 ? t('workforce.activity.hours', { h, m }) : t('workforce.activity.minutes', { m })} />
        <Figure id="patrol-distance" label={t('workforce.activity.patrolDistance')} value={t('workforce.activity.km', { km: kilometres(a.patrol.metres) })} />
        <Figure id="patrol-days" label={t('workforce.activity.patrolDays')} value={t('workforce.activity.days', { n: a.patrol.days })} />
        <Figure
          id="coverage"
          label={t('workforce.activity.coverage')}
          value={t('workforce.activity.coverageValue', { covered: a.patrol.microGridsCovered, served: a.patrol.microGridsServed })}
        />
        <Figure
          id="reported"
          label={t('workforce.activity.reported')}
          value={t('workforce.activity.count', { n: a.reported.total })}
          sub={t('workforce.activity.selfHandled', { count: a.reported.selfHandled })}
        />
        <Figure id="handled" label={t('workforce.activity.handled')} value={t('workforce.activity.count', { n: a.handled.total })} sub={`${t('workforce.activity.closed')} ${a.handled.closed}`} />
        <Figure
          id="on-time"
          label={t('workforce.activity.onTime')}
          value={t('workforce.activity.count', { n: a.handled.onTime })}
          sub={onTimeShare === null ? undefined : `${onTimeShare}%`}
        />
        <Figure
          id="rework"
          label={`${t('workforce.activity.reworked')} / ${t('workforce.activity.returned')}`}
          value={`${a.handled.reworked} / ${a.handled.returned}`}
        />
        <Figure id="households" label={t('workforce.activity.households')} value={String(a.households)} />
        <Figure
          id="workload"
          label={t('workforce.activity.workload')}
          value={decimal(a.workload.perHundredHouseholds, dash)}
          sub={`${t('workforce.activity.weighted')} ${decimal(a.workload.weighted, dash)} · ${t('workforce.activity.difficulty', { value: a.workload.gridDifficulty.toFixed(2) })}`}
        />
      </div>
      <h3>{t('workforce.activity.byItem')}</h3>
      {a.reported.byItem.length === 0 ? (
        <p className="muted">{t('workforce.activity.noReports')}</p>
      ) : (
        <ul className="workforce-by-item" data-testid="activity-by-item">
          {a.reported.byItem.map((i) => (
            <li key={i.itemCode}>
              <span>{i.itemName}</span>
              <span className="workforce-bar" style={{ width: `${Math.max(4, (i.count / Math.max(1, a.reported.total)) * 100)}%` }} aria-hidden="true" />
              <strong className="num">{i.count}</strong>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
