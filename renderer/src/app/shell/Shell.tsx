import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rolesAllow, ROLES_SEEING_PERSONAL_DATA, type SessionUser } from '../../../../shared/contracts/auth.js';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { AlertDock } from '../../features/alerts/AlertDock';
import { alertWords } from '../../features/alerts/alert-wording';
import { useAlerts } from '../../features/alerts/use-alerts';
import { dockTop } from '../alerts/alert-state';
import { TeamBoard } from '../../features/teams/TeamBoard';
import { useTeams, useTrail } from '../../features/teams/use-teams';
import { selectTeam } from '../team-selection';
import { ActionDialogHost } from '../../features/case-actions/ActionDialogHost';
import { useCaseActions } from '../../features/case-actions/use-case-actions';
import { EventDetail } from '../../features/event-detail/EventDetail';
import { EventQueue } from '../../features/events-queue/EventQueue';
import { HISTORY_TAB, QUEUE_SORTS, type QueueSort, type QueueView } from '../../features/events-queue/queue-tabs';
import { HistoryPanel } from '../../features/history/HistoryPanel';
import { startBounds } from '../../features/regions/scope-bounds';
import { SearchBox } from '../../features/search/SearchBox';
import { PlaceCard } from '../../features/addresses/PlaceCard';
import { StaleBanner } from '../../features/connection-status/ConnectionStatus';
import { useCounty } from '../../features/regions/use-county';
import { ShortcutSheet } from '../../features/shortcuts/ShortcutSheet';
import { useCommands } from '../../features/shortcuts/use-commands';
import { TopBar } from '../../features/top-bar/TopBar';
import { MapView } from '../../map/MapView';
import { useMapLayers } from '../../map/use-map-layers';
import { selectEvent, setDetailOpen } from '../selection';
import { useServices } from '../services';
import { useStore } from '../store';
import { useLiveFeed } from '../use-live-feed';
import { useUiScale } from '../use-rem';
import { ErrorPanel } from './ErrorPanel';
import { LoadingPanel } from './LoadingPanel';
import { MapLegend } from './MapLegend';
import { useFind } from './use-find';
import { useItemNames } from '../../features/catalog/use-item-names';
import { ScreenNav } from '../../features/navigation/ScreenNav';
import { takeHandedPlace } from '../route';
import { wallOpener } from './open-wall';
import { itemNamer } from '../item-names';
import { NewEventDialog } from '../../features/item-suggest/NewEventDialog';
import { TriageButton } from '../../features/triage/TriageButton';
import { AssignmentsButton } from '../../features/assignments/AssignmentsButton';

/**
 * The dispatcher's console: top bar, queue | map | detail. The live feed runs while `token`
 * is a live session; without one (the wall after its session ended) the map stays as it was.
 */
export function Shell({ user, token }: { user: SessionUser; token: string | null }) {
  const { t, i18n } = useTranslation();
  const services = useServices();
  const { feed } = services;
  const { alerts } = services;
  useEffect(() => {
    if (!token) return;
    // Alerts subscribe before the feed connects, so its first resync reads them too.
    alerts.start();
    feed.start();
    return () => {
      feed.stop();
      alerts.stop();
    };
  }, [feed, alerts, token]);
  const county = useCounty();
  const { english: itemNames } = useItemNames();
  const feedView = useLiveFeed();
  const selection = useStore(services.selection);
  const teamSelection = useStore(services.teamSelection);
  const teamsView = useTeams(token !== null);
  const trail = useTrail(teamSelection.id, token !== null);
  const alertView = useAlerts();
  const canAck = token !== null && rolesAllow(user.roles, 'alerts:ack');
  // The right panel shows the team board until a case is opened after it was (opening a case
  // from the queue, the map or an alert brings the case back).
  const [board, setBoard] = useState<{ open: boolean; nonce: number }>({ open: false, nonce: 0 });
  const boardOpen = board.open && (board.nonce === selection.nonce || !selection.detailOpen);
  const setBoardOpen = useCallback((open: boolean) => setBoard({ open, nonce: services.selection.get().nonce }), [services.selection]);
  const [tab, setTab] = useState<QueueView>('new');
  const [sort, setSort] = useState<QueueSort>('deadline');
  const [helpOpen, setHelpOpen] = useState(false);
  const [newEventOpen, setNewEventOpen] = useState(false);
  const canReport = token !== null && rolesAllow(user.roles, 'events:create');
  const rowIdsRef = useRef<readonly string[]>([]);

  const events = feedView.feed.events;
  const find = useFind({ events, tab, setTab, scope: user.scope, regions: county.regions });
  const { choosePlace } = find;
  // A place another screen showed "on the map" (an analysis hot spot), flown to once on arrival.
  useEffect(() => {
    const handed = takeHandedPlace();
    if (handed) choosePlace(handed);
  }, [choosePlace]);
  const townGeo = county.geo.town;
  const mapStart = useMemo(() => startBounds(user.scope, county.regions?.bbox, townGeo, county.regions?.root), [user.scope, county.regions?.bbox, townGeo, county.regions?.root]);
  const selectedEvent = selection.id ? events.get(selection.id) : undefined;
  const actions = useCaseActions(selectedEvent, user, county.catalog?.items);
  useCommands(() => ({
    rowIds: rowIdsRef.current,
    selectedId: selection.id,
    detailOpen: selection.detailOpen,
    helpOpen,
    modalOpen: actions.dialog !== null || newEventOpen,
    offered: token ? actions.offered : [],
    select: (id) => selectEvent(services.selection, id, 'keyboard', undefined, tab === HISTORY_TAB ? find.historyRecordsRef.current.get(id) : null),
    setDetailOpen: (open) => setDetailOpen(services.selection, open),
    setHelpOpen,
    setTab,
    cycleSort: () => setSort((s) => QUEUE_SORTS[(QUEUE_SORTS.indexOf(s) + 1) % QUEUE_SORTS.length]!),
    startAction: (action) => {
      // The result shows in the detail's action bar, so the case is opened first.
      setDetailOpen(services.selection, true);
      setBoardOpen(false);
      actions.start(action);
    },
    boardOpen,
    setBoardOpen,
    topAlertId: canAck ? (dockTop(alertView.items, alertView.dockFolded)?.id ?? null) : null,
    ackAlert: (id) => void alerts.ack(id),
    focusSearch: token ? () => find.searchInputRef.current?.focus() : undefined,
    closePlace: find.address ? find.closeAddress : undefined,
    openNewEvent: canReport ? () => setNewEventOpen(true) : undefined,
  }));

  const language = i18n.language;
  const mapLayers = useMapLayers(user.id);
  const scale = useUiScale();
  const onSelectOnMap = useCallback((id: string) => selectEvent(services.selection, id, 'map', true), [services.selection]);
  const onSelectTeamOnMap = useCallback(
    (id: string) => {
      selectTeam(services.teamSelection, id, 'map');
      setBoardOpen(true);
    },
    [services.teamSelection, setBoardOpen],
  );
  const onSelectTeamOnBoard = useCallback((id: string) => selectTeam(services.teamSelection, id, 'board'), [services.teamSelection]);

  // Dropping a queue row on a team (board row or map marker) opens the dispatch dialog with that team chosen.
  const canDispatch = token !== null && rolesAllow(user.roles, 'case:dispatch');
  const { dispatchTo } = actions;
  const onDropEventOnTeam = useCallback(
    (eventId: string, teamId: string) => {
      const event = feedView.feed.events.get(eventId);
      if (!event) return;
      // The board stays open for the next drop; a case that cannot be dispatched opens, to say why.
      selectEvent(services.selection, eventId, 'link', false);
      if (!dispatchTo(event, teamId)) selectEvent(services.selection, eventId, 'link', true);
    },
    [feedView.feed.events, services.selection, dispatchTo],
  );

  const openAlert = useCallback(
    (alert: Alert) => {
      if (alert.kind === 'team_silent' && alert.teamId) {
        selectTeam(services.teamSelection, alert.teamId, 'link');
        setBoardOpen(true);
      } else if (alert.eventId) {
        selectEvent(services.selection, alert.eventId, 'link', true);
      }
    },
    [services.selection, services.teamSelection, setBoardOpen],
  );
  // Desktop notifications speak the UI language and open what they are about.
  useEffect(() => {
    const tl = i18n.getFixedT(language) as unknown as (key: string, options?: Record<string, unknown>) => string;
    alerts.setPresenter({
      words: (alert) => {
        const words = alertWords(tl, alert, Date.now(), itemNamer(itemNames));
        return { title: `${words.kind}：${words.subject}`, body: words.detail };
      },
      open: openAlert,
      canAck,
    });
    return () => alerts.setPresenter(null);
  }, [alerts, i18n, language, openAlert, canAck, itemNames]);

  // The platform's name: T县 on a county server, the city or province above.
  const countyName = county.regions?.root.name;
  const error = county.error ?? (feedView.phase === 'error' ? feedView.error : null);
  const loading = !error && (!county.done.regions || feedView.phase === 'loading');
  const retry = () => {
    county.retry();
    services.feed.retry();
  };

  return (
    <div className="app" data-loading={loading}>
      <TopBar
        countyName={countyName}
        user={user}
        signedIn={token !== null}
        nav={token && <ScreenNav user={user} current="console" onOpenWall={wallOpener(services.platform)} />}
        onShowShortcuts={() => setHelpOpen(true)}
        boardOpen={boardOpen}
        onToggleBoard={() => setBoardOpen(!boardOpen)}
        triage={
          token && (
            <>
              {rolesAllow(user.roles, 'case:file') && <TriageButton catalog={county.catalog?.items ?? []} townName={(id) => county.index.get(id)?.name} />}
              {/* 市级交办: a city's user assigns cases down to its counties (nothing on a county server) */}
              {rolesAllow(user.roles, 'case:assign_down') && county.regions && (
                <AssignmentsButton root={county.regions.root} scope={user.scope} catalog={county.catalog?.items ?? []} onOpenCase={(id) => selectEvent(services.selection, id, 'link', true)} />
              )}
            </>
          )
        }
        search={
          token && (
            <SearchBox
              inputRef={find.searchInputRef}
              index={county.index}
              seesPhones={user.roles.some((r) => ROLES_SEEING_PERSONAL_DATA.includes(r))}
              onChooseCase={find.chooseCase}
              onChoosePlace={find.choosePlace}
              onChooseAddress={find.chooseAddress}
              onChooseItem={find.chooseItem}
            />
          )
        }
      />
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
          draggableRows={canDispatch}
          actions={
            token &&
            canReport && (
              // a new case is registered into the queue: its button heads the queue (N anywhere)
              <button type="button" className="secondary-button new-event-open" onClick={() => setNewEventOpen(true)} title={`${t('newEventDialog.shortcut')} (N)`} data-testid="open-new-event">
                + {t('newEventDialog.button')}
              </button>
            )
          }
          history={
            <HistoryPanel
              filter={find.historyFilter}
              onFilterChange={find.setHistoryFilter}
              events={events}
              selection={selection}
              index={county.index}
              towns={find.towns}
              items={county.catalog?.items ?? []}
              teams={teamsView.teams}
              rowIdsRef={rowIdsRef}
              recordsRef={find.historyRecordsRef}
            />
          }
        />
        <section className="map-pane">
          <MapView
            geo={county.geo}
            delivery={county.delivery}
            bbox={mapStart}
            place={find.place}
            pin={find.pin}
            events={events}
            selection={selection}
            layers={mapLayers.layers}
            teams={teamsView.teams}
            teamSelection={teamSelection}
            trail={trail}
            scale={scale}
            itemNames={itemNames}
            onSelectEvent={onSelectOnMap}
            onSelectTeam={onSelectTeamOnMap}
            onDropEventOnTeam={canDispatch ? onDropEventOnTeam : null}
          />
          <MapLegend choice={mapLayers} />
          {token && <AlertDock />}
          {token && find.address && <PlaceCard address={find.address} onClose={find.closeAddress} onOpenCase={find.chooseCase} />}
          {loading && <LoadingPanel countyName={countyName} done={county.done} events={feedView.phase === 'ready' ? 'done' : feedView.progress} />}
          {error && <ErrorPanel error={error} onRetry={retry} />}
        </section>
        {boardOpen ? (
          <TeamBoard
            teams={teamsView.teams}
            status={teamsView.status}
            error={teamsView.error}
            index={county.index}
            selection={teamSelection}
            onSelect={onSelectTeamOnBoard}
            onDropEvent={canDispatch ? onDropEventOnTeam : null}
            onClose={() => setBoardOpen(false)}
          />
        ) : (
          <EventDetail events={events} selection={selection} index={county.index} catalog={county.catalog} actions={actions} />
        )}
      </main>
      {helpOpen && <ShortcutSheet onClose={() => setHelpOpen(false)} />}
      {token && <ActionDialogHost actions={actions} events={events} index={county.index} catalog={county.catalog} />}
      {newEventOpen && (
        <NewEventDialog
          catalog={county.catalog}
          onClose={() => setNewEventOpen(false)}
          onCreated={(id) => {
            setNewEventOpen(false);
            selectEvent(services.selection, id, 'link', true);
          }}
        />
      )}
    </div>
  );
}
