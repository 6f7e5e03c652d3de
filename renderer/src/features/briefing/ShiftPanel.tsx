import { useQuery } from '@tanstack/react-query';
import { useEffect, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { BriefingCounts, BriefingResponse } from '../../../../shared/contracts/briefing.js';
import type { Kpis } from '../../../../shared/contracts/kpi.js';
import { navigate, pathOfScreen } from '../../app/route';
import { useServices } from '../../app/services';
import { BriefingDocument } from './BriefingDocument';
import { BriefingExports, type PdfOutcome } from './BriefingExports';
import { chinaClock, periodText, rateText } from './briefing-format';
import { briefingMapQuery, briefingQuery, mapState, shiftScheduleQuery } from './queries';
import { changeText, shiftChoices, type ShiftChoice } from './shift-choices';
import { healthQuery } from '../system/queries';
import './briefing-page.css';
import './shift-panel.css';

/** The figures the lead watches during the shift, in the order of the loop, then what the next shift inherits. */
const FIGURES: ReadonlyArray<keyof BriefingCounts> = ['reported', 'filed', 'dispatched', 'closed', 'open', 'overdueOpen', 'nearDeadline', 'supervisedOpen'];
/** Figures where more is worse: their change is marked as a warning. */
const WORSE_WHEN_UP = new Set<keyof BriefingCounts>(['overdueOpen', 'nearDeadline']);
const RATES: ReadonlyArray<keyof Kpis> = ['filingRate', 'dispatchRate', 'closureRate', 'onTimeClosureRate'];
/** The running shift's figures are read again this often (a briefing panel, not a live feed). */
const REFRESH_MS = 60_000;
/** A4's width in CSS pixels (210 mm at 96 dpi): the preview is this sheet, zoomed to its box. */
const A4_WIDTH_PX = (210 / 25.4) * 96;

/**
 * The shift lead's panel (本班概况 + 交班简报): the running shift's figures against the shift
 * before, and the briefing of a chosen shift (by default the one to hand over) as a scaled A4
 * preview with its exports (PDF, XLSX, CSV). Self-contained: it reads the shift schedule, the
 * figures and the map itself. Its place is the shift lead's screen.
 */
export function ShiftPanel({ user }: { user: SessionUser }) {
  const { t, i18n } = useTranslation();
  const { api } = useServices();
  const now = useMinuteClock();
  const schedule = useQuery(shiftScheduleQuery(api));
  // Shifts are the server's: read on its clock (a desk PC's clock may be off), kept running with ours.
  const health = useQuery(healthQuery(api));
  const serverNow = health.data ? now + (Date.parse(health.data.serverTime) - health.dataUpdatedAt) : null;
  const choices = schedule.data && serverNow !== null ? shiftChoices(schedule.data.shifts, new Date(serverNow)) : [];
  const running = choices[0] ?? null;
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = choices.find((c) => c.key === picked) ?? choices.find((c) => c.handover) ?? null;
  const current = useQuery({
    ...briefingQuery(api, running ? { from: running.from, to: running.to } : {}),
    enabled: running !== null,
    refetchInterval: REFRESH_MS,
  });
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  return (
    <section className="shift-panel" aria-label={t('briefing.panel.title')} data-testid="shift-panel" data-user={user.id}>
      <header className="shift-panel-head">
        <h2>{t('briefing.panel.title')}</h2>
        {running && (
          <span className="shift-panel-shift">
            {lang === 'en' ? running.nameEn : running.name} {chinaClock(running.from)}—{chinaClock(running.to)}
            <span className="shift-panel-running">{t('briefing.panel.running')}</span>
          </span>
        )}
        {current.data?.shift && <span className="muted">{current.data.shift.lead ? t('briefing.panel.lead', { name: current.data.shift.lead }) : t('briefing.panel.noLead')}</span>}
        {current.data && <span className="muted shift-panel-asof">{t('briefing.panel.asOf', { time: chinaClock(current.data.asOf) })}</span>}
      </header>
      {current.error && (
        <p className="shift-panel-error" role="alert">
          {t('briefing.panel.figuresFailed', { message: current.error.message })}
        </p>
      )}
      {schedule.error && (
        <p className="shift-panel-error" role="alert">
          {t('briefing.failed', { message: schedule.error.message })}
        </p>
      )}
      {current.data && <Figures briefing={current.data} />}
      {chosen && <BriefingPreview choice={chosen} choices={choices} onPick={setPicked} lang={lang} />}
    </section>
  );
}

function Figures({ briefing: b }: { briefing: BriefingResponse }) {
  const { t } = useTranslation();
  const previous = b.comparison.previous;
  return (
    <div className="shift-panel-figures" data-testid="shift-figures">
      {FIGURES.map((k) => {
        const value = b.counts[k];
        const before = previous.counts[k];
        const worse = WORSE_WHEN_UP.has(k) && value > before;
        return (
          <div className="shift-figure" key={k} data-figure={k} data-alarm={k === 'overdueOpen' && value > 0 ? 'true' : undefined}>
            <span className="shift-figure-label">{t(`briefing.count.${k}`)}</span>
            <span className="shift-figure-value">{value}</span>
            <span className="shift-figure-change" data-worse={worse || undefined} title={t('briefing.panel.change')}>
              {t('briefing.panel.previous')} {before}（{changeText(value, before)}）
            </span>
          </div>
        );
      })}
      {RATES.map((k) => (
        <div className="shift-figure shift-rate" key={k} data-rate={k}>
          <span className="shift-figure-label">{t(`briefing.rate.${k}`)}</span>
          <span className="shift-figure-value">
            {rateText(b.kpis[k])}
            {b.kpis[k] !== null && <small>%</small>}
          </span>
          <span className="shift-figure-change">
            {t('briefing.panel.previous')} {rateText(previous.kpis[k])}
          </span>
        </div>
      ))}
    </div>
  );
}

/** The chosen shift's briefing: the picker, the exports and the scaled A4 preview. */
function BriefingPreview({ choice, choices, onPick, lang }: { choice: ShiftChoice; choices: ShiftChoice[]; onPick(key: string): void; lang: 'zh-CN' | 'en' }) {
  const { t } = useTranslation();
  const { api, platform } = useServices();
  const period = { from: choice.from, to: choice.to };
  const briefing = useQuery(briefingQuery(api, period));
  const map = useQuery(briefingMapQuery(api, period));
  const { printInPlace, printRoot } = usePrintRoot();
  const mapNow = mapState(map);

  const printPdf = async (fileName: string): Promise<PdfOutcome> => {
    const savePdf = platform.savePdf;
    if (savePdf && briefing.data) {
      const result = await printInPlace(<BriefingDocument briefing={briefing.data} map={mapNow} />, () => savePdf(fileName));
      return result.saved ? { kind: 'saved', fileName: result.fileName } : { kind: 'canceled' };
    }
    // A browser prints the briefing page itself, in a new tab that shares this tab's session.
    const tab = window.open(pathOfScreen('briefing', { from: choice.from, to: choice.to, print: '1' }), '_blank');
    if (!tab) throw new Error(t('briefing.export.popupBlocked'));
    return { kind: 'opened' };
  };

  return (
    <div className="shift-panel-briefing">
      <div className="shift-panel-briefing-bar">
        <h3>{t('briefing.panel.briefingTitle')}</h3>
        <label className="shift-panel-picker">
          <span>{t('briefing.panel.picker')}</span>
          <select value={choice.key} onChange={(e) => onPick(e.target.value)} data-testid="shift-picker">
            {choices.map((c) => (
              <option key={c.key} value={c.key}>
                {t('briefing.panel.pickerOption', { name: lang === 'en' ? c.nameEn : c.name, period: periodText(c) })}
                {c.handover ? ` ${t('briefing.panel.endingNow')}` : c.running ? ` (${t('briefing.panel.running')})` : ''}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="briefing-back" onClick={() => navigate('briefing', { from: choice.from, to: choice.to })}>
          {t('briefing.panel.open')}
        </button>
        {briefing.data && <BriefingExports period={briefing.data.period} printPdf={printPdf} />}
      </div>
      <PreviewSheet label={t('briefing.panel.preview')}>
        {briefing.data ? (
          <BriefingDocument briefing={briefing.data} map={mapNow} />
        ) : briefing.error ? (
          <p role="alert">{t('briefing.failed', { message: briefing.error.message })}</p>
        ) : (
          <p role="status">{t('briefing.loading')}</p>
        )}
      </PreviewSheet>
      {printRoot}
    </div>
  );
}

/** An A4 sheet zoomed to the width of its box: the printed layout, smaller. */
function PreviewSheet({ label, children }: { label: string; children: ReactNode }) {
  const box = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState(0.5);
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const fit = () => setZoom(Math.max(0.2, Math.min(1, (el.clientWidth - 32) / A4_WIDTH_PX)));
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return (
    <div className="shift-panel-preview" ref={box} role="region" aria-label={label} tabIndex={0}>
      <div className="briefing-sheet" style={{ zoom }} data-testid="briefing-preview">
        {children}
      </div>
    </div>
  );
}

/**
 * Prints one element alone from this screen (the shell prints the calling page): it is mounted
 * beside the console, the print stylesheet shows only it while `run` lasts, then it is gone.
 */
function usePrintRoot(): { printInPlace<T>(content: ReactNode, run: () => Promise<T>): Promise<T>; printRoot: ReactNode } {
  const [content, setContent] = useState<ReactNode>(null);
  const mounted = useRef<(() => void) | null>(null);
  useEffect(() => {
    if (content !== null) mounted.current?.();
  }, [content]);
  async function printInPlace<T>(next: ReactNode, run: () => Promise<T>): Promise<T> {
    const shown = new Promise<void>((resolve) => (mounted.current = resolve));
    setContent(next);
    await shown;
    const root = document.documentElement;
    root.classList.add('briefing-printing');
    try {
      await document.fonts.ready;
      await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
      return await run();
    } finally {
      root.classList.remove('briefing-printing');
      mounted.current = null;
      setContent(null);
    }
  }
  return { printInPlace, printRoot: content === null ? null : createPortal(<div className="briefing-print-root">{content}</div>, document.body) };
}

/** Now, to the minute: which shift runs and which to hand over change at most that often. */
function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}
