import './wall.css';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { OverviewResponse } from '../../../../shared/contracts/overview.js';
import { townsOf } from '../../../../shared/contracts/regions.js';
import { Chart } from '../../app/charts/Chart';
import { useServices } from '../../app/services';
import { countyDayStart, formatClock, formatDuration, formatWhen } from '../../app/time-format';
import { BrandMark } from '../../app/ui/BrandMark';
import { useLiveFeed } from '../../app/use-live-feed';
import { useNow } from '../../app/use-now';
import { useUiScale } from '../../app/use-rem';
import type { Language } from '../../i18n/i18n';
import type { MapPlace } from '../../map/MapView';
import type { MapLayerState } from '../../map/layer-switches';
import { useItemNames } from '../catalog/use-item-names';
import { ConnectionStatus, StaleBanner } from '../connection-status/ConnectionStatus';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { regionsBounds, startBounds, type Bounds } from '../regions/scope-bounds';
import { useCounty, type CountyData } from '../regions/use-county';
import { healthQuery } from '../system/queries';
import type { TeamsById } from '../teams/team-state';
import { useTeams } from '../teams/use-teams';
import { rankingOf, rankingRows } from './ranking';
import { tickerEntries } from './ticker';
import { useOverview } from './use-overview';
import { useWallUnit } from './use-wall-unit';
import { categoryBars, categoryOption, trendOption } from './wall-charts';
import { cycleSeconds, SCOPE_VIEW, wallViews, type WallView } from './wall-views';

/** Lines of the ticker: what fits under the figures, and all it ever holds. */
export const TICKER_LINES = 6;
/** Rows of the town ranking that fit beside the charts (more towns: the best and the worst). */
const RANKING_ROWS = 12;
/** The ticker's clock: cases age out of "new" and cross their deadlines between pushes. */
const TICKER_CLOCK_MS = 15_000;
/**
 * Map markers and labels on the wall, relative to the desk, per wall unit: 1.6× on a 1080p wall
 * and 3.2× on a 4K one, so a bubble's count and the 超期 words come near the wall's secondary
 * text (the desk's 12 px labels become ≈38 px on 4K).
 */
const WALL_MAP_SCALE = 1.6;

/** The map as the wall wants it: the composition root (app/shell) draws it with the console's one MapView. */
export interface WallMapInput {
  geo: CountyData['geo'];
  delivery: CountyData['delivery'];
  /** Where the map opens: the user's area. */
  bbox: Bounds | undefined;
  /** The page of the cycle to frame; null without a cycle. */
  place: MapPlace | null;
  events: ReadonlyMap<string, EventRecord>;
  teams: TeamsById;
  layers: MapLayerState;
  scale: number;
  itemNames: Readonly<Record<string, string>> | null;
}

/**
 * Open cases over the area. Finished cases, micro-grid lines and the teams' per-town boxes are
 * clutter at 6 m over a whole county (the figures count the teams on duty); a town's page shows
 * its teams where they are.
 */
const AREA_LAYERS: MapLayerState = { new: true, active: true, review: true, done: false, teams: false, grids: true, microGrids: false, heat: false };
const TOWN_LAYERS: MapLayerState = { ...AREA_LAYERS, teams: true };
/** The heat of open cases, their markers on top, nothing else. */
const HOTSPOT_LAYERS: MapLayerState = { new: true, active: true, review: true, done: false, teams: false, grids: false, microGrids: false, heat: true };

/**
 * Pages through the views every `seconds`; the scope alone without a cycle. `turn` counts the
 * pages shown so far (0 for the first), so each page change moves the camera, back to the first too.
 */
function useCycle(views: readonly WallView[], seconds: number | null): { view: WallView; turn: number } {
  const [turn, setTurn] = useState(0);
  const count = views.length;
  useEffect(() => {
    if (!seconds || count < 2) return;
    const timer = setInterval(() => setTurn((n) => n + 1), seconds * 1000);
    return () => clearInterval(timer);
  }, [seconds, count]);
  return { view: views[turn % Math.max(1, count)] ?? SCOPE_VIEW, turn };
}

/**
 * The wall (大屏): the live map over most of the screen, today's figures, a ticker of new and
 * overdue cases, the week's trend, today's categories and the town ranking. Read from 6 m, no
 * pointer and no dialog; it pages through the area, its towns and the hot spots with `?cycle=N`.
 * Without a session (`token` null: the wall's session ended) it stays as it was, frozen.
 */
export function WallScreen({ user, token, renderMap }: { user: SessionUser; token: string | null; renderMap(input: WallMapInput): ReactNode }) {
  const { t } = useTranslation();
  const live = token !== null;
  const county = useCounty();
  const feedView = useLiveFeed();
  const teams = useTeams(live);
  const { english: itemNames } = useItemNames();
  const u = useWallUnit();
  const uiScale = useUiScale();

  const [cycle] = useState(() => cycleSeconds(window.location.search));
  const towns = useMemo(() => (county.regions ? townsOf(county.regions) : undefined), [county.regions]);
  const views = useMemo(() => wallViews(user.scope, (towns ?? []).map((town) => ({ id: town.id, name: town.name }))), [user.scope, towns]);
  const { view, turn } = useCycle(views, cycle);
  const overview = useOverview(view.kind === 'town' ? view.townId : null, live);

  const townGeo = county.geo.town;
  const bbox = useMemo(() => startBounds(user.scope, county.regions?.bbox, townGeo, county.regions?.root), [user.scope, county.regions?.bbox, townGeo, county.regions?.root]);
  const place = useMemo<MapPlace | null>(() => {
    // The first page is where the map opens (`bbox`); every later one is flown to.
    if (turn === 0) return null;
    const box = view.kind === 'town' && townGeo ? regionsBounds(townGeo, [view.townId]) : bbox;
    return box ? { bbox: box, nonce: turn } : null;
  }, [turn, view, townGeo, bbox]);
  const mapInput = useMemo<WallMapInput>(
    () => ({
      geo: county.geo,
      delivery: county.delivery,
      bbox,
      place,
      events: feedView.feed.events,
      teams: teams.teams,
      layers: view.kind === 'hotspots' ? HOTSPOT_LAYERS : view.kind === 'town' ? TOWN_LAYERS : AREA_LAYERS,
      scale: Math.max(uiScale, u * WALL_MAP_SCALE),
      itemNames,
    }),
    [county.geo, county.delivery, bbox, place, feedView.feed.events, teams.teams, view.kind, uiScale, u, itemNames],
  );

  // The whole platform is named by its top level: 全县 on a county server, 全市 or 全省 above.
  const rootLevel = county.regions?.root.level;
  const wholeName = rootLevel === 'city' ? t('wall.view.city') : rootLevel === 'province' ? t('wall.view.province') : t('wall.view.county');
  const viewName = view.kind === 'town' ? view.name : view.kind === 'hotspots' ? t('wall.view.hotspots') : user.scope.kind === 'county' ? wholeName : user.scopeNames.join(t('list.separator'));

  return (
    <div className="wall" data-testid="wall" data-view={view.kind} data-town={view.kind === 'town' ? view.townId : undefined}>
      <WallHeader countyName={county.regions?.root.name} viewName={viewName} />
      <StaleBanner />
      <main className="wall-body">
        <section className="wall-side wall-left">
          <WallFigures overview={overview.data} loading={overview.isPending} failed={overview.isError} />
          <WallTicker events={feedView.feed.events} townId={view.kind === 'town' ? view.townId : null} index={county.index} ready={feedView.phase === 'ready'} />
        </section>
        <section className="map-pane wall-map" aria-label={viewName}>
          {renderMap(mapInput)}
          <WallLegend />
        </section>
        <section className="wall-side wall-right">
          <WallTrend overview={overview.data} u={u} />
          <WallCategories overview={overview.data} u={u} />
          <WallRanking overview={overview.data} />
        </section>
      </main>
    </div>
  );
}

function WallHeader({ countyName, viewName }: { countyName: string | undefined; viewName: string }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const demo = useQuery(healthQuery(api)).data?.demo ?? false;
  return (
    <header className="wall-header">
      <BrandMark className="wall-brand" />
      <h1 className="wall-title">
        <span data-testid="county-name">{countyName ?? ''}</span> {t('app.name')} · {t('wall.title')}
      </h1>
      <span className="wall-view" data-testid="wall-view">
        {viewName}
      </span>
      {demo && <span className="badge-demo wall-demo">{t('app.demo')}</span>}
      <span className="wall-header-fill" />
      <WallClock />
      <ConnectionStatus />
    </header>
  );
}

function WallClock() {
  const { t, i18n } = useTranslation();
  const now = useNow();
  const day = new Date(countyDayStart(now) + 8 * 3_600_000);
  const date = t('wall.date', {
    month: day.getUTCMonth() + 1,
    day: day.getUTCDate(),
    weekday: t(`wall.weekday.${day.getUTCDay()}`),
    iso: day.toISOString().slice(0, 10),
    lng: i18n.language,
  });
  return (
    <span className="wall-clock">
      <span className="wall-date">{date}</span>
      <span className="wall-time" data-testid="wall-clock">
        {formatClock(now)}
      </span>
    </span>
  );
}

/** A rate as the wall writes it: one decimal, or a dash when nothing was due. */
export function formatRate(rate: number | null): string | null {
  return rate === null ? null : `${(Math.round(rate * 10) / 10).toFixed(rate >= 99.95 ? 0 : 1)}`;
}

function Figure({ name, label, value, unit, tone, note }: { name: string; label: string; value: number | null | undefined; unit?: string; tone?: 'bad' | 'ok'; note?: string }) {
  const { t } = useTranslation();
  const shown = value === undefined ? '—' : value === null ? t('wall.figures.noRate') : name === 'onTimeRate' ? formatRate(value) : String(value);
  return (
    <div className="wall-figure" data-testid={`wall-figure-${name}`} data-value={value === undefined ? '' : String(value)} data-tone={tone}>
      <span className="wall-figure-label">{label}</span>
      <span className="wall-figure-value">
        {shown}
        {unit && value !== null && value !== undefined && <span className="wall-figure-unit">{unit}</span>}
      </span>
      {note && <span className="wall-figure-note">{note}</span>}
    </div>
  );
}

function WallFigures({ overview, loading, failed }: { overview: OverviewResponse | undefined; loading: boolean; failed: boolean }) {
  const { t } = useTranslation();
  const f = overview?.figures;
  return (
    <div className="wall-panel wall-figures" aria-label={t('wall.figures.label')} data-testid="wall-figures" data-date={overview?.date} data-as-of={overview?.asOf}>
      <h2 className="wall-panel-title wall-figures-title">
        <span>{overview ? t('wall.figures.of', { date: overview.date.slice(5).replace('-', '/') }) : t('wall.figures.label')}</span>
        {overview && <span>{t('wall.figures.asOf', { time: formatClock(Date.parse(overview.asOf)) })}</span>}
      </h2>
      <Figure name="reported" label={t('wall.figures.reported')} value={f?.reported} />
      <Figure name="closed" label={t('wall.figures.closed')} value={f?.closed} />
      <Figure name="onTimeRate" label={t('wall.figures.onTimeRate')} value={f?.onTimeRate} unit="%" />
      <Figure name="overdueNow" label={t('wall.figures.overdueNow')} value={f?.overdueNow} tone={f && f.overdueNow > 0 ? 'bad' : undefined} />
      <Figure name="filed" label={t('wall.figures.filed')} value={f?.filed} />
      <Figure name="dispatched" label={t('wall.figures.dispatched')} value={f?.dispatched} />
      <Figure name="inProgress" label={t('wall.figures.inProgress')} value={f?.inProgress} />
      <Figure name="teamsOnDuty" label={t('wall.figures.teamsOnDuty')} value={f?.teamsOnDuty} note={overview ? t('wall.figures.teamsOf', { total: overview.teamsTotal }) : undefined} />
      {!overview && (loading || failed) && (
        <p className="wall-figures-state" role="status">
          {failed ? t('wall.figures.failed') : t('wall.figures.loading')}
        </p>
      )}
    </div>
  );
}

/** The ticker of the page shown: a town's page lists that town's cases only. */
function WallTicker({ events, townId, index, ready }: { events: ReadonlyMap<string, EventRecord>; townId: string | null; index: RegionIndex; ready: boolean }) {
  const { t, i18n } = useTranslation();
  const now = useNow(TICKER_CLOCK_MS);
  const { name } = useItemNames();
  const entries = useMemo(() => tickerEntries(events.values(), now, TICKER_LINES, townId), [events, now, townId]);
  return (
    <div className="wall-panel wall-ticker" data-testid="wall-ticker">
      <h2 className="wall-panel-title">{t('wall.ticker.title')}</h2>
      {ready && entries.length === 0 && <p className="wall-empty">{t('wall.ticker.empty')}</p>}
      <ol className="wall-ticker-lines">
        {entries.map(({ kind, event, at }) => (
          <li key={event.id} className="wall-ticker-line" data-kind={kind} data-event-id={event.id}>
            <span className="wall-ticker-head">
              <UrgencyChip urgency={event.urgency} />
              <span className="wall-ticker-kind">{kind === 'overdue' ? t('wall.ticker.overdueFor', { duration: formatDuration(now - at, i18n.language as Language) }) : t('wall.ticker.new')}</span>
              {kind === 'new' && <span className="wall-ticker-time">{formatWhen(event.reportedAt, now)}</span>}
              <span className="wall-ticker-item">{name(event)}</span>
            </span>
            <span className="wall-ticker-place">{placeLabel(index, event)}</span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * A chart is made anew when the wall's unit changes (the window moved to another screen): Chart
 * re-creates its ECharts instance on a new UI scale but does not hand the new instance the option
 * it already had, which left the chart blank after a resize.
 */
const chartKey = (u: number) => u.toFixed(3);

function WallTrend({ overview, u }: { overview: OverviewResponse | undefined; u: number }) {
  const { t } = useTranslation();
  const words = useMemo(() => ({ reported: t('wall.trend.reported'), closed: t('wall.trend.closed'), today: t('wall.trend.today') }), [t]);
  const option = useMemo(() => (overview ? trendOption(overview.trend, words, u) : null), [overview, words, u]);
  return (
    <div className="wall-panel wall-trend" data-testid="wall-trend">
      <h2 className="wall-panel-title">{t('wall.trend.title')}</h2>
      {option && <Chart key={chartKey(u)} option={option} label={t('wall.trend.title')} still className="wall-chart" />}
    </div>
  );
}

function WallCategories({ overview, u }: { overview: OverviewResponse | undefined; u: number }) {
  const { t, i18n } = useTranslation();
  const english = i18n.language === 'en';
  const bars = useMemo(() => (overview ? categoryBars(overview.categories, english, t('wall.categories.other')) : null), [overview, english, t]);
  const option = useMemo(() => (bars ? categoryOption(bars, u) : null), [bars, u]);
  return (
    <div className="wall-panel wall-categories" data-testid="wall-categories">
      <h2 className="wall-panel-title">{t('wall.categories.title')}</h2>
      {option && (
        <Chart key={chartKey(u)} option={option} label={t('wall.categories.title')} still empty={bars?.length === 0} emptyText={t('wall.categories.empty')} className="wall-chart" />
      )}
    </div>
  );
}

function WallRanking({ overview }: { overview: OverviewResponse | undefined }) {
  const { t } = useTranslation();
  const ranking = overview ? rankingOf(overview) : { unit: 'town' as const, entries: [] };
  const rows = rankingRows(ranking.entries, RANKING_ROWS);
  const town = ranking.unit === 'town';
  return (
    <div className="wall-panel wall-ranking" data-testid="wall-ranking" data-ranking-unit={ranking.unit}>
      <h2 className="wall-panel-title">{town ? t('wall.ranking.title') : t(`wall.ranking.units.${ranking.unit}.title`)}</h2>
      <table className="wall-ranking-table">
        <thead>
          <tr>
            <th>{t('wall.ranking.rank')}</th>
            <th className="wall-ranking-town">{town ? t('wall.ranking.town') : t(`wall.ranking.units.${ranking.unit}.name`)}</th>
            <th>{t('wall.ranking.reported')}</th>
            <th>{t('wall.ranking.closed')}</th>
            <th>{t('wall.ranking.overdue')}</th>
            <th>{t('wall.ranking.onTime')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) =>
            row.kind === 'gap' ? (
              <tr key="gap" className="wall-ranking-gap">
                <td colSpan={6}>{town ? t('wall.ranking.more', { count: row.count }) : t(`wall.ranking.units.${ranking.unit}.more`, { count: row.count })}</td>
              </tr>
            ) : (
              <tr key={row.town.id} data-town-id={town ? row.town.id : undefined} data-unit-id={town ? undefined : row.town.id}>
                {/* Rows with nothing due share the last rank: a dash says so better than a number. */}
                <td>{row.town.onTimeRate === null ? t('wall.figures.noRate') : row.town.rank}</td>
                <td className="wall-ranking-town">{row.town.name}</td>
                <td>{row.town.reported}</td>
                <td>{row.town.closed}</td>
                <td data-tone={row.town.overdueNow > 0 ? 'bad' : undefined}>{row.town.overdueNow}</td>
                <td>{row.town.onTimeRate === null ? t('wall.figures.noRate') : `${formatRate(row.town.onTimeRate)}%`}</td>
              </tr>
            ),
          )}
        </tbody>
      </table>
    </div>
  );
}

/** The marks of the map in words, for whoever looks at the wall without knowing the console. */
function WallLegend() {
  const { t } = useTranslation();
  return (
    <div className="wall-legend" aria-hidden="true">
      {(['P0', 'P1', 'P2', 'P3'] as const).map((u) => (
        <span key={u} className="wall-legend-item">
          <span className={`wall-legend-dot urgency-${u}`} />
          {t(`urgency.${u}`)}
        </span>
      ))}
      <span className="wall-legend-item">
        <span className="wall-legend-dot wall-legend-overdue" />
        {t('wall.legend.overdue')}
      </span>
    </div>
  );
}
