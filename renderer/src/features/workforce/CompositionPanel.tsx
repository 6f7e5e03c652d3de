import { useQuery } from '@tanstack/react-query';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { ChartCard } from '../../app/charts/ChartCard';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { QueryState } from '../analysis/QueryState';
import { useTownOptions } from '../analysis/use-towns';
import { compositionQuery } from './queries';
import { ageSlices, barsOption, byTownOption, educationSlices, employmentOption, gradeSlices, type CompositionWords } from './workforce-charts';
import { countyDay } from './workforce-view';
import { TownSelect } from '../../app/ui/TownSelect';

/**
 * 队伍结构: the figures the paper quotes, from the records — how many workers, full- and
 * part-time, the pay grades, age and education, turnover over the last 12 months and the
 * share trained — for a day, the user's towns or one of them, and town by town.
 */
export function CompositionPanel({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const ids = { asOf: useId() };
  const [today] = useState(() => countyDay(new Date()));
  const [town, setTown] = useState('');
  const [asOf, setAsOf] = useState(today);
  const towns = useTownOptions(user);
  const comp = useQuery(compositionQuery(api, town, /^\d{4}-\d{2}-\d{2}$/.test(asOf) ? asOf : today));
  const words: CompositionWords = useMemo(
    () => ({
      fullTime: t('workforce.composition.fullTime'),
      partTime: t('workforce.composition.partTime'),
      grade: (grade) => t('workforce.grade', { grade }),
      ageBand: (band) => t(`workforce.ageBand.${band}`),
      education: (key) => t(`workforce.education.${key}`),
    }),
    [t],
  );
  const fig = comp.data?.total;
  const charts = useMemo(
    () =>
      fig && comp.data
        ? {
            employment: employmentOption(fig, words),
            grades: barsOption(gradeSlices(fig, words)),
            age: barsOption(ageSlices(fig, words), '#f2c230'),
            education: barsOption(educationSlices(fig, words), '#a66cff'),
            towns: byTownOption(comp.data, { ...words, over50: t('workforce.composition.over50') }),
          }
        : null,
    [fig, comp.data, words, t],
  );
  const empty = !fig || fig.workers === 0;
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? t('workforce.none') : `${v}%`);
  const stamp = comp.data?.asOf ?? asOf;

  return (
    <div className="workforce-dashboard" data-testid="composition" aria-busy={comp.isFetching || undefined}>
      <div className="period-bar">
        <TownSelect towns={towns} value={town} onChange={setTown} testId="composition-town" />
        <span className="period-bar-field">
          <label htmlFor={ids.asOf}>{t('workforce.composition.asOf')}</label>
          <DateField id={ids.asOf} value={asOf} onChange={(day) => setAsOf(day || today)} testId="composition-as-of" />
        </span>
      </div>
      <QueryState isPending={comp.isPending} error={comp.error} retry={() => void comp.refetch()} testId="composition">
        {fig && (
          <div className="workforce-figures workforce-figures-big" data-testid="composition-figures">
            <Big id="workers" label={t('workforce.composition.total')} value={String(fig.workers)} sub={`${t('workforce.status.active')} ${fig.active} · ${t('workforce.status.on_leave')} ${fig.onLeave}`} />
            <Big id="full-time" label={t('workforce.composition.fullTime')} value={String(fig.fullTime)} sub={pct(fig.fullTimeShare)} />
            <Big id="aged-50" label={t('workforce.composition.over50')} value={String(fig.aged50Plus)} sub={pct(fig.aged50PlusShare)} />
            <Big
              id="turnover"
              label={t('workforce.composition.turnover')}
              value={pct(fig.turnover.rate)}
              sub={`${t('workforce.composition.left')} ${fig.turnover.left} ${t('workforce.composition.people')}`}
            />
            <Big id="trained" label={t('workforce.composition.trained')} value={pct(fig.trainedShare)} sub={`${fig.trained} / ${fig.workers}`} />
          </div>
        )}
      </QueryState>
      <div className="workforce-chart-grid">
        {(
          [
            ['employment', t('workforce.composition.employment')],
            ['grades', t('workforce.composition.grades')],
            ['age', t('workforce.composition.ageBands')],
            ['education', t('workforce.composition.education')],
          ] as const
        ).map(([key, title]) => (
          <ChartCard
            key={key}
            title={title}
            filename={`workforce_${key}_${stamp}`}
            label={title}
            option={charts?.[key] ?? {}}
            empty={empty}
            emptyText={comp.isPending ? t('workforce.loading') : t('workforce.composition.empty')}
          />
        ))}
        <div className="workforce-chart-wide">
          <ChartCard
            title={t('workforce.composition.byTown')}
            filename={`workforce_towns_${stamp}`}
            label={t('workforce.composition.byTown')}
            option={charts?.towns ?? {}}
            empty={empty || (comp.data?.towns.length ?? 0) === 0}
            emptyText={comp.isPending ? t('workforce.loading') : t('workforce.composition.empty')}
          />
        </div>
      </div>
    </div>
  );
}

export function Big({ id, label, value, sub }: { id: string; label: string; value: string; sub?: string }) {
  return (
    <div className="workforce-figure" data-figure={id}>
      <span className="workforce-figure-label">{label}</span>
      <strong className="workforce-figure-value num" data-testid={`figure-${id}`}>
        {value}
      </strong>
      {sub && <span className="workforce-figure-sub muted">{sub}</span>}
    </div>
  );
}
