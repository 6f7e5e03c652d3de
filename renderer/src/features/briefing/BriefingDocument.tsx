import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { BRIEFING_AREA_WORDS, BRIEFING_COUNT_FIELDS, casePlaceName, commandCenterName, type BriefingCounts, type BriefingFigures, type BriefingResponse, type BriefingStep } from '../../../../shared/contracts/briefing.js';
import type { Kpis } from '../../../../shared/contracts/kpi.js';
import { BRIEFING_COUNT_LABELS, KPI_RATE_FIELDS, KPI_RATE_LABELS } from '../../../../shared/domain/briefing-words.js';
import { ACTION_LABELS, STATUS_LABELS, SYSTEM_ENTRY_LABELS, TEAM_TYPE_LABELS, URGENCY_LABELS, type Label } from '../../../../shared/domain/labels.js';
import { caseStanding, chinaDate, chinaDayTime, inheritedCases, periodText, rateText } from './briefing-format';
import './briefing-document.css';

/** The map picture's state: its sanitised markup, or why there is none yet. */
export type BriefingMap = { state: 'ready'; svg: string } | { state: 'loading' } | { state: 'failed'; message: string };

const zh = (label: Label | undefined, fallback: string) => label?.['zh-CN'] ?? fallback;
const stepWord = (action: string) => zh((ACTION_LABELS as Record<string, Label>)[action] ?? (SYSTEM_ENTRY_LABELS as Record<string, Label>)[action], action);
const CHINESE_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'];

/** The rows of Table 1: the counts (件) then the rates (%), in the words the XLSX uses too. */
const SUMMARY_COUNTS: ReadonlyArray<keyof BriefingCounts> = BRIEFING_COUNT_FIELDS;
/** Table 2's count columns: what an area's row needs for the handover (the rest is in the XLSX). */
const AREA_COUNTS: ReadonlyArray<keyof BriefingCounts> = ['reported', 'filed', 'dispatched', 'closed', 'open', 'overdueOpen', 'nearDeadline', 'supervisedOpen'];

/**
 * The shift briefing (交班简报) as a document in the layout of GB/T 9704-2012: the red title block
 * (the briefing's name, 第 N 期, the command centre and the date over a red rule), a title in a
 * bold Song face, the body in 仿宋 at 3号, figures in tables with their units, and the 版记 at
 * the end. Always in Chinese; every figure is the JSON's own (`GET /api/v1/briefings`), never
 * recomputed here. The print stylesheet sets A4 with the standard's margins and page numbers.
 */
export function BriefingDocument({ briefing: b, map }: { briefing: BriefingResponse; map: BriefingMap }) {
  const { i18n } = useTranslation();
  const t = useMemo(() => i18n.getFixedT('zh-CN', undefined, 'briefing.doc'), [i18n]);
  const isShift = b.shift !== null;
  // named after the scope's root (the county, the city…), and its table lists the areas one level below
  const center = commandCenterName(b.area.name);
  const area = BRIEFING_AREA_WORDS[b.areaLevel]['zh-CN'];
  const inherited = inheritedCases(b);
  const listedTotal = b.counts.overdueOpen + b.counts.nearDeadline + b.counts.supervisedOpen;
  const columns = isShift ? [t('thisShift'), t('prevShift'), t('weekShift')] : [t('thisPeriod'), t('prevPeriod'), t('weekPeriod')];
  const figures: BriefingFigures[] = [b, b.comparison.previous, b.comparison.weekAgo];

  return (
    <article className="briefing-doc" lang="zh-CN" data-testid="briefing-document">
      <header className="bd-masthead">
        <div className="bd-brand">{t('brand')}</div>
        <div className="bd-issue">{b.issue ? t('issue', { year: b.issue.year, number: b.issue.number }) : t('periodIssue')}</div>
        <div className="bd-issuer">
          <span>{center}</span>
          <span>{chinaDate(b.period.to)}</span>
        </div>
        <div className="bd-red-rule" role="presentation" />
      </header>

      <h1 className="bd-title">{isShift ? t('headline', { shift: b.shift!.name }) : t('periodHeadline')}</h1>
      <p className="bd-subtitle">（{periodText(b.period)}）</p>
      <p className="bd-meta">
        <span>{b.shift ? (b.shift.lead ? t('lead', { name: b.shift.lead }) : t('noLead')) : null}</span>
        <span>{t('asOf', { time: chinaDayTime(b.asOf, true) })}</span>
      </p>

      <section className="bd-section" data-section="summary">
        <h2>{t('s1')}</h2>
        <p className="bd-para">
          {t('summary', {
            unit: isShift ? t('unitShift') : t('unitPeriod'),
            ...b.counts,
            asOf: chinaDayTime(b.asOf),
            until: chinaDayTime(b.nearDeadlineUntil),
          })}
        </p>
        <table className="bd-table">
          <caption>{t('t1')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('indicator')}</th>
              <th scope="col">{t('unit')}</th>
              {columns.map((c) => (
                <th scope="col" key={c}>
                  {c}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {SUMMARY_COUNTS.map((k) => (
              <tr key={k} data-count={k}>
                <th scope="row">{BRIEFING_COUNT_LABELS[k]['zh-CN']}</th>
                <td>{t('piece')}</td>
                {figures.map((f, i) => (
                  <td className="bd-num" key={i}>
                    {f.counts[k]}
                  </td>
                ))}
              </tr>
            ))}
            {KPI_RATE_FIELDS.map((k) => (
              <tr key={k} data-rate={k}>
                <th scope="row">{KPI_RATE_LABELS[k]['zh-CN']}</th>
                <td>{t('percent')}</td>
                {figures.map((f, i) => (
                  <td className="bd-num" key={i}>
                    {rateText(f.kpis[k])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section className="bd-section" data-section="areas" data-level={b.areaLevel}>
        <h2>{t('s2', { area })}</h2>
        <table className="bd-table bd-table-wide">
          <caption>
            {t('t2', { area })}
            <span className="bd-unit">{t('unitNote')}</span>
          </caption>
          <thead>
            <tr>
              <th scope="col">{area}</th>
              {AREA_COUNTS.map((k) => (
                <th scope="col" key={k}>
                  {BRIEFING_COUNT_LABELS[k]['zh-CN']}
                </th>
              ))}
              <th scope="col">{KPI_RATE_LABELS.onTimeClosureRate['zh-CN']}</th>
            </tr>
          </thead>
          <tbody>
            {b.byArea.map((a) => (
              <AreaRow key={a.id} id={a.id} name={a.name} counts={a.counts} kpis={a.kpis} />
            ))}
            <AreaRow name={t('total')} counts={b.counts} kpis={b.kpis} total />
          </tbody>
        </table>
      </section>

      <section className="bd-section" data-section="cases">
        <h2>{t('s3')}</h2>
        {inherited.length === 0 ? (
          <p className="bd-para">{t('none')}</p>
        ) : (
          <>
            {inherited.length < listedTotal && <p className="bd-note">{t('listed', { shown: inherited.length, total: listedTotal })}</p>}
            <table className="bd-table bd-table-dense">
              <caption>{t('t3')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('no')}</th>
                  <th scope="col">{t('kind')}</th>
                  <th scope="col">{t('caseId')}</th>
                  <th scope="col">{t('item')}</th>
                  <th scope="col">{b.areaLevel === 'town' ? t('town') : `${BRIEFING_AREA_WORDS.county['zh-CN']} › ${t('town')}`}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('due')}</th>
                </tr>
              </thead>
              <tbody>
                {inherited.map((c, i) => {
                  const standing = caseStanding(c, b);
                  const kind = [standing === 'overdue' ? t('kindOverdue') : standing === 'near' ? t('kindNear') : t('kindOpen'), ...(c.supervised ? [t('supervised')] : [])].join('、');
                  return (
                    <tr key={c.id} data-case={c.id}>
                      <td className="bd-num">{i + 1}</td>
                      <td>{kind}</td>
                      <td className="bd-id">{c.id}</td>
                      <td className="bd-item">
                        <span className={`bd-urgency bd-urgency-${c.urgency}`}>{zh(URGENCY_LABELS[c.urgency], c.urgency)}</span>
                        {c.itemName}
                      </td>
                      <td>{casePlaceName(c, b.areaLevel)}</td>
                      <td>{zh(STATUS_LABELS[c.status], c.status)}</td>
                      <td className="bd-num">{c.dueAt ? chinaDayTime(c.dueAt) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </>
        )}
      </section>

      <section className="bd-section" data-section="hotspots">
        <h2>{t('s4')}</h2>
        {b.topItems.length === 0 ? (
          <p className="bd-para">{t('none')}</p>
        ) : (
          <table className="bd-table">
            <caption>
              {t('t4')}
              <span className="bd-unit">{t('piece')}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('rank')}</th>
                <th scope="col">{t('item')}</th>
                <th scope="col">{t('count')}</th>
                <th scope="col">{t('closed')}</th>
              </tr>
            </thead>
            <tbody>
              {b.topItems.map((item, i) => (
                <tr key={item.itemCode}>
                  <td className="bd-rank">{i + 1}</td>
                  <td>{item.itemName}</td>
                  <td className="bd-num">{item.count}</td>
                  <td className="bd-num">{item.closed}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {b.hotSpots.length === 0 ? (
          <p className="bd-para">{t('noHotSpots')}</p>
        ) : (
          <table className="bd-table">
            <caption>
              {t('t5')}
              <span className="bd-unit">{t('piece')}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('rank')}</th>
                <th scope="col">{t('grid')}</th>
                <th scope="col">{t('item')}</th>
                <th scope="col">{t('repeats')}</th>
              </tr>
            </thead>
            <tbody>
              {b.hotSpots.map((h, i) => (
                <tr key={`${h.gridId}-${h.itemCode}`}>
                  <td className="bd-rank">{i + 1}</td>
                  <td>{h.place}</td>
                  <td>{h.itemName}</td>
                  <td className="bd-num">{h.count}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="bd-section" data-section="notable">
        <h2>{t('s5')}</h2>
        {b.notable.length === 0 ? (
          <p className="bd-para">{t('noNotable')}</p>
        ) : (
          b.notable.map((n, i) => (
            <div className="bd-notable" key={n.case.id} data-case={n.case.id}>
              <h3>
                {t('notableHead', {
                  n: CHINESE_ORDINALS[i] ?? String(i + 1),
                  urgency: `${n.case.urgency} ${zh(URGENCY_LABELS[n.case.urgency], '')}${n.reasons.includes('supervised') ? `·${t('reasonSupervised')}` : ''}`,
                  item: n.case.itemName,
                  place: `${casePlaceName(n.case, b.areaLevel)} ${n.case.place}`,
                  id: n.case.id,
                  status: zh(STATUS_LABELS[n.case.status], n.case.status),
                })}
              </h3>
              <ol className="bd-steps">
                {n.steps.map((s, j) => (
                  <Step key={j} step={s} system={t('system')} />
                ))}
              </ol>
            </div>
          ))
        )}
      </section>

      <section className="bd-section" data-section="teams">
        <h2>{t('s6')}</h2>
        {b.teams.length === 0 ? (
          <p className="bd-para">{t('noTeams')}</p>
        ) : (
          <table className="bd-table">
            <caption>
              {t('t6')}
              <span className="bd-unit">{t('piece')}</span>
            </caption>
            <thead>
              <tr>
                <th scope="col">{t('team')}</th>
                <th scope="col">{t('teamType')}</th>
                <th scope="col">{t('dispatched')}</th>
                <th scope="col">{t('handled')}</th>
                <th scope="col">{t('closed')}</th>
                <th scope="col">{t('returned')}</th>
              </tr>
            </thead>
            <tbody>
              {b.teams.map((team) => (
                <tr key={team.teamId}>
                  <td>{team.name}</td>
                  <td>{zh((TEAM_TYPE_LABELS as Record<string, Label>)[team.type], team.type)}</td>
                  <td className="bd-num">{team.dispatched}</td>
                  <td className="bd-num">{team.handled}</td>
                  <td className="bd-num">{team.closed}</td>
                  <td className="bd-num">{team.returned}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section className="bd-section bd-map-section" data-section="map">
        <h2>{t('s7')}</h2>
        <figure className="bd-figure">
          {map.state === 'ready' ? (
            // The server's own picture, cleaned of anything but drawing (map-svg.ts): inlined so it prints as vectors.
            <div className="bd-map" data-testid="briefing-map" dangerouslySetInnerHTML={{ __html: map.svg }} />
          ) : (
            <div className="bd-map bd-map-missing">{t('mapMissing')}</div>
          )}
          <figcaption>{t('figure')}</figcaption>
        </figure>
      </section>

      <footer className="bd-colophon">
        <p className="bd-generated">{t('generated', { time: chinaDayTime(b.generatedAt, true) })}</p>
        <div className="bd-issued">
          <span>{t('issuedBy', { center })}</span>
          <span>{t('issuedOn', { date: chinaDate(b.generatedAt) })}</span>
        </div>
      </footer>
    </article>
  );
}

function AreaRow({ id, name, counts, kpis, total = false }: { id?: string; name: string; counts: BriefingCounts; kpis: Kpis; total?: boolean }) {
  return (
    <tr className={total ? 'bd-total' : undefined} data-area={id} data-name={name}>
      <th scope="row">{name}</th>
      {AREA_COUNTS.map((k) => (
        <td className="bd-num" key={k}>
          {counts[k]}
        </td>
      ))}
      <td className="bd-num">{rateText(kpis.onTimeClosureRate)}</td>
    </tr>
  );
}

function Step({ step, system }: { step: BriefingStep; system: string }) {
  const who = [step.actor ?? system, step.teamName].filter(Boolean).join('，');
  return (
    <li>
      <span className="bd-step-time">{chinaDayTime(step.at)}</span>
      <span className="bd-step-what">{stepWord(step.action)}</span>
      <span className="bd-step-who">{who}</span>
      {step.note && <span className="bd-step-note">“{step.note}”</span>}
    </li>
  );
}
