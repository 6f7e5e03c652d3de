import './analysis.css';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { HotSpot } from '../../../../shared/contracts/analysis.js';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { SearchPlace } from '../../../../shared/contracts/search.js';
import { ChartCard } from '../../app/charts/ChartCard';
import { navigate } from '../../app/route';
import { useServices } from '../../app/services';
import { useItemNames } from '../catalog/use-item-names';
import { geoQuery, regionsQuery } from '../regions/queries';
import { regionsBounds, startBounds } from '../regions/scope-bounds';
import { countyToday, filterProblem, filtersFromSearch, type AnalysisFilters } from './analysis-filters';
import { categoryOption, hoursOption, sourceOption, trendOption } from './chart-options';
import { HotSpotList, hotSpotKey } from './HotSpotList';
import { HotSpotMap } from './HotSpotMap';
import { PeriodBar } from './PeriodBar';
import { QueryState } from './QueryState';
import { agendaQuery, hotSpotsQuery, hoursQuery, mixQuery, trendQuery } from './queries';
import { TrendFigures } from './TrendFigures';
import { useTownOptions } from './use-towns';

export interface AnalysisScreenProps {
  user: SessionUser;
  /**
   * Shows a place on the console's map (the search box's `choosePlace`): offered on the
   * selected hot spot when given. The screen's own map shows the hot spots either way.
   */
  onShowOnMap?: (place: SearchPlace) => void;
  /** A deep link's query (`from`, `to`, `unit`, `town`): the filters the screen opens with. */
  search?: URLSearchParams;
}

/**
 * 分析研判: what the closed loop produced over a period — the totals with 同比/环比, the trend by
 * day, week or month, the mix of categories and channels, the hours of the week, the hot spots
 * (ranked, and as heat on the county) and the daily meeting's agenda. One period and one town
 * drive every chart; each chart loads, fails and is saved as a picture on its own.
 */
export function AnalysisScreen({ user, onShowOnMap, search }: AnalysisScreenProps) {
  const { t } = useTranslation();
  const { api } = useServices();
  const [today] = useState(() => countyToday());
  const [filters, setFilters] = useState<AnalysisFilters>(() => filtersFromSearch(search ?? new URLSearchParams(), today));
  // A period the server would refuse stays in the fields, marked; the charts keep the last good one.
  const [applied, setApplied] = useState(filters);
  const change = useCallback((next: AnalysisFilters) => {
    setFilters(next);
    if (!filterProblem(next)) setApplied(next);
  }, []);
  const towns = useTownOptions(user);
  const { name } = useItemNames();
  const itemName = useCallback((s: HotSpot) => name(s), [name]);

  const trend = useQuery(trendQuery(api, applied));
  const mix = useQuery(mixQuery(api, applied));
  const hours = useQuery(hoursQuery(api, applied));
  const hotSpots = useQuery(hotSpotsQuery(api, applied));
  const agenda = useQuery(agendaQuery(api, applied.to, applied.town));

  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const spots = useMemo(() => hotSpots.data?.hotSpots ?? [], [hotSpots.data]);
  const selected = spots.find((s) => hotSpotKey(s) === selectedKey) ?? null;

  const regions = useQuery(regionsQuery(api));
  const townGeo = useQuery(geoQuery(api, 'town'));
  const bbox = applied.town && townGeo.data ? (regionsBounds(townGeo.data, [applied.town]) ?? undefined) : startBounds(user.scope, regions.data?.bbox, townGeo.data);

  const stamp = `${applied.from}_${applied.to}`;
  const words = useMemo(
    () => ({
      reported: t('analysis.figures.reported'),
      filed: t('analysis.figures.filed'),
      dispatched: t('analysis.figures.dispatched'),
      closed: t('analysis.figures.closed'),
      yoyLine: t('analysis.trend.yoyLine'),
      yoy: t('analysis.figures.yoy'),
      pop: t('analysis.figures.pop'),
      cut: t('analysis.trend.cut'),
    }),
    [t],
  );
  const trendChart = useMemo(() => (trend.data ? trendOption(trend.data, words) : null), [trend.data, words]);
  const unit = t('analysis.figures.unit');
  const categoryChart = useMemo(() => (mix.data ? categoryOption(mix.data.categories, unit) : null), [mix.data, unit]);
  const sourceChart = useMemo(() => (mix.data ? sourceOption(mix.data.sources, unit) : null), [mix.data, unit]);
  const weekdays = useMemo(() => t('analysis.hours.weekdays', { returnObjects: true }) as unknown as string[], [t]);
  const hoursChart = useMemo(
    () => (hours.data ? hoursOption(hours.data, { weekdays, cell: (weekday, hour, count) => t('analysis.hours.cell', { weekday, hour, count }) }) : null),
    [hours.data, weekdays, t],
  );
  const busy = [trend, mix, hours, hotSpots].some((q) => q.isFetching);

  return (
    <div className="analysis-screen" data-testid="analysis-screen" aria-busy={busy || undefined}>
      <PeriodBar filters={filters} onChange={change} towns={towns} today={today} showUnit testPrefix="analysis">
        <button
          type="button"
          className="period-chip period-chip-strong"
          title={t('analysis.agenda.openHint', { date: applied.to })}
          onClick={() => navigate('agenda', { date: applied.to, town: applied.town || undefined })}
          data-testid="analysis-open-agenda"
        >
          {t('analysis.agenda.open')}
        </button>
      </PeriodBar>

      <QueryState isPending={trend.isPending} error={trend.error} retry={() => void trend.refetch()} testId="analysis-figures">
        {trend.data && <TrendFigures trend={trend.data} />}
      </QueryState>

      <div className="analysis-grid">
        <div className="analysis-cell analysis-trend">
          <ChartCard
            title={`${t('analysis.trend.title')} · ${t(`analysis.filters.units.${applied.unit}`)}`}
            filename={`trend_${applied.unit}_${stamp}`}
            label={t('analysis.trend.title')}
            option={trendChart ?? {}}
            empty={!trendChart || trend.data!.buckets.every((b) => b.counts.reported + b.counts.closed + b.yoy.counts.reported === 0)}
            emptyText={trend.error ? t('analysis.failed', { message: trend.error.message }) : trend.isPending ? t('analysis.loading') : undefined}
          />
        </div>
        <div className="analysis-cell analysis-category">
          <ChartCard
            title={t('analysis.category.title')}
            filename={`categories_${stamp}`}
            label={t('analysis.category.title')}
            option={categoryChart ?? {}}
            empty={!categoryChart || mix.data!.total === 0}
            emptyText={mix.error ? t('analysis.failed', { message: mix.error.message }) : mix.isPending ? t('analysis.loading') : undefined}
          />
        </div>

        <section className="analysis-cell analysis-hot-spots panel-card" aria-labelledby="hot-spots-title" data-testid="hot-spots">
          <header className="panel-card-head">
            <h3 id="hot-spots-title">{t('analysis.hotSpots.title')}</h3>
            {hotSpots.data && (
              <span className="muted" data-testid="hot-spots-total">
                {t('analysis.hotSpots.total', { total: hotSpots.data.total, cases: hotSpots.data.cases })}
              </span>
            )}
          </header>
          <p className="panel-card-hint muted">{t('analysis.hotSpots.hint')}</p>
          <div className="panel-card-body">
            <QueryState isPending={hotSpots.isPending} error={hotSpots.error} retry={() => void hotSpots.refetch()} testId="hot-spots">
              {spots.length === 0 ? (
                <p className="analysis-state">{t('analysis.hotSpots.none')}</p>
              ) : (
                <HotSpotList spots={spots} selected={selectedKey} onSelect={(s) => setSelectedKey(hotSpotKey(s))} onShowOnMap={onShowOnMap} itemName={itemName} />
              )}
            </QueryState>
          </div>
        </section>
        <div className="analysis-cell analysis-map">
          <HotSpotMap
            spots={spots}
            selected={selected}
            onSelect={(s) => setSelectedKey(hotSpotKey(s))}
            onReset={() => setSelectedKey(null)}
            bbox={bbox}
            itemName={itemName}
            filename={`hot-spots_${stamp}`}
            empty={spots.length === 0}
          />
        </div>
        <div className="analysis-cell analysis-source">
          <ChartCard
            title={t('analysis.source.title')}
            filename={`sources_${stamp}`}
            label={t('analysis.source.title')}
            option={sourceChart ?? {}}
            empty={!sourceChart || mix.data!.total === 0}
            emptyText={mix.error ? t('analysis.failed', { message: mix.error.message }) : mix.isPending ? t('analysis.loading') : undefined}
          />
        </div>

        <div className="analysis-cell analysis-hours">
          <ChartCard
            title={t('analysis.hours.title')}
            filename={`hours_${stamp}`}
            label={t('analysis.hours.title')}
            option={hoursChart ?? {}}
            empty={!hoursChart || hours.data!.total === 0}
            emptyText={hours.error ? t('analysis.failed', { message: hours.error.message }) : hours.isPending ? t('analysis.loading') : undefined}
            extra={
              hours.data?.peak ? (
                <span className="muted" data-testid="hours-peak">
                  {t('analysis.hours.peak', { weekday: weekdays[hours.data.peak.weekday], hour: hours.data.peak.hour, count: hours.data.peak.count })}
                </span>
              ) : null
            }
          />
        </div>
        <section className="analysis-cell analysis-agenda panel-card" aria-labelledby="agenda-title" data-testid="agenda-card">
          <header className="panel-card-head">
            <h3 id="agenda-title">{t('analysis.agenda.title')}</h3>
            <span className="muted">{applied.to}</span>
          </header>
          <div className="panel-card-body">
            <QueryState isPending={agenda.isPending} error={agenda.error} retry={() => void agenda.refetch()} testId="agenda">
              {agenda.data && (
                <dl className="agenda-counts">
                  {(['hotSpots', 'repeats', 'overdue', 'supervised'] as const).map((k) => (
                    <div key={k} data-key={k}>
                      <dt>{t(`analysis.agenda.short.${k}`)}</dt>
                      <dd>{agenda.data.summary[k]}</dd>
                    </div>
                  ))}
                </dl>
              )}
            </QueryState>
            <button type="button" className="period-chip period-chip-strong agenda-open" onClick={() => navigate('agenda', { date: applied.to, town: applied.town || undefined })}>
              {t('analysis.agenda.openHint', { date: applied.to })}
            </button>
          </div>
        </section>
      </div>
    </div>
  );
}
