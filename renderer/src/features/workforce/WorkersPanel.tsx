import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rolesAllow, type SessionUser } from '../../../../shared/contracts/auth.js';
import { EMPLOYMENTS, WORKER_GRADES, WORKER_STATUSES, type WorkerRecord } from '../../../../shared/contracts/workforce.js';
import { useServices } from '../../app/services';
import { useTownOptions } from '../analysis/use-towns';
import { workerListQueryOptions } from './queries';
import { WorkerDetail } from './WorkerDetail';
import { WorkerExports } from './WorkerExports';
import { ReadFailed } from './DetailState';
import { countyDay, filtersFromSearch, pageWindow, PAGE_SIZE, type WorkerFilters } from './workforce-view';

/**
 * 网格员: the workers of the user's towns, filtered by town, status, employment, grade and a
 * search, a page at a time; a row opens the worker's record, activity and coverage beside the
 * list. The grid office edits the record there; every reader may export the roster.
 */
export function WorkersPanel({ user, search }: { user: SessionUser; search: URLSearchParams }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const ids = { town: useId(), status: useId(), employment: useId(), grade: useId(), q: useId() };
  const [filters, setFilters] = useState<WorkerFilters>(() => filtersFromSearch(search));
  const [selected, setSelected] = useState<string | null>(null);
  const [today] = useState(() => countyDay(new Date()));
  const towns = useTownOptions(user);
  const list = useQuery(workerListQueryOptions(api, filters));
  const set = (key: Exclude<keyof WorkerFilters, 'page'>) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [key]: e.target.value, page: 1 }));
  const total = list.data?.total ?? 0;
  const win = pageWindow(total, filters.page, PAGE_SIZE);
  const canManage = rolesAllow(user.roles, 'workforce:manage');
  const open = (w: WorkerRecord) => setSelected(w.id);

  return (
    <div className="admin-split workforce-split">
      <div className="admin-column">
        <section className="admin-panel" style={{ flex: 1 }} aria-labelledby="workers-title">
          <div className="admin-heading">
            <h2 id="workers-title">{t('workforce.list.label')}</h2>
            <span className="muted workforce-count" data-testid="workers-total" aria-live="polite">
              {list.data ? t('workforce.list.total', { total }) : ''}
            </span>
            <div className="admin-heading-end">
              <WorkerExports town={filters.town} status={filters.status} today={today} />
            </div>
          </div>
          <div className="admin-filters" role="search" aria-label={t('workforce.filters.label')}>
            <div className="admin-field admin-field-wide">
              <label htmlFor={ids.q}>{t('workforce.filters.searchLabel')}</label>
              <input id={ids.q} type="search" maxLength={64} value={filters.q} onChange={set('q')} placeholder={t('workforce.filters.search')} data-testid="workers-filter-q" />
            </div>
            {towns.length > 1 && (
              <div className="admin-field">
                <label htmlFor={ids.town}>{t('workforce.filters.town')}</label>
                <select id={ids.town} value={filters.town} onChange={set('town')} data-testid="workers-filter-town">
                  <option value="">{t('workforce.filters.allTowns')}</option>
                  {towns.map((town) => (
                    <option key={town.id} value={town.id}>
                      {town.name}
                    </option>
                  ))}
                </select>
              </div>
            )}
            <div className="admin-field">
              <label htmlFor={ids.status}>{t('workforce.filters.status')}</label>
              <select id={ids.status} value={filters.status} onChange={set('status')} data-testid="workers-filter-status">
                <option value="">{t('workforce.filters.all')}</option>
                {WORKER_STATUSES.map((s) => (
                  <option key={s} value={s}>
                    {t(`workforce.status.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="admin-field">
              <label htmlFor={ids.employment}>{t('workforce.filters.employment')}</label>
              <select id={ids.employment} value={filters.employment} onChange={set('employment')} data-testid="workers-filter-employment">
                <option value="">{t('workforce.filters.all')}</option>
                {EMPLOYMENTS.map((s) => (
                  <option key={s} value={s}>
                    {t(`workforce.employment.${s}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="admin-field">
              <label htmlFor={ids.grade}>{t('workforce.filters.grade')}</label>
              <select id={ids.grade} value={filters.grade} onChange={set('grade')} data-testid="workers-filter-grade">
                <option value="">{t('workforce.filters.all')}</option>
                {WORKER_GRADES.map((g) => (
                  <option key={g} value={String(g)}>
                    {t('workforce.grade', { grade: g })}
                  </option>
                ))}
              </select>
            </div>
          </div>
          {list.isError ? (
            <ReadFailed error={list.error} retry={() => void list.refetch()} testId="workers-failed" />
          ) : (
            <div className="admin-table-wrap" aria-busy={list.isFetching || undefined}>
              <table className="admin-table workforce-table" data-testid="workers-table" aria-label={t('workforce.list.label')}>
                <thead>
                  <tr>
                    <th scope="col">{t('workforce.list.name')}</th>
                    <th scope="col">{t('workforce.list.id')}</th>
                    <th scope="col">{t('workforce.list.town')}</th>
                    <th scope="col">{t('workforce.list.employment')}</th>
                    <th scope="col">{t('workforce.list.grade')}</th>
                    <th scope="col">{t('workforce.list.status')}</th>
                  </tr>
                </thead>
                <tbody>
                  {(list.data?.items ?? []).map((w) => (
                    <tr key={w.id} data-selectable="true" aria-selected={w.id === selected} onClick={() => open(w)} data-testid="worker-row" data-worker-id={w.id}>
                      <td className="admin-strong">
                        <button type="button" className="admin-row-link" onClick={() => open(w)}>
                          {w.name}
                        </button>
                      </td>
                      <td className="mono">{w.id}</td>
                      <td>
                        {w.town.name} › {w.village.name} › {w.grid.name}
                      </td>
                      <td>{t(`workforce.employment.${w.employment}`)}</td>
                      <td className="num">{t('workforce.grade', { grade: w.grade })}</td>
                      <td>
                        <span className="workforce-status" data-status={w.status}>
                          {t(`workforce.status.${w.status}`)}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {list.data && list.data.items.length === 0 && <p className="admin-empty">{t('workforce.list.empty')}</p>}
              {list.isPending && (
                <p className="admin-empty" aria-busy="true">
                  <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
                </p>
              )}
            </div>
          )}
          {list.data && total > 0 && (
            <nav className="workforce-pager" aria-label={t('workforce.list.page', { page: filters.page, pages: win.pages })}>
              <button type="button" className="admin-button admin-button-small" disabled={filters.page <= 1} onClick={() => setFilters((f) => ({ ...f, page: f.page - 1 }))}>
                ‹ {t('workforce.list.prev')}
              </button>
              <span className="muted" data-testid="workers-page">
                {t('workforce.list.shown', { from: win.from, to: win.to, total })} · {t('workforce.list.page', { page: filters.page, pages: win.pages })}
              </span>
              <button
                type="button"
                className="admin-button admin-button-small"
                disabled={filters.page >= win.pages}
                onClick={() => setFilters((f) => ({ ...f, page: f.page + 1 }))}
              >
                {t('workforce.list.next')} ›
              </button>
            </nav>
          )}
        </section>
      </div>
      <div className="admin-column workforce-side">
        {selected ? (
          <WorkerDetail key={selected} workerId={selected} canManage={canManage} today={today} onClose={() => setSelected(null)} />
        ) : (
          <section className="admin-panel">
            <p className="admin-empty">{t('workforce.detail.empty')}</p>
          </section>
        )}
      </div>
    </div>
  );
}
