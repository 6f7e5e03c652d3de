import './analysis.css';
import './agenda.css';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { AgendaCase, AgendaResponse } from '../../../../shared/contracts/analysis.js';
import { commandCenterName } from '../../../../shared/contracts/briefing.js';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { weekdayOf } from '../../../../shared/domain/calendar-days.js';
import { navigate } from '../../app/route';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { countyToday } from './analysis-filters';
import { QueryState } from './QueryState';
import { agendaQuery } from './queries';

/** Rows a table of cases prints before it says how many more the system holds. */
const MAX_ROWS = 30;
const WEEKDAYS_ZH = ['一', '二', '三', '四', '五', '六', '日'];

/** `2028年1月2日（星期日）`: the meeting's day as a Chinese document dates it. */
export function chineseDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  return `${y}年${m}月${d}日（星期${WEEKDAYS_ZH[weekdayOf(day)]}）`;
}

/** `01-02 12:00` in China time. */
const shortTime = (iso: string | null) => (iso ? formatDateTime(iso).slice(5, 16) : '—');

/** How late: `3 天 4 小时` from a day on, else `2 小时 5 分`. */
function lateText(t: (key: string, options: Record<string, unknown>) => string, minutes: number): string {
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  return days > 0 ? t('analysis.agenda.lateDays', { days, hours }) : t('analysis.agenda.lateText', { hours, minutes: minutes % 60 });
}

/**
 * One of the agenda's tables: "none" when it has no rows, else its column heads (keys of
 * `analysis.agenda.columns`, in Chinese: the agenda is filed) over the rows given.
 */
function AgendaTable({ testId, columns, empty, children }: { testId: string; columns: readonly string[]; empty: boolean; children: ReactNode }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT('zh-CN');
  if (empty) return <p className="agenda-none">{t('analysis.agenda.none')}</p>;
  return (
    <table className="agenda-table" data-testid={testId}>
      <thead>
        <tr>
          {columns.map((key) => (
            <th key={key}>{t(`analysis.agenda.columns.${key}`)}</th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

function CasesTable({ cases, kind }: { cases: readonly AgendaCase[]; kind: 'overdue' | 'supervised' }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT('zh-CN');
  const shown = cases.slice(0, MAX_ROWS);
  const columns = ['no', 'case', 'item', 'place', 'status', 'deadline', ...(kind === 'overdue' ? ['late'] : []), 'team'];
  return (
    <>
      <AgendaTable testId={`agenda-${kind}`} columns={columns} empty={cases.length === 0}>
        {shown.map((c, i) => (
          <tr key={c.id}>
            <td className="agenda-num">{i + 1}</td>
            <td className="agenda-id">{c.id}</td>
            <td>
              {c.itemName}
              <span className="agenda-urgency">（{t(`urgency.${c.urgency}`)}）</span>
            </td>
            <td>{c.placeName}</td>
            <td className="agenda-nowrap">{t(`status.${c.status}`)}</td>
            <td className="agenda-nowrap">{shortTime(c.deadlineAt)}</td>
            {kind === 'overdue' && <td className="agenda-nowrap">{lateText(t, c.lateMinutes)}</td>}
            <td>{c.teamName ?? '—'}</td>
          </tr>
        ))}
      </AgendaTable>
      {cases.length > MAX_ROWS && <p className="agenda-more">{t('analysis.agenda.more', { count: cases.length - MAX_ROWS })}</p>}
    </>
  );
}

/** The agenda as paper: white A4, plain official layout, always in Chinese (it is filed). */
export function AgendaDocument({ agenda }: { agenda: AgendaResponse }) {
  const { i18n } = useTranslation();
  const t = i18n.getFixedT('zh-CN');
  const center = commandCenterName(agenda.area.name);
  const s = agenda.summary;
  return (
    <article className="agenda-doc" lang="zh-CN" data-testid="agenda-doc">
      <header className="agenda-head">
        <div className="agenda-center">{t('analysis.agenda.subtitle', { center })}</div>
        <h1>{t('analysis.agenda.title')}</h1>
        <div className="agenda-meta">
          <span>{t('analysis.agenda.date', { date: chineseDate(agenda.date) })}</span>
          <span>{t('analysis.agenda.scope', { scope: agenda.town?.name ?? agenda.area.name })}</span>
        </div>
        <div className="agenda-meta agenda-generated">{t('analysis.agenda.generated', { time: formatDateTime(agenda.generatedAt).slice(0, 16) })}</div>
      </header>

      <h2>{t('analysis.agenda.summary')}</h2>
      <p className="agenda-text" data-testid="agenda-summary">
        {t('analysis.agenda.summaryText', { ...s })}
      </p>

      <h2>{t('analysis.agenda.hotSpots', { from: agenda.hotSpotWindow.from, to: agenda.hotSpotWindow.to })}</h2>
      <AgendaTable testId="agenda-hot-spots" columns={['no', 'place', 'item', 'count', 'onDate', 'open']} empty={agenda.hotSpots.length === 0}>
          {agenda.hotSpots.map((h) => (
            <tr key={`${h.gridId}/${h.itemCode}`}>
              <td className="agenda-num">{h.rank}</td>
              <td>{h.placeName}</td>
              <td>{h.itemName}</td>
              <td className="agenda-num">{h.count}</td>
              <td className="agenda-num">{h.onDate}</td>
              <td className="agenda-num">{h.open}</td>
            </tr>
          ))}
      </AgendaTable>

      <h2>{t('analysis.agenda.repeats', { days: agenda.repeatWindowDays })}</h2>
      <AgendaTable testId="agenda-repeats" columns={['no', 'case', 'item', 'place', 'reportedAt', 'earlier', 'reopened']} empty={agenda.repeats.length === 0}>
          {agenda.repeats.slice(0, MAX_ROWS).map((r, i) => (
            <tr key={r.id}>
              <td className="agenda-num">{i + 1}</td>
              <td className="agenda-id">{r.id}</td>
              <td>{r.itemName}</td>
              <td>{r.placeName}</td>
              <td className="agenda-nowrap">{shortTime(r.reportedAt)}</td>
              <td className="agenda-ids">{r.earlierIds.join('、')}</td>
              <td className="agenda-num">{r.reopenedAfterClose}</td>
            </tr>
          ))}
      </AgendaTable>

      <h2>{t('analysis.agenda.overdue')}</h2>
      <CasesTable cases={agenda.overdue} kind="overdue" />

      <h2>{t('analysis.agenda.supervised')}</h2>
      <CasesTable cases={agenda.supervised} kind="supervised" />

      <h2>{t('analysis.agenda.discussion')}</h2>
      <p className="agenda-text agenda-hint">{t('analysis.agenda.discussionLines')}</p>
      <div className="agenda-lines" aria-hidden="true">
        {Array.from({ length: 6 }, (_, i) => (
          <div key={i} />
        ))}
      </div>
    </article>
  );
}

/**
 * `/agenda?date=&town=`: the daily analysis meeting's agenda (日常研判分析会) as a page to
 * discuss and print, with a toolbar (print, back to analysis) that does not print.
 */
export function AgendaPage({ user, search }: { user: SessionUser; search: URLSearchParams }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const [today] = useState(() => countyToday());
  const rawDate = search.get('date');
  const date = rawDate && /^\d{4}-\d{2}-\d{2}$/.test(rawDate) ? rawDate : today;
  const rawTown = search.get('town');
  const town = rawTown && /^\d{9}$/.test(rawTown) ? rawTown : '';
  const agenda = useQuery(agendaQuery(api, date, town));
  return (
    <div className="agenda-page" data-testid="agenda-page" data-user={user.username}>
      <div className="agenda-toolbar">
        <button type="button" className="period-chip" onClick={() => navigate('analysis', { to: date, town: town || undefined })} data-testid="agenda-back">
          {t('analysis.agenda.back')}
        </button>
        <span className="agenda-toolbar-title">{t('analysis.agenda.title')}</span>
        <button type="button" className="period-chip period-chip-strong" onClick={() => window.print()} disabled={!agenda.data} data-testid="agenda-print">
          {t('analysis.agenda.print')}
        </button>
      </div>
      <div className="agenda-sheet-wrap">
        <QueryState isPending={agenda.isPending} error={agenda.error} retry={() => void agenda.refetch()} testId="agenda-page">
          {agenda.data && <AgendaDocument agenda={agenda.data} />}
        </QueryState>
      </div>
    </div>
  );
}
