import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_ANALYSIS_DAYS, TREND_UNITS } from '../../../../shared/contracts/analysis.js';
import { DateField } from '../../app/ui/DateField';
import { activeQuickRange, filterProblem, periodDays, QUICK_RANGES, quickRange, type AnalysisFilters } from './analysis-filters';

export interface PeriodBarProps {
  filters: AnalysisFilters;
  onChange(next: AnalysisFilters): void;
  towns: ReadonlyArray<{ id: string; name: string }>;
  /** The county's day now: the quick ranges end on it. */
  today: string;
  /** The day / week / month switch (the trend's unit); the evaluation has none. */
  showUnit?: boolean;
  /** Test ids' prefix, e.g. `analysis` → `analysis-from`. */
  testPrefix: string;
  /** Shown at the bar's end (an export button, the agenda link). */
  children?: ReactNode;
}

/**
 * The period and town every figure of a screen follows: quick ranges (last 7, 30, 90 days, this
 * month, this year), the two days typed or picked, the unit, the town. A period the server would
 * refuse (end before start, too long) is said at once beside the fields.
 */
export function PeriodBar({ filters, onChange, towns, today, showUnit = false, testPrefix, children }: PeriodBarProps) {
  const { t } = useTranslation();
  const problemId = useId();
  const townId = useId();
  const problem = filterProblem(filters);
  const active = activeQuickRange(filters, today);
  return (
    <div className="period-bar" role="group" aria-label={t('analysis.filters.label')} data-testid={`${testPrefix}-filters`}>
      <div className="period-bar-quick" role="group" aria-label={t('analysis.filters.quick')}>
        {QUICK_RANGES.map((r) => (
          <button
            key={r}
            type="button"
            className="period-chip"
            aria-pressed={active === r}
            data-testid={`${testPrefix}-range-${r}`}
            onClick={() => onChange({ ...filters, ...quickRange(r, today), ...(showUnit ? {} : { unit: filters.unit }) })}
          >
            {t(`analysis.filters.ranges.${r}`)}
          </button>
        ))}
      </div>
      <label className="period-bar-field">
        <span>{t('analysis.filters.from')}</span>
        <DateField value={filters.from} onChange={(from) => from && onChange({ ...filters, from })} invalid={problem?.field === 'from'} describedBy={problem ? problemId : undefined} testId={`${testPrefix}-from`} />
      </label>
      <span className="period-bar-dash" aria-hidden="true">
        –
      </span>
      <label className="period-bar-field">
        <span>{t('analysis.filters.to')}</span>
        <DateField value={filters.to} onChange={(to) => to && onChange({ ...filters, to })} invalid={problem?.field === 'to'} describedBy={problem ? problemId : undefined} testId={`${testPrefix}-to`} />
      </label>
      {showUnit && (
        <div className="period-bar-units" role="radiogroup" aria-label={t('analysis.filters.unit')}>
          {TREND_UNITS.map((u) => (
            <button key={u} type="button" role="radio" aria-checked={filters.unit === u} className="period-chip" data-testid={`${testPrefix}-unit-${u}`} onClick={() => onChange({ ...filters, unit: u })}>
              {t(`analysis.filters.units.${u}`)}
            </button>
          ))}
        </div>
      )}
      <span className="period-bar-field">
        <label htmlFor={townId}>{t('analysis.filters.town')}</label>
        <select id={townId} value={filters.town} onChange={(e) => onChange({ ...filters, town: e.target.value })} data-testid={`${testPrefix}-town`}>
          <option value="">{t('analysis.filters.allTowns')}</option>
          {towns.map((town) => (
            <option key={town.id} value={town.id}>
              {town.name}
            </option>
          ))}
        </select>
      </span>
      <span className="period-bar-status" id={problemId} role={problem ? 'alert' : undefined} data-problem={problem ? 'true' : undefined}>
        {problem
          ? t(`analysis.filters.${problem.key}`, { days: MAX_ANALYSIS_DAYS })
          : t('analysis.filters.period', { from: filters.from, to: filters.to, days: periodDays(filters) })}
      </span>
      {children && <span className="period-bar-end">{children}</span>}
    </div>
  );
}
