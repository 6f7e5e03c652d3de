import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldItemName } from './field-catalog';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { useNow } from '../app/use-now';
import { useField } from './field-context';
import { bearing, fitView, ringsPath, scaleBar, toXY, type LonLat, type MapSnippet } from './field-map';
import { isIos, navigationLinks } from './nav-links';
import { toWgs84, type PositionProblem } from './position';

const W = 360;
const H = 240;
/** The phone is drawn on the map when it is this close to the case; farther, the words say where. */
const DRAW_PHONE_WITHIN_M = 3_000;
/** A fix older than this is not "where you are" any more. */
const FRESH_FIX_MS = 5 * 60_000;

function useSnippet(microGridId: string): MapSnippet | null {
  const { maps, ensureMaps } = useField();
  useEffect(() => {
    void ensureMaps([microGridId]);
  }, [ensureMaps, microGridId]);
  return useSyncExternalStore(
    maps.subscribe,
    () => maps.get(microGridId),
    () => maps.get(microGridId),
  );
}

/** The phone's latest fix (WGS84) if recent, and why there is none otherwise. */
function usePhone(): { at: { lon: number; lat: number; accuracy?: number } | null; problem: PositionProblem | null; locateNow: () => Promise<unknown> } {
  const { tracker } = useField();
  const state = useSyncExternalStore(tracker.subscribe, tracker.getState, tracker.getState);
  const now = useNow(30_000);
  const fresh = state.latest && now - state.latest.at < FRESH_FIX_MS ? state.latest : null;
  return { at: fresh ? toWgs84(fresh) : null, problem: fresh ? null : state.problem, locateNow: () => tracker.locateNow() };
}

function useDistanceWords() {
  const { t } = useTranslation();
  return (metres: number) =>
    metres < 1000 ? t('map.m', { n: Math.max(10, Math.round(metres / 10) * 10) }) : t('map.km', { n: (metres / 1000).toFixed(metres % 1000 === 0 ? 0 : 1) });
}

/**
 * 位置: the task's place on a small map of its micro-grid, drawn from the server's own layers
 * kept on the phone (no tiles, no network needed once downloaded): the micro-grid, its grid's
 * outline, the micro-grids around, the case and the phone. Below it, how far and which way,
 * why the phone's position is unknown if it is, and links that hand the way over to the phone's
 * navigation app.
 */
export function FieldMap({ event }: { event: EventRecord }) {
  const { t } = useTranslation();
  const snippet = useSnippet(event.microGridId);
  const phone = usePhone();
  const distance = useDistanceWords();
  const [locating, setLocating] = useState(false);
  const target = event.location;
  const away = phone.at ? bearing(phone.at, target) : null;
  const drawPhone = phone.at !== null && away !== null && away.metres <= DRAW_PHONE_WITHIN_M;

  const view = useMemo(() => {
    const points: LonLat[] = [[target.lon, target.lat]];
    if (snippet) points.push(...snippet.microGrid.rings.flat(), ...(snippet.grid?.rings.flat() ?? []));
    if (drawPhone && phone.at) points.push([phone.at.lon, phone.at.lat]);
    return fitView(points, W, H, 18);
  }, [snippet, target.lon, target.lat, drawPhone, phone.at]);
  const itemName = useFieldItemName();
  const label = itemName(event);
  const links = useMemo(() => navigationLinks(target, label, isIos(navigator.userAgent)), [target, label]);
  const bar = scaleBar(view, 110);
  const [cx, cy] = toXY(view, [target.lon, target.lat]);
  const me = drawPhone && phone.at ? toXY(view, [phone.at.lon, phone.at.lat]) : null;

  const locate = () => {
    setLocating(true);
    void phone.locateNow().finally(() => setLocating(false));
  };

  return (
    <section className="f-map" data-testid="field-map" data-snippet={snippet ? 'yes' : 'no'}>
      <h2 className="f-h2">{t('map.title')}</h2>
      <svg className="f-map-svg" viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${snippet?.microGrid.name ?? event.address}`} data-testid="field-map-svg">
        <rect width={W} height={H} className="f-map-bg" />
        {snippet?.neighbours.map((n) => <path key={n.id} d={ringsPath(view, n.rings)} className="f-map-neighbour" />)}
        {snippet?.grid && <path d={ringsPath(view, snippet.grid.rings)} className="f-map-grid" data-testid="field-map-grid" />}
        {snippet && <path d={ringsPath(view, snippet.microGrid.rings)} className="f-map-micro" data-testid="field-map-microgrid" />}
        {me && (
          <g data-testid="field-map-you">
            <circle cx={me[0]} cy={me[1]} r={11} className="f-map-you" />
            {/* the label on the side away from the case's pin, so neither covers the other */}
            <text x={me[0] < cx ? me[0] - 16 : me[0] + 16} y={me[1] + 6} className="f-map-label" textAnchor={me[0] < cx ? 'end' : 'start'}>
              {t('map.you')}
            </text>
          </g>
        )}
        {/* the case: a pin (shape and word, not colour alone), on top of everything */}
        <g data-testid="field-map-case" className={`f-map-pin f-map-pin-${event.urgency}`}>
          <path d={`M${cx} ${cy} l-11 -22 a12.5 12.5 0 1 1 22 0 z`} />
          <circle cx={cx} cy={cy - 28} r={5} className="f-map-pin-dot" />
        </g>
        <g className="f-map-north" transform={`translate(${W - 24} 26)`}>
          <path d="M0 -16 L7 4 L0 0 L-7 4 Z" />
          <text y={20} textAnchor="middle" className="f-map-small">
            {t('map.north')}
          </text>
        </g>
        <g transform={`translate(12 ${H - 14})`} className="f-map-scale">
          <path d={`M0 -6 V0 H${bar.px} V-6`} />
          <text x={bar.px + 6} y={0} className="f-map-small">
            {distance(bar.metres)}
          </text>
        </g>
      </svg>
      <p className="f-map-caption">
        <span className="f-map-key">
          <svg viewBox="-13 -42 26 44" className="f-map-key-icon" aria-hidden="true">
            <g className={`f-map-pin f-map-pin-${event.urgency}`}>
              <path d="M0 0 l-11 -22 a12.5 12.5 0 1 1 22 0 z" />
              <circle cx={0} cy={-28} r={5} className="f-map-pin-dot" />
            </g>
          </svg>
          {t('map.legendCase')}
        </span>
        {me && (
          <span className="f-map-key">
            <svg viewBox="-14 -14 28 28" className="f-map-key-icon" aria-hidden="true">
              <circle r={10} className="f-map-you" />
            </svg>
            {t('map.legendYou')}
          </span>
        )}
        {snippet && (
          <span className="f-map-key">
            <svg viewBox="0 -8 30 16" className="f-map-key-icon f-map-key-line" aria-hidden="true">
              <path d="M0 0 H30" className="f-map-grid" />
            </svg>
            {t('map.legendGrid')}
          </span>
        )}
        {snippet && <span className="f-map-name">{snippet.microGrid.name}</span>}
      </p>
      {!snippet && <p className="f-note">{t('map.notLoaded')}</p>}
      {away ? (
        <p className="f-map-away" data-testid="field-map-away">
          {away.metres < 50 ? t('map.near', { dist: distance(50) }) : t('map.away', { dir: t(`map.dir.${away.direction}`), dist: distance(away.metres) })}
        </p>
      ) : (
        <div className="f-position-problem" role="status" data-testid="field-position-problem" data-problem={phone.problem ?? 'pending'}>
          <p>
            <strong>{t('map.youUnknown')}</strong>
            {phone.problem ? t(`position.problem.${phone.problem}`) : t('position.locating')}
          </p>
          {phone.problem && phone.problem !== 'insecure' && phone.problem !== 'unsupported' && (
            <button type="button" className="f-btn f-btn-small" onClick={locate} disabled={locating}>
              {locating ? t('position.locating') : t('position.retry')}
            </button>
          )}
        </div>
      )}
      <div className="f-nav" data-testid="field-nav">
        <strong>{t('map.nav')}</strong>
        <div className="f-nav-links">
          <a className="f-btn f-btn-small" href={links.geo} data-testid="field-nav-geo">
            {t('map.navGeo')}
          </a>
          <a className="f-btn f-btn-small" href={links.amap} data-testid="field-nav-amap">
            {t('map.navAmap')}
          </a>
          <a className="f-btn f-btn-small" href={links.baidu} data-testid="field-nav-baidu">
            {t('map.navBaidu')}
          </a>
        </div>
        <small>{t('map.navNote')}</small>
      </div>
    </section>
  );
}
