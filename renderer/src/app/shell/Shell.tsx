import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import { CaseAlerts } from '../../features/alerts/CaseAlerts';
import { ActionDialogHost } from '../../features/case-actions/ActionDialogHost';
import { useCaseActions } from '../../features/case-actions/use-case-actions';
import { EventDetail } from '../../features/event-detail/EventDetail';
import { EventQueue } from '../../features/events-queue/EventQueue';
import { QUEUE_SORTS, type QueueSort, type QueueTab } from '../../features/events-queue/queue-tabs';
import { StaleBanner } from '../../features/connection-status/ConnectionStatus';
import { useCounty } from '../../features/regions/use-county';
import { ShortcutSheet } from '../../features/shortcuts/ShortcutSheet';
import { useCommands } from '../../features/shortcuts/use-commands';
import { TopBar } from '../../features/top-bar/TopBar';
import { splitAroundTime, TIME_SLOT, type DeadlineMarks, type UrgencyMarks } from '../../map/layers/event-layers';
import { MapView } from '../../map/MapView';
import { selectEvent, setDetailOpen } from '../selection';
import { useServices } from '../services';
import { useStore } from '../store';
import { useLiveFeed } from '../use-live-feed';
import { useUiScale } from '../use-rem';
import { ErrorPanel } from './ErrorPanel';
import { LoadingPanel } from './LoadingPanel';
import { MapLegend } from './MapLegend';

/**
 * The dispatcher's console: top bar, queue | map | detail. The live feed runs while `token`
 * is a live session; without one (the wall after its session ended) the map stays as it was.
 */
export function Shell({ user, token }: { user: SessionUser; token: string | null }) {
  const { i18n } = useTranslation();
  const services = useServices();
  const { feed } = services;
  useEffect(() => {
    if (!token) return;
    feed.start();
    return () => feed.stop();
  }, [feed, token]);
  const county = useCounty();
  const feedView = useLiveFeed();
  const selection = useStore(services.selection);
  const [tab, setTab] = useState<QueueTab>('new');
  const [sort, setSort] = useState<QueueSort>('deadline');
  const [helpOpen, setHelpOpen] = useState(false);
  const rowIdsRef = useRef<readonly string[]>([]);

  const events = feedView.feed.events;
  const selectedEvent = selection.id ? events.get(selection.id) : undefined;
  const actions = useCaseActions(selectedEvent, user, county.catalog?.items);
  useCommands(() => ({
    rowIds: rowIdsRef.current,
    selectedId: selection.id,
    detailOpen: selection.detailOpen,
    helpOpen,
    modalOpen: actions.dialog !== null,
    offered: token ? actions.offered : [],
    select: (id) => selectEvent(services.selection, id, 'keyboard'),
    setDetailOpen: (open) => setDetailOpen(services.selection, open),
    setHelpOpen,
    setTab,
    cycleSort: () => setSort((s) => QUEUE_SORTS[(QUEUE_SORTS.indexOf(s) + 1) % QUEUE_SORTS.length]!),
    startAction: (action) => {
      // The result shows in the detail's action bar, so the case is opened first.
      setDetailOpen(services.selection, true);
      actions.start(action);
    },
  }));

  const language = i18n.language;
  const urgencyMarks = useMemo<UrgencyMarks>(() => {
    const tl = i18n.getFixedT(language);
    return { P0: tl('urgencyMark.P0'), P1: tl('urgencyMark.P1'), P2: tl('urgencyMark.P2'), P3: tl('urgencyMark.P3') };
  }, [i18n, language]);
  const deadlineMarks = useMemo<DeadlineMarks>(() => {
    const tl = i18n.getFixedT(language);
    const gap = language === 'en' ? ' ' : '';
    return {
      left: splitAroundTime(tl('map.remainingLeft', { time: TIME_SLOT })),
      over: splitAroundTime(tl('map.remainingOver', { time: TIME_SLOT })),
      day: tl('map.unitDay'),
      hour: tl('map.unitHour'),
      minute: tl('map.unitMinute'),
      gap,
    };
  }, [i18n, language]);
  const scale = useUiScale();
  const onSelectOnMap = useCallback((id: string) => selectEvent(services.selection, id, 'map', true), [services.selection]);

  const countyName = county.regions?.county.name;
  const error = county.error ?? (feedView.phase === 'error' ? feedView.error : null);
  const loading = !error && (!county.done.regions || feedView.phase === 'loading');
  const retry = () => {
    county.retry();
    services.feed.retry();
  };

  return (
    <div className="app" data-loading={loading}>
      <TopBar countyName={countyName} user={user} signedIn={token !== null} onShowShortcuts={() => setHelpOpen(true)} />
      <StaleBanner />
      <main className="workspace">
        <EventQueue
          events={events}
          status={feedView.phase}
          index={county.index}
          selection={selection}
          tab={tab}
          onTabChange={setTab}
          sort={sort}
          onSortChange={setSort}
          rowIdsRef={rowIdsRef}
        />
        <section className="map-pane">
          <MapView
            geo={county.geo}
            bbox={county.regions?.bbox}
            events={events}
            selection={selection}
            urgencyMarks={urgencyMarks}
            deadlineMarks={deadlineMarks}
            scale={scale}
            onSelectEvent={onSelectOnMap}
          />
          <MapLegend />
          {token && actions.canAct && <CaseAlerts />}
          {loading && <LoadingPanel countyName={countyName} done={county.done} events={feedView.phase === 'ready' ? 'done' : feedView.progress} />}
          {error && <ErrorPanel error={error} onRetry={retry} />}
        </section>
        <EventDetail events={events} selection={selection} index={county.index} catalog={county.catalog} actions={actions} />
      </main>
      {helpOpen && <ShortcutSheet onClose={() => setHelpOpen(false)} />}
      {token && <ActionDialogHost actions={actions} events={events} index={county.index} catalog={county.catalog} />}
    </div>
  );
}
