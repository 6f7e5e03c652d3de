import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridImportReport, GridProblem, RosterImportReport } from '../../../../shared/contracts/imports.js';

type SortKey = 'feature' | 'code' | 'problem' | 'area';

const compare = (key: SortKey) => (a: GridProblem, b: GridProblem) => {
  switch (key) {
    case 'feature':
      return (a.feature ?? Infinity) - (b.feature ?? Infinity);
    case 'code':
      return (a.code ?? '').localeCompare(b.code ?? '');
    case 'problem':
      return a.problem.localeCompare(b.problem) || (a.feature ?? Infinity) - (b.feature ?? Infinity);
    case 'area':
      return (b.areaM2 ?? -1) - (a.areaM2 ?? -1);
  }
};

/**
 * Every problem of a boundary file, one row each: sortable by feature, code, problem or area,
 * filtered by kind of problem. A row selects its feature on the preview (and the other way).
 */
export function GridProblemTable({ report, selected, onSelect }: { report: GridImportReport; selected: number | null; onSelect(feature: number | null): void }) {
  const { t } = useTranslation();
  const [sort, setSort] = useState<SortKey>('feature');
  const [filter, setFilter] = useState<string>('');
  const kinds = useMemo(() => [...new Set(report.problems.map((p) => p.problem))], [report]);
  const rows = useMemo(() => report.problems.map((p, i) => ({ p, i })).filter(({ p }) => !filter || p.problem === filter).sort((a, b) => compare(sort)(a.p, b.p)), [report, filter, sort]);
  if (report.problems.length === 0) return <p className="admin-empty" data-testid="import-no-problems">{t('dataImport.none')}</p>;
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort === key ? (key === 'area' ? 'descending' : 'ascending') : 'none'}>
      <button type="button" className="import-sort" onClick={() => setSort(key)} title={t('dataImport.sortBy', { column: label })} data-testid={`import-sort-${key}`}>
        {label}
        {sort === key ? (key === 'area' ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <>
      <div className="admin-filters">
        <label className="import-filter">
          <span>{t('dataImport.filter')}</span>
          <select className="admin-input" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="import-filter">
            <option value="">{t('dataImport.allProblems', { count: report.problems.length })}</option>
            {kinds.map((k) => (
              <option key={k} value={k}>
                {t(`dataImport.gridProblem.${k}`)} ({report.problems.filter((p) => p.problem === k).length})
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="admin-table-wrap">
        <table className="admin-table import-table" data-testid="import-problems">
          <thead>
            <tr>
              {header('feature', t('dataImport.col.feature'))}
              {header('code', t('dataImport.col.code'))}
              {header('problem', t('dataImport.col.problem'))}
              <th>{t('dataImport.col.where')}</th>
              {header('area', t('dataImport.col.area'))}
              <th>{t('dataImport.col.other')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(({ p, i }) => (
              <tr
                key={i}
                data-selectable={p.feature !== null}
                aria-selected={p.feature !== null && p.feature === selected}
                onClick={() => onSelect(p.feature)}
                data-testid="import-problem"
                data-problem={p.problem}
                data-feature={p.feature ?? ''}
              >
                <td className="admin-nowrap import-num">{p.feature ?? '—'}</td>
                <td className="admin-nowrap import-code">{p.code ?? '—'}</td>
                <td>
                  <span className="admin-chip" data-tone="bad">
                    {t(`dataImport.gridProblem.${p.problem}`)}
                  </span>
                </td>
                <td className="admin-nowrap import-num">{p.where ? `${p.where[0].toFixed(6)}, ${p.where[1].toFixed(6)}` : '—'}</td>
                <td className="admin-nowrap import-num">{p.areaM2 === null ? '—' : p.areaM2.toLocaleString()}</td>
                <td className="import-other">{p.other ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** Every problem of a roster file: sheet, row as the spreadsheet numbers it, column, value. */
export function RosterProblemTable({ report }: { report: RosterImportReport }) {
  const { t } = useTranslation();
  if (report.problems.length === 0) return <p className="admin-empty" data-testid="import-no-problems">{t('dataImport.none')}</p>;
  return (
    <div className="admin-table-wrap">
      <table className="admin-table import-table" data-testid="import-problems">
        <thead>
          <tr>
            <th>{t('dataImport.col.sheet')}</th>
            <th>{t('dataImport.col.row')}</th>
            <th>{t('dataImport.col.field')}</th>
            <th>{t('dataImport.col.problem')}</th>
            <th>{t('dataImport.col.value')}</th>
          </tr>
        </thead>
        <tbody>
          {report.problems.map((p, i) => (
            <tr key={i} data-testid="import-problem" data-problem={p.problem}>
              <td className="admin-nowrap">{t(`dataImport.rosterKinds.${p.sheet}`)}</td>
              <td className="admin-nowrap import-num">{p.row ?? '—'}</td>
              <td className="admin-nowrap import-code">{p.field ?? '—'}</td>
              <td>
                <span className="admin-chip" data-tone="bad">
                  {t(`dataImport.rosterProblem.${p.problem}`)}
                </span>
              </td>
              <td>{p.value ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
