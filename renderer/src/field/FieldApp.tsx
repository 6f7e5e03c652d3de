import { useEffect, useMemo, useState, useSyncExternalStore, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useFieldCatalog, useFieldItemName } from './field-catalog';
import type { SessionUser } from '../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { ApiRequestError } from '../app/api-client';
import { useStore } from '../app/store';
import { formatClock, formatWhen } from '../app/time-format';
import { useNow } from '../app/use-now';
import { freshness } from '../app/live-feed/freshness';
import { unlockAudio } from './beep';
import { useFeedView, useField, useOutbox } from './field-context';
import { rememberFieldLanguage } from './i18n-field';
import { MyRecordScreen } from './MyRecordScreen';
import { NewEventScreen } from './NewEventScreen';
import { pendingActionsFor, type OutboxEntry } from './outbox';
import { RefusalCard, useRefusals } from './Refusals';
import { Countdown, PendingChip, UrgencyChip } from './TaskChips';
import { TaskScreen } from './TaskScreen';
import { effectiveStatus, myTasks, verificationTasks } from './tasks';

/** The maps of this many verification tasks (the first in the list) are fetched ahead; the team's own tasks always are. */
const MAPS_OF_VERIFICATIONS = 8;

/** Which screen is up: one task per screen. */
export type Screen = { name: 'home' } | { name: 'task'; eventId: string } | { name: 'new-event' } | { name: 'my-record' };

export function FieldApp() {
  const { session, api } = useField();
  const { active, restoring } = useSyncExternalStore(session.subscribe, session.get, session.get);
  const [restoreError, setRestoreError] = useState<string | null>(null);

  useEffect(() => {
    if (!restoring) return;
    let cancelled = false;
    api
      .get<SessionUser>('/auth/me')
      .then((user) => session.restore(restoring, user))
      .catch((err: unknown) => {
        if (!cancelled && !(err instanceof ApiRequestError && err.status === 401)) setRestoreError(err instanceof Error ? err.message : String(err));
      });
    return () => {
      cancelled = true;
    };
  }, [api, session, restoring]);

  useEffect(() => {
    // Browsers play sound only after a touch on the page: the first one unlocks the beep.
    const unlock = () => unlockAudio();
    window.addEventListener('pointerdown', unlock, { once: true, capture: true });
    return () => window.removeEventListener('pointerdown', unlock, { capture: true });
  }, []);

  if (restoring) return <div className="f-splash">{restoreError ?? '…'}</div>;
  if (!active) return <LoginScreen />;
  return <Signed user={active.user} key={active.user.id} />;
}

function LoginScreen() {
  const { t } = useTranslation();
  const services = useField();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const ended = useSyncExternalStore(services.session.subscribe, services.session.get, services.session.get).ended;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const res = await services.login(username.trim(), password);
      if (!res.user.teamId) setError(t('login.notField'));
    } catch (err) {
      if (err instanceof ApiRequestError && err.code === 'network') setError(t('login.network'));
      else setError(t('login.failed', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  };

  return (
    <main className="f-login" data-testid="field-login">
      <div className="f-login-top">
        <h1>{t('login.title')}</h1>
        <LanguageSwitch />
      </div>
      {ended && ended.reason !== 'signed_out' && <p className="f-note">{ended.reason}</p>}
      <form onSubmit={submit} className="f-form">
        <label className="f-field">
          <span>{t('login.username')}</span>
          <input autoComplete="username" autoCapitalize="none" value={username} onChange={(e) => setUsername(e.target.value)} required />
        </label>
        <label className="f-field">
          <span>{t('login.password')}</span>
          <input type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </label>
        {error && (
          <p className="f-error" role="alert" data-testid="field-login-error">
            {error}
          </p>
        )}
        <button type="submit" className="f-btn f-btn-primary" disabled={busy}>
          {busy ? t('login.busy') : t('login.submit')}
        </button>
      </form>
    </main>
  );
}

function LanguageSwitch() {
  const { i18n } = useTranslation();
  const next = i18n.language === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="f-btn f-btn-small f-lang"
      onClick={() => {
        rememberFieldLanguage(next);
        document.documentElement.lang = next;
        void i18n.changeLanguage(next);
      }}
    >
      {next === 'en' ? 'English' : '中文'}
    </button>
  );
}

function Signed({ user }: { user: SessionUser }) {
  const services = useField();
  const [screen, setScreen] = useState<Screen>({ name: 'home' });
  // read once signed in, so task names follow the language even before a report is filed
  useFieldCatalog();
  useEffect(() => {
    services.startLive(user);
  }, [services, user]);
  // The phone's back button goes back to the list, not out of the app.
  useEffect(() => {
    const onPop = () => setScreen({ name: 'home' });
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  const go = (next: Screen) => {
    if (next.name !== 'home') window.history.pushState({ field: next.name }, '');
    setScreen(next);
    window.scrollTo(0, 0);
  };

  return (
    <div className="f-app">
      <StatusBar user={user} />
      <NewTaskBanner onOpen={(eventId) => go({ name: 'task', eventId })} />
      {screen.name === 'home' && <Home user={user} go={go} />}
      {screen.name === 'task' && <TaskScreen eventId={screen.eventId} user={user} onBack={() => go({ name: 'home' })} />}
      {screen.name === 'new-event' && <NewEventScreen user={user} onDone={() => go({ name: 'home' })} />}
      {screen.name === 'my-record' && <MyRecordScreen onBack={() => go({ name: 'home' })} />}
    </div>
  );
}

/** Team, its status, the link and 数据截至: always on top, stale turns it red. */
function StatusBar({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const services = useField();
  const view = useFeedView();
  const { team } = useStore(services.team);
  const now = useNow();
  const { stale } = freshness(view.link, view.lastDataAt, now);
  return (
    <header className={`f-top${stale ? ' f-top-stale' : ''}`} data-testid="field-status-bar">
      <div className="f-top-row">
        <div className="f-team">
          <span className="f-team-name" data-testid="field-team-name">
            {team?.name ?? (user.teamId ? user.teamId : t('header.noTeam'))}
          </span>
          {team && (
            <span className={`f-chip f-team-${team.status}`} data-testid="field-team-status" data-status={team.status}>
              {t(`teamStatus.${team.status}`)}
            </span>
          )}
        </div>
        <button type="button" className="f-btn f-btn-small" data-testid="field-logout" onClick={() => void services.logout()}>
          {t('header.logout')}
        </button>
      </div>
      <div className="f-top-row f-link-row">
        <span className={`f-link f-link-${view.link}`} data-testid="field-link" data-link={view.link}>
          ● {t(`link.${view.link}`)}
        </span>
        {view.lastDataAt !== null && <span data-testid="field-as-of">{t('asOf', { time: formatClock(view.lastDataAt) })}</span>}
      </div>
      {stale && (
        <div className="f-stale" role="alert" data-testid="field-stale">
          {t('stale')}
        </div>
      )}
    </header>
  );
}

function NewTaskBanner({ onOpen }: { onOpen: (eventId: string) => void }) {
  const { t } = useTranslation();
  const itemName = useFieldItemName();
  const { notices } = useField();
  const notice = useStore(notices);
  if (!notice) return null;
  return (
    <div className="f-banner" role="alert" data-testid="field-new-task" data-event-id={notice.eventId}>
      <strong>{t('newTask.banner', { item: itemName(notice) })}</strong>
      <div className="f-banner-buttons">
        <button
          type="button"
          className="f-btn f-btn-primary"
          onClick={() => {
            notices.set(null);
            onOpen(notice.eventId);
          }}
        >
          {t('newTask.open')}
        </button>
        <button type="button" className="f-btn" onClick={() => notices.set(null)}>
          {t('newTask.dismiss')}
        </button>
      </div>
    </div>
  );
}

function Home({ user, go }: { user: SessionUser; go: (s: Screen) => void }) {
  const { t } = useTranslation();
  const services = useField();
  const view = useFeedView();
  const { team } = useStore(services.team);
  const outbox = useOutbox();
  const events = view.feed.events;
  const tasks = useMemo(() => myTasks(events.values(), user.teamId), [events, user.teamId]);
  const toVerify = useMemo(() => verificationTasks(events.values(), team), [events, team]);
  const refusals = useRefusals(user.id);
  const online = view.link === 'connected';
  // Every task's map is put on the phone while it is online, so the task screen draws it out of signal too.
  const mapIds = useMemo(() => [...new Set([...tasks, ...toVerify.slice(0, MAPS_OF_VERIFICATIONS)].map((e) => e.microGridId))].join(','), [tasks, toVerify]);
  useEffect(() => {
    if (online && mapIds) void services.ensureMaps(mapIds.split(','));
  }, [services, online, mapIds]);

  return (
    <main className="f-main">
      {refusals.map((r) => (
        <RefusalCard key={r.key} refusal={r} onOpen={r.eventId ? () => go({ name: 'task', eventId: r.eventId! }) : undefined} />
      ))}
      <OutboxPanel entries={outbox.filter((e) => e.userId === user.id)} online={online} />
      <button type="button" className="f-btn f-btn-report" data-testid="field-new-event" onClick={() => go({ name: 'new-event' })}>
        ＋ {t('home.report')}
      </button>
      <h2 className="f-h2">
        {t('home.tasks')} <span className="f-count">{tasks.length}</span>
      </h2>
      {view.phase === 'loading' && <p className="f-note">{t('home.loading')}</p>}
      {view.phase === 'error' && (
        <div className="f-error" role="alert">
          {t('home.loadFailed', { message: view.error?.message ?? '' })}
          <button type="button" className="f-btn" onClick={() => services.feed.retry()}>
            {t('home.retry')}
          </button>
        </div>
      )}
      {view.phase === 'ready' && tasks.length === 0 && <p className="f-note">{t('home.noTasks')}</p>}
      <ul className="f-list" data-testid="field-tasks">
        {tasks.map((e) => (
          <TaskCard key={e.id} event={e} outbox={outbox} online={online} onOpen={() => go({ name: 'task', eventId: e.id })} />
        ))}
      </ul>
      <button type="button" className="f-btn f-btn-record" data-testid="field-open-my-record" onClick={() => go({ name: 'my-record' })}>
        {t('myRecord.open')}
      </button>
      <h2 className="f-h2">
        {t('home.verify')} <span className="f-count">{toVerify.length}</span>
      </h2>
      {view.phase === 'ready' && toVerify.length === 0 && <p className="f-note">{t('home.noVerify')}</p>}
      <ul className="f-list" data-testid="field-verify-tasks">
        {toVerify.map((e) => (
          <TaskCard key={e.id} event={e} outbox={outbox} online={online} onOpen={() => go({ name: 'task', eventId: e.id })} />
        ))}
      </ul>
    </main>
  );
}

function TaskCard({ event, outbox, online, onOpen }: { event: EventRecord; outbox: readonly OutboxEntry[]; online: boolean; onOpen: () => void }) {
  const { t } = useTranslation();
  const itemName = useFieldItemName();
  const pending = pendingActionsFor(outbox, event.id);
  const status = effectiveStatus(event.status, pending);
  return (
    <li>
      <button type="button" className="f-card" data-testid="field-task" data-event-id={event.id} data-status={status} onClick={onOpen}>
        <span className="f-card-top">
          <UrgencyChip urgency={event.urgency} />
          <span className="f-card-status">{t(`status.${status}`)}</span>
          {pending.length > 0 && <PendingChip online={online} />}
        </span>
        <span className="f-card-item">{itemName(event)}</span>
        <span className="f-card-address">{event.address}</span>
        <Countdown deadlineAt={event.deadlineAt} />
      </button>
    </li>
  );
}

/**
 * 待发送: what waits on the phone, said as what will happen to it (将在联网后发送 / 正在发送…),
 * never as a failure: an entry the server refuses leaves the outbox and is shown as a refusal.
 */
function OutboxPanel({ entries, online }: { entries: readonly OutboxEntry[]; online: boolean }) {
  const { t } = useTranslation();
  const services = useField();
  const now = useNow(60_000);
  const [open, setOpen] = useState(false);
  if (entries.length === 0) return null;
  const what = (e: OutboxEntry) => (e.kind === 'intake' ? t('newEvent.title') : t(`task.step.${e.label}`, { defaultValue: e.label }));
  const madeAt = (e: OutboxEntry) => (typeof e.body.madeAt === 'string' ? e.body.madeAt : new Date(e.createdAt).toISOString());
  return (
    <section className="f-outbox" data-testid="field-outbox" data-count={entries.length} data-online={online}>
      <button type="button" className="f-outbox-head" onClick={() => setOpen(!open)} aria-expanded={open}>
        <strong>{t('outbox.pending', { count: entries.length })}</strong>
        <span data-testid="field-outbox-state">{online ? t('outbox.sending') : t('outbox.waitOnline')}</span>
      </button>
      {open && (
        <ul className="f-outbox-list">
          {entries.map((e) => (
            <li key={e.key}>
              <span>
                <strong>{what(e)}</strong>
                {e.subject ? ` · ${e.subject}` : ''}
                {e.eventId ? ` · ${e.eventId}` : ''}
              </span>
              <small>{t('outbox.madeAt', { time: formatWhen(madeAt(e), now) })}</small>
              {e.error && e.attempts > 0 && <small>{t('outbox.lastTry', { message: e.error })}</small>}
            </li>
          ))}
          <li>
            <button type="button" className="f-btn f-btn-small" onClick={() => services.sender.wake()}>
              {t('outbox.retryNow')}
            </button>
          </li>
        </ul>
      )}
    </section>
  );
}
