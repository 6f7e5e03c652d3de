import { useTranslation } from 'react-i18next';
import { FLOW_METRICS, type Comparison, type FlowMetric, type TrendResponse } from '../../../../shared/contracts/analysis.js';
import { changeDirection, formatChange, formatCount } from './analysis-format';

function Change({ label, comparison, metric }: { label: string; comparison: Comparison; metric: FlowMetric }) {
  const { t } = useTranslation();
  const value = comparison.change[metric];
  const base = comparison.counts[metric];
  return (
    <div className="figure-change" data-direction={changeDirection(value)} title={value === null ? t('analysis.figures.noBase') : t('analysis.figures.base', { count: base, from: comparison.from, to: comparison.to })}>
      <span className="figure-change-label">{label}</span>
      <span className="figure-change-value">{formatChange(value)}</span>
      <span className="figure-change-base">{value === null ? t('analysis.figures.noBase') : t('analysis.figures.baseShort', { count: formatCount(base) })}</span>
    </div>
  );
}

/**
 * The period's totals in large figures — accepted, filed, dispatched, closed — each with its
 * year-on-year (同比) and period-on-period (环比) change and the base it is measured against.
 * Arrows and signs say the direction; colour only repeats it.
 */
export function TrendFigures({ trend }: { trend: TrendResponse }) {
  const { t } = useTranslation();
  return (
    <section className="analysis-figures" aria-label={t('analysis.figures.label')} data-testid="analysis-figures">
      {FLOW_METRICS.map((m) => (
        <div key={m} className="figure-card" data-testid={`figure-${m}`}>
          <div className="figure-label">{t(`analysis.figures.${m}`)}</div>
          <div className="figure-value">
            <span data-testid={`figure-${m}-value`}>{formatCount(trend.total[m])}</span>
            <small>{t('analysis.figures.unit')}</small>
          </div>
          <div className="figure-changes">
            <Change label={t('analysis.figures.yoy')} comparison={trend.yoy} metric={m} />
            <Change label={t('analysis.figures.pop')} comparison={trend.pop} metric={m} />
          </div>
        </div>
      ))}
    </section>
  );
}
