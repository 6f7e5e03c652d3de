import '../analysis/analysis.css';
import './evaluation.css';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { GridWorkerResponse, KpiResponse, KpiRow } from '../../../../shared/contracts/kpi.js';
import { townsOf, type RegionNode } from '../../../../shared/contracts/regions.js';
import { tableRows } from '../../../../shared/domain/kpi-ranking.js';
import { useServices } from '../../app/services';
import { countyToday, filterProblem, filtersFromSearch, type AnalysisFilters } from '../analysis/analysis-filters';
import { formatCount } from '../analysis/analysis-format';
import { PeriodBar } from '../analysis/PeriodBar';
import { QueryState } from '../analysis/QueryState';
import { useTownOptions } from '../analysis/use-towns';
import { regionsQuery } from '../regions/queries';
import { areaFromSearch, COUNT_COLUMNS, DRILL_TO, evaluationTabs, formatRate, formatRatio, isKpiTab, pageOf, pathTo, RATE_COLUMNS, tabBelow, tabFromSearch, type EvaluationTab } from './evaluation-format';
import { useKpiExport } from './export';
import { exportQuery, gridWorkerQuery, kpiQuery } from './queries';

const WORKERS_PER_PAGE = 100;

/** A rate with a bar under it, so a column of rates reads as a ranking at a glance. */
function RateBar({ rate }: { rate: number | null }) {
  return (
    <span className="rate-bar" data-empty={rate === null || undefined}>
      <span className="rate-bar-text">{formatRate(rate)}</span>
      {rate !== null && <span className="rate-bar-fill" style={{ width: `${Math.min(100, Math.max(0, rate))}%` }} aria-hidden="true" />}
    </span>
  );
}

function KpiSummary({ total }: { total: KpiResponse['total'] }) {
  const { t } = useTranslation();
  return (
    <section className="evaluation-summary" data-testid="evaluation-summary" aria-label={t('evaluation.total')}>
      {(['accepted', 'due', 'closed'] as const).map((k) => (
        <div key={k} className="evaluation-summary-item">
          <span className="evaluation-summary-label">{t(`evaluation.columns.counts.${k}`)}</span>
          <span className="evaluation-summary-value" data-testid={`evaluation-total-${k}`}>
            {formatCount(total.counts[k])}
          </span>
        </div>
      ))}
      {RATE_COLUMNS.map((k) => (
        <div key={k} className="evaluation-summary-item" data-key={k}>
          <span className="evaluation-summary-label">{t(`evaluation.columns.rates.${k}`)}</span>
          <span className="evaluation-summary-value" data-testid={`evaluation-total-${k}`}>
            {formatRate(total.kpis[k])}
          </span>
        </div>
      ))}
    </section>
  );
}

function KpiTable({ tab, data, onDrill }: { tab: Exclude<EvaluationTab, 'gridWorker'>; data: KpiResponse; onDrill?: (row: KpiRow) => void }) {
  const { t } = useTranslation();
  if (data.groups.length === 0) return <p className="analysis-state">{t('evaluation.empty')}</p>;
  return (
    <div className="evaluation-table-wrap">
      <table className="evaluation-table" data-testid="evaluation-table" data-tab={tab}>
        <thead>
          <tr>
            <th className="num">{t('evaluation.columns.rank')}</th>
            <th>{t(`evaluation.columns.name.${tab}`)}</th>
            {COUNT_COLUMNS.map((k) => (
              <th key={k} className="num">
                {t(`evaluation.columns.counts.${k}`)}
              </th>
            ))}
            {RATE_COLUMNS.map((k) => (
              <th key={k} className="num" data-key={k}>
                {t(`evaluation.columns.rates.${k}`)}
              </th>
            ))}
            {onDrill && <th aria-label={t('evaluation.columns.drill')} />}
          </tr>
        </thead>
        <tbody>
          {tableRows(data.groups).map((g) => (
            <tr
              key={g.key || '(none)'}
              data-key={g.key}
              data-selectable={onDrill ? 'true' : undefined}
              onClick={onDrill ? () => onDrill(g) : undefined}
              data-testid="evaluation-row"
            >
              <td className="num">
                {g.place !== null ? (
                  <span className="rank-chip" data-top={g.place <= 3 && (g.kpis.onTimeClosureRate ?? 0) > 0 ? 'true' : undefined}>
                    {g.place}
                  </span>
                ) : (
                  <span className="muted">—</span>
                )}
              </td>
              <td className={g.place !== null ? 'evaluation-name' : 'evaluation-name muted'}>{g.name}</td>
              {COUNT_COLUMNS.map((k) => (
                <td key={k} className="num">
                  {formatCount(g.counts[k])}
                </td>
              ))}
              {RATE_COLUMNS.map((k) => (
                <td key={k} className="num" data-key={k}>
                  {k === 'onTimeClosureRate' || k === 'closureRate' ? <RateBar rate={g.kpis[k]} /> : formatRate(g.kpis[k])}
                </td>
              ))}
              {onDrill && (
                <td>
                  <button
                    type="button"
                    className="period-chip evaluation-drill"
                    aria-label={t(`evaluation.scope.drillTo.${tab === 'city' ? 'city' : tab === 'county' ? 'county' : 'town'}`, { name: g.name })}
                    onClick={(e) => {
                      e.stopPropagation();
                      onDrill(g);
                    }}
                    data-testid="evaluation-drill"
                  >
                    {t('evaluation.columns.drill')} ›
                  </button>
                </td>
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <td />
            <td className="evaluation-name">{t('evaluation.total')}</td>
            {COUNT_COLUMNS.map((k) => (
              <td key={k} className="num">
                {formatCount(data.total.counts[k])}
              </td>
            ))}
            {RATE_COLUMNS.map((k) => (
              <td key={k} className="num">
                {formatRate(data.total.kpis[k])}
              </td>
            ))}
            {onDrill && <td />}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}

function WorkerTables({ data }: { data: GridWorkerResponse }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(0);
  const shown = pageOf(data.workers, page, WORKERS_PER_PAGE);
  return (
    <>
      <section className="evaluation-split" aria-label={t('evaluation.workers.split')} data-testid="evaluation-split">
        {data.employment.map((e) => (
          <div key={e.employment} className="evaluation-split-card" data-employment={e.employment}>
            <span className="evaluation-split-title">{t(`evaluation.workers.employments.${e.employment}`)}</span>
            <span className="evaluation-split-big">{t('evaluation.workers.splitPer100', { value: formatRatio(e.per100Households) })}</span>
            <span className="muted">
              {t('evaluation.workers.splitWorkers', { count: e.workers })} · {t('evaluation.workers.splitReported', { count: e.reported })} · {t('evaluation.workers.splitPerWorker', { value: formatRatio(e.perWorker) })}
            </span>
          </div>
        ))}
        <p className="evaluation-note muted">{t('evaluation.workers.note')}</p>
      </section>
      <div className="evaluation-table-wrap">
        <table className="evaluation-table" data-testid="evaluation-workers">
          <thead>
            <tr>
              <th className="num">{t('evaluation.columns.rank')}</th>
              <th>{t('evaluation.workers.name')}</th>
              <th>{t('evaluation.workers.employment')}</th>
              <th>{t('evaluation.workers.place')}</th>
              <th className="num">{t('evaluation.workers.households')}</th>
              <th className="num">{t('evaluation.workers.gridWorkers')}</th>
              <th className="num">{t('evaluation.workers.reported')}</th>
              <th className="num">{t('evaluation.workers.selfHandled')}</th>
              <th className="num">{t('evaluation.workers.per100')}</th>
              <th className="num">{t('evaluation.workers.gridOnTime')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.rows.map((w) => (
              <tr key={w.id} data-key={w.id} data-testid="evaluation-worker-row">
                <td className="num">
                  <span className="rank-chip" data-top={w.rank <= 3 && w.reported > 0 ? 'true' : undefined}>
                    {w.rank}
                  </span>
                </td>
                <td className="evaluation-name">
                  {w.name} <span className="muted mono">{w.id}</span>
                </td>
                <td>
                  <span className="employment-chip" data-employment={w.employment}>
                    {t(`evaluation.workers.employments.${w.employment}`)}
                  </span>
                </td>
                <td>{w.placeName}</td>
                <td className="num">{formatCount(w.households)}</td>
                <td className="num">{w.gridWorkers}</td>
                <td className="num evaluation-strong">{formatCount(w.reported)}</td>
                <td className="num">{formatCount(w.selfHandled)}</td>
                <td className="num evaluation-strong">{formatRatio(w.per100Households)}</td>
                <td className="num">
                  <RateBar rate={w.grid.kpis.onTimeClosureRate} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="evaluation-pager">
        <button type="button" className="period-chip" disabled={shown.page === 0} onClick={() => setPage(shown.page - 1)}>
          {t('evaluation.workers.prev')}
        </button>
        <span className="muted" data-testid="evaluation-workers-page">
          {t('evaluation.workers.page', { from: shown.from, to: shown.to, total: data.workers.length })}
        </span>
        <button type="button" className="period-chip" disabled={shown.page >= shown.pages - 1} onClick={() => setPage(shown.page + 1)}>
          {t('evaluation.workers.next')}
        </button>
      </div>
    </>
  );
}

export interface EvaluationScreenProps {
  user: SessionUser;
  /** A deep link's query (`from`, `to`, `town`, `area`, `tab`): what the screen opens with. */
  search?: URLSearchParams;
}

/**
 * 督导考评: the KPIs of domain.md §5 per city and county (on a platform of several), town, village,
 * grid, team type, team and handler, ranked by on-time closure; the grid workers by their reports
 * per 100 households, with the full-time and part-time split. A row drills down one level (a
 * city to its counties, a county to its towns, a town to its grids) and the breadcrumb goes back
 * up; every table exports to Excel with the same period and scope.
 */
export function EvaluationScreen({ user, search }: EvaluationScreenProps) {
  const { t } = useTranslation();
  const { api } = useServices();
  const [today] = useState(() => countyToday());
  const [filters, setFilters] = useState<AnalysisFilters>(() => filtersFromSearch(search ?? new URLSearchParams(), today));
  const [applied, setApplied] = useState(filters);
  // null until chosen: the platform's first table (its counties, its cities, or the towns)
  const [chosenTab, setTab] = useState<EvaluationTab | null>(() => tabFromSearch(search ?? new URLSearchParams()));
  // the county or city drilled into ('' for all); a town chosen is `filters.town`
  const [area, setArea] = useState(() => areaFromSearch(search ?? new URLSearchParams()));
  const change = useCallback((next: AnalysisFilters) => {
    setFilters(next);
    if (!filterProblem(next)) setApplied(next);
  }, []);
  const towns = useTownOptions(user);
  const regions = useQuery(regionsQuery(api));
  const root = regions.data?.root;
  const tabs = root ? evaluationTabs(root.level) : null;
  const tab = tabs ? (chosenTab !== null && tabs.includes(chosenTab) ? chosenTab : tabs[0]!) : null;
  const platform = root !== undefined && root.level !== 'county';
  // drilled into a county or city, the town filter offers that area's towns only
  const areaPath = root && area ? pathTo(root, area) : [];
  const areaNode = areaPath[areaPath.length - 1];
  const areaTowns = areaNode ? new Set(townsOf({ root: areaNode }).map((x) => x.id)) : null;
  const townChoices = areaTowns ? towns.filter((x) => areaTowns.has(x.id)) : towns;
  const scope = { ...applied, area };

  const kpis = useQuery({ ...kpiQuery(api, scope, tab && isKpiTab(tab) ? tab : 'town'), enabled: tab !== null && isKpiTab(tab) });
  const workers = useQuery({ ...gridWorkerQuery(api, scope), enabled: tab === 'gridWorker' });
  const exporter = useKpiExport();

  /** Looks at a region of the tree: its own table one level down (the root: the platform's first table). */
  const focus = (node: RegionNode) => {
    if (!tabs) return;
    if (node.id === root?.id) {
      setArea('');
      change({ ...filters, town: '' });
      setTab(tabs[0]!);
    } else if (node.level === 'town') {
      change({ ...filters, town: node.id });
      setTab('grid');
    } else {
      setArea(node.id);
      change({ ...filters, town: '' });
      setTab(tabBelow(node.level, tabs));
    }
  };
  const drill = (row: KpiRow) => {
    const next = tab ? DRILL_TO[tab] : undefined;
    if (!next) return;
    if (next === 'grid') change({ ...filters, town: row.key });
    else {
      setArea(row.key);
      change({ ...filters, town: '' });
    }
    setTab(next);
  };
  // the breadcrumb: the root, then each region down to the town or area looked at
  const path = root ? pathTo(root, applied.town || area) : [];
  // the platform's root by name (全县 on a county server, as before); a narrower scope by its areas when nothing is drilled into
  const treeLabel = platform ? root!.name : t('evaluation.scope.county');
  const rootLabel = user.scope.kind !== 'county' ? user.scopeNames.join('、') : treeLabel;
  const crumbLabel = (node: RegionNode, i: number) => (i === 0 ? treeLabel : node.name);
  const parent = path.length > 1 ? path[path.length - 2]! : null;
  // a town looked at has only its grids below: nothing more to drill into
  const canDrill = tab !== null && DRILL_TO[tab] !== undefined && !applied.town;
  const active = tab !== null && isKpiTab(tab) ? kpis : workers;
  const percent = exporter.progress?.total ? `${Math.floor((exporter.progress.received / exporter.progress.total) * 100)}%` : '';

  return (
    <div className="evaluation-screen" data-testid="evaluation-screen" aria-busy={active.isFetching || undefined}>
      <PeriodBar filters={filters} onChange={change} towns={townChoices} today={today} testPrefix="evaluation">
        <span className="evaluation-export-status" role="status" data-testid="evaluation-export-status">
          {exporter.isPending && t('evaluation.export.working', { percent })}
          {exporter.isError && <span className="evaluation-problem">{t('evaluation.export.failed', { message: exporter.error.message })}</span>}
          {exporter.isSuccess && t('evaluation.export.done', { name: exporter.data })}
        </span>
        <button
          type="button"
          className="period-chip period-chip-strong"
          onClick={() => tab && exporter.mutate(exportQuery(scope, tab))}
          disabled={exporter.isPending || tab === null}
          aria-busy={exporter.isPending || undefined}
          data-testid="evaluation-export"
        >
          {exporter.isPending && <span className="spinner" aria-hidden="true" />}
          {t('evaluation.export.button')}
        </button>
      </PeriodBar>

      <nav className="evaluation-crumbs" aria-label={t('evaluation.scope.crumbs')} data-testid="evaluation-crumbs">
        {parent ? (
          <>
            <button type="button" className="evaluation-crumb" onClick={() => focus(parent)} data-testid="evaluation-back">
              ‹ {parent === path[0] && !platform ? t('evaluation.scope.back') : t('evaluation.scope.backTo', { name: crumbLabel(parent, path.indexOf(parent)) })}
            </button>
            <ol className="evaluation-path">
              {path.map((node, i) =>
                i === path.length - 1 ? (
                  <li key={node.id} className="evaluation-crumb-current" aria-current="page" data-testid="evaluation-crumb" data-id={node.id}>
                    {crumbLabel(node, i)}
                  </li>
                ) : (
                  <li key={node.id}>
                    <button type="button" className="evaluation-crumb-link" onClick={() => focus(node)} data-testid="evaluation-crumb" data-id={node.id}>
                      {crumbLabel(node, i)}
                    </button>
                    <span className="evaluation-crumb-sep" aria-hidden="true">
                      ›
                    </span>
                  </li>
                ),
              )}
            </ol>
          </>
        ) : (
          <span className="evaluation-crumb-current" aria-current="page">
            {rootLabel}
          </span>
        )}
        <span className="muted evaluation-note">{tab !== null && isKpiTab(tab) ? t('evaluation.rankingNote') : ''}</span>
      </nav>

      {tabs && tab && (
        <div
          className="evaluation-tabs"
          role="tablist"
          aria-label={t('evaluation.tabsLabel')}
          onKeyDown={(e) => {
            // ←/→ move between the tables, as in any tab list
            const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
            if (!step) return;
            e.preventDefault();
            const next = tabs[(tabs.indexOf(tab) + step + tabs.length) % tabs.length]!;
            setTab(next);
            e.currentTarget.querySelector<HTMLButtonElement>(`[data-testid="evaluation-tab-${next}"]`)?.focus();
          }}
        >
          {tabs.map((x) => (
            <button
              key={x}
              type="button"
              role="tab"
              aria-selected={tab === x}
              tabIndex={tab === x ? 0 : -1}
              className="admin-section-tab evaluation-tab"
              onClick={() => setTab(x)}
              data-testid={`evaluation-tab-${x}`}
            >
              {t(`evaluation.tabs.${x}`)}
            </button>
          ))}
        </div>
      )}

      <div className="evaluation-body" role="tabpanel">
        {tab === null ? (
          <QueryState isPending={regions.isPending} error={regions.error} retry={() => void regions.refetch()} testId="evaluation">
            {null}
          </QueryState>
        ) : isKpiTab(tab) ? (
          <QueryState isPending={kpis.isPending} error={kpis.error} retry={() => void kpis.refetch()} testId="evaluation">
            {kpis.data && (
              <>
                <KpiSummary total={kpis.data.total} />
                <KpiTable tab={tab} data={kpis.data} onDrill={canDrill ? drill : undefined} />
              </>
            )}
          </QueryState>
        ) : (
          <QueryState isPending={workers.isPending} error={workers.error} retry={() => void workers.refetch()} testId="evaluation">
            {workers.data && <WorkerTables key={`${applied.from}/${applied.to}/${applied.town}/${area}`} data={workers.data} />}
          </QueryState>
        )}
      </div>
    </div>
  );
}
