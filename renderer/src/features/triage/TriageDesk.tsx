import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { TriageItem } from '../../../../shared/contracts/channels.js';
import { ApiRequestError } from '../../app/api-client';
import { selectEvent } from '../../app/selection';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { dismissTriage, resolveTriage, searchAddresses } from './queries';
import { pickerOptions, waited, type PickerOption } from './triage-format';

type Stage = 'list' | 'picker' | 'dismiss';
type Notice = { tone: 'ok' | 'bad'; text: string; eventId?: string };

export interface TriageDeskProps {
  items: readonly TriageItem[];
  catalog: readonly CatalogItem[];
  /** A town's name, for the place of a row. */
  townName(id: string): string | undefined;
  onClose(): void;
}

const messageOf = (err: unknown) => (err instanceof ApiRequestError || err instanceof Error ? err.message : String(err));

function Waited({ at, now }: { at: string; now: number }) {
  const { t } = useTranslation();
  const w = waited(at, now);
  const age = w.unit === 'now' ? null : t(w.unit === 'minutes' ? 'triage.ageMinutes' : w.unit === 'hours' ? 'triage.ageHours' : 'triage.ageDays', { n: w.n });
  return (
    <time className="triage-age" dateTime={at} title={formatDateTime(at)} data-old={w.unit === 'hours' || w.unit === 'days' || undefined}>
      {age === null ? t('triage.justNow') : t('triage.received', { age })}
    </time>
  );
}

function Reasons({ item }: { item: TriageItem }) {
  const { t } = useTranslation();
  return (
    <span className="triage-reasons">
      {item.reasons.map((r) => (
        <span key={r} className="triage-reason" data-reason={r}>
          {r === 'item_uncertain' ? '?' : '◎'} {t(`triage.reason.${r}`)}
        </span>
      ))}
    </span>
  );
}

function Option({ option, index, chosen, onPick }: { option: PickerOption; index: number; chosen: boolean; onPick(): void }) {
  const { t } = useTranslation();
  const percent = option.score === null ? null : Math.round(option.score * 100);
  return (
    <li role="option" aria-selected={chosen} className="triage-option" data-item-code={option.itemCode} data-suggested={option.score !== null || undefined} onClick={onPick}>
      <kbd className="triage-option-key">{option.score !== null && index < 3 ? index + 1 : ''}</kbd>
      <span className="triage-option-name">
        <strong>{option.itemName}</strong>
        <span className="muted">
          {option.itemCode} · {option.categoryName}
        </span>
      </span>
      {percent !== null && (
        <span className="triage-score" title={t('triage.score', { percent })}>
          <span className="triage-score-bar" style={{ width: `${percent}%` }} />
          <span className="triage-score-value">{percent}%</span>
        </span>
      )}
      {option.words.length > 0 && (
        <span className="triage-words" title={t('triage.suggestionWords', { words: option.words.join('、') })}>
          {option.words.slice(0, 4).map((w) => (
            <span key={w} className="triage-word">
              {w}
            </span>
          ))}
        </span>
      )}
    </li>
  );
}

/** The chosen report's picker (and dismissal): its own state, fresh for each report (keyed by its id). */
function TriageDetail({
  selected,
  catalog,
  stage,
  setStage,
  busy,
  onCreate,
  onDismiss,
  onNotice,
}: {
  selected: TriageItem;
  catalog: readonly CatalogItem[];
  stage: Stage;
  setStage(stage: Stage): void;
  busy: boolean;
  onCreate(itemCode: string, place: AddressHit | null): void;
  onDismiss(reason: string): void;
  onNotice(notice: Notice | null): void;
}) {
  const { t } = useTranslation();
  const { api } = useServices();
  const now = useNow(30_000);
  const [filter, setFilter] = useState('');
  const [pick, setPick] = useState(0);
  const [place, setPlace] = useState<AddressHit | null>(null);
  const [placeQuery, setPlaceQuery] = useState(selected.address ?? '');
  const [search, setSearch] = useState<{ query: string; hits: AddressHit[] }>({ query: '', hits: [] });
  const [placePick, setPlacePick] = useState(0);
  const [reason, setReason] = useState('');
  const filterRef = useRef<HTMLInputElement>(null);
  const placeRef = useRef<HTMLInputElement>(null);
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  const needsPlace = selected.reasons.includes('address_unresolved');
  const options = useMemo(() => pickerOptions(selected.suggestions, catalog, filter), [selected, catalog, filter]);
  const query = placeQuery.trim();
  const searching = needsPlace && stage === 'picker' && place === null && query.length >= 2;
  const hits = searching && search.query === query ? search.hits : [];

  useEffect(() => {
    if (stage === 'picker') (needsPlace && !place ? placeRef : filterRef).current?.focus();
    else if (stage === 'dismiss') reasonRef.current?.focus();
  }, [stage, needsPlace, place]);

  // The unified address search, while the place is open
  useEffect(() => {
    if (!searching) return;
    const abort = new AbortController();
    const timer = setTimeout(() => {
      searchAddresses(api, query, abort.signal)
        .then((r) => {
          setSearch({ query, hits: r.items });
          setPlacePick(0);
        })
        .catch(() => undefined);
    }, 150);
    return () => {
      clearTimeout(timer);
      abort.abort();
    };
  }, [api, searching, query]);

  const create = (option: PickerOption | undefined) => {
    if (!option || busy) return;
    if (needsPlace && !place) {
      onNotice({ tone: 'bad', text: t('triage.placeNeeded') });
      placeRef.current?.focus();
      return;
    }
    onCreate(option.itemCode, place);
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const key = e.key;
    if (stage === 'dismiss') {
      if (key === 'Escape') setStage('list');
      else if (key === 'Enter' && !e.shiftKey && reason.trim() !== '') onDismiss(reason.trim());
      else if (key !== 'Enter') return;
      e.preventDefault();
      return;
    }
    if (stage !== 'picker') return;
    const inPlace = e.target === placeRef.current;
    if (key === 'Escape') setStage('list');
    else if (inPlace && (key === 'ArrowDown' || key === 'ArrowUp')) setPlacePick((p) => Math.max(0, Math.min(hits.length - 1, p + (key === 'ArrowDown' ? 1 : -1))));
    else if (inPlace && key === 'Enter') {
      const hit = hits[placePick];
      if (!hit) return;
      setPlace(hit);
      onNotice(null);
    } else if (key === 'ArrowDown' || key === 'ArrowUp') setPick((p) => Math.max(0, Math.min(options.length - 1, p + (key === 'ArrowDown' ? 1 : -1))));
    else if (key === 'Enter') create(options[pick]);
    else if (!inPlace && filter === '' && /^[1-3]$/.test(key) && Number(key) <= selected.suggestions.length) {
      setPick(Number(key) - 1);
      create(options[Number(key) - 1]);
    } else return;
    e.preventDefault();
  };

  return (
    <section className="triage-detail" aria-live="polite" onKeyDown={onKeyDown} data-testid="triage-detail">
      <div className="triage-detail-head">
        <span className="triage-channel">{t(`triage.channel.${selected.channel}`)}</span>
        <span className="mono">{selected.channelId}</span>
        <Reasons item={selected} />
        <Waited at={selected.receivedAt} now={now} />
      </div>
      <dl className="triage-facts">
        <div>
          <dt>{t('triage.itemText')}</dt>
          <dd>{selected.itemText}</dd>
        </div>
        <div>
          <dt>{t('triage.caller')}</dt>
          <dd className="mono">{[selected.caller.name, selected.caller.phone].filter(Boolean).join(' ') || '—'}</dd>
        </div>
        <div>
          <dt>{t('triage.address')}</dt>
          <dd>{selected.address ?? '—'}</dd>
        </div>
      </dl>
      <p className="triage-description">{selected.description}</p>

      {stage === 'dismiss' ? (
        <div className="triage-dismiss">
          <label htmlFor="triage-reason">{t('triage.dismissReason')}</label>
          <textarea id="triage-reason" ref={reasonRef} value={reason} maxLength={500} rows={3} placeholder={t('triage.dismissPlaceholder')} onChange={(e) => setReason(e.target.value)} />
          <div className="triage-actions">
            <button type="button" className="triage-btn" data-tone="danger" disabled={busy || reason.trim() === ''} onClick={() => onDismiss(reason.trim())}>
              {t('triage.dismissConfirm')} <kbd>Enter</kbd>
            </button>
            <span className="muted">{t('triage.keysDismiss')}</span>
          </div>
        </div>
      ) : (
        <>
          {needsPlace && (
            <div className="triage-place" data-chosen={place !== null || undefined}>
              <h3>◎ {t('triage.place')}</h3>
              <input
                ref={placeRef}
                type="search"
                value={placeQuery}
                placeholder={t('triage.placePlaceholder')}
                onFocus={() => setStage('picker')}
                onChange={(e) => {
                  setPlaceQuery(e.target.value);
                  setPlace(null);
                }}
                data-testid="triage-place-input"
              />
              {place ? (
                <p className="triage-place-chosen">{t('triage.placeChosen', { address: place.address })}</p>
              ) : (
                searching && (
                  <ul className="triage-place-hits" role="listbox">
                    {search.query === query && hits.length === 0 && <li className="muted">{t('triage.noPlaceHits')}</li>}
                    {hits.map((hit, i) => (
                      <li key={hit.code} role="option" aria-selected={i === placePick} onClick={() => setPlace(hit)}>
                        {hit.address} <span className="mono muted">{hit.code}</span>
                      </li>
                    ))}
                  </ul>
                )
              )}
            </div>
          )}
          <div className="triage-picker">
            <h3>{t('triage.chooseItem')}</h3>
            {selected.suggestions.length === 0 && <p className="muted">{t('triage.noSuggestions')}</p>}
            <ul className="triage-options" role="listbox" aria-label={t('triage.suggestions')} data-testid="triage-options">
              {options.map((o, i) => (
                <Option
                  key={o.itemCode}
                  option={o}
                  index={i}
                  chosen={stage === 'picker' && i === pick}
                  onPick={() => {
                    setStage('picker');
                    setPick(i);
                    create(o);
                  }}
                />
              ))}
            </ul>
            <input
              ref={filterRef}
              type="search"
              className="triage-filter"
              value={filter}
              placeholder={`${t('triage.otherItem')}：${t('triage.filterPlaceholder')}`}
              onFocus={() => setStage('picker')}
              onChange={(e) => {
                setFilter(e.target.value);
                setPick(e.target.value.trim() === '' ? 0 : selected.suggestions.length);
              }}
              data-testid="triage-filter"
            />
          </div>
          <div className="triage-actions">
            <button type="button" className="triage-btn" data-tone="primary" disabled={busy || options.length === 0} onClick={() => create(options[pick])}>
              {busy ? t('triage.creating') : t('triage.create')} <kbd>Enter</kbd>
            </button>
            <button type="button" className="triage-btn" disabled={busy} onClick={() => setStage('dismiss')}>
              {t('triage.dismiss')} <kbd>x</kbd>
            </button>
            <span className="muted">{stage === 'picker' ? t('triage.keysPicker') : t('triage.keysList')}</span>
          </div>
        </>
      )}
    </section>
  );
}

/**
 * The triage desk: the waiting reports on the left, the chosen one on the right with the item
 * picker (the classifier's suggestions and the words that drove them, then any catalog item by
 * name or code) and, when its address did not resolve, a unified-address search for its place.
 * Keyboard-first: ↑↓ choose, Enter opens, 1/2/3 or ↑↓ + Enter make the case, x dismisses, Esc
 * steps back. It holds the keyboard while open: the console's own keys wait.
 */
export function TriageDesk({ items, catalog, townName, onClose }: TriageDeskProps) {
  const { t } = useTranslation();
  const services = useServices();
  const { api } = services;
  const now = useNow(30_000);
  // The chosen report, and where it stood: one decided elsewhere leaves the list, its neighbour takes its place.
  const [cursor, setCursor] = useState<{ id: string | null; index: number }>({ id: items[0]?.id ?? null, index: 0 });
  const [stage, setStage] = useState<Stage>('list');
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<Notice | null>(null);
  const listRef = useRef<HTMLOListElement>(null);
  const found = items.findIndex((i) => i.id === cursor.id);
  const index = found >= 0 ? found : Math.min(cursor.index, items.length - 1);
  const selected = items[index] ?? null;
  const shownStage: Stage = selected ? stage : 'list';

  useEffect(() => {
    if (shownStage === 'list') listRef.current?.focus();
  }, [shownStage]);

  const move = (delta: number) => {
    if (items.length === 0) return;
    const next = Math.max(0, Math.min(items.length - 1, index + delta));
    setCursor({ id: items[next]!.id, index: next });
    listRef.current?.querySelector(`[data-triage-id="${items[next]!.id}"]`)?.scrollIntoView({ block: 'nearest' });
  };

  const run = async (work: () => Promise<Notice>) => {
    setBusy(true);
    setNotice(null);
    try {
      setNotice(await work());
      setStage('list');
    } catch (err) {
      setNotice({ tone: 'bad', text: t('triage.failed', { message: messageOf(err) }) });
    } finally {
      setBusy(false);
    }
  };

  const create = (item: TriageItem, itemCode: string, place: AddressHit | null) =>
    void run(async () => {
      const made = await resolveTriage(api, item.id, { itemCode, ...(place ? { location: { addressCode: place.code } } : {}) });
      return { tone: 'ok', text: t('triage.created', { id: made.id }), eventId: made.id };
    });

  const dismiss = (item: TriageItem, reason: string) =>
    void run(async () => {
      await dismissTriage(api, item.id, reason);
      return { tone: 'ok', text: t('triage.dismissed', { caseNumber: item.channelId }) };
    });

  const openCase = (id: string) => {
    selectEvent(services.selection, id, 'link', true);
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    // The desk holds the keyboard: nothing reaches the console's commands underneath.
    e.stopPropagation();
    if (e.defaultPrevented || shownStage !== 'list') return;
    const key = e.key;
    if (key === 'ArrowDown' || key === 'j') move(1);
    else if (key === 'ArrowUp' || key === 'k') move(-1);
    else if (key === 'Enter' && selected) setStage('picker');
    else if (key === 'x' && selected) setStage('dismiss');
    else if (key === 'o' && notice?.eventId) openCase(notice.eventId);
    else if (key === 'Escape') onClose();
    else return;
    e.preventDefault();
  };

  const placeName = (item: TriageItem) => (item.townId ? (townName(item.townId) ?? item.townId) : null);

  return (
    <div className="triage-backdrop" onClick={onClose}>
      <div
        className="triage-desk"
        role="dialog"
        aria-modal="true"
        aria-labelledby="triage-title"
        data-testid="triage-desk"
        data-stage={shownStage}
        onClick={(e) => e.stopPropagation()}
        onKeyDown={onKeyDown}
      >
        <header className="triage-header">
          <h2 id="triage-title">
            {t('triage.title')} <span className="triage-header-count">{items.length}</span>
          </h2>
          <p className="muted">{t('triage.subtitle')}</p>
          <button type="button" className="icon-button" onClick={onClose} aria-label={t('triage.close')}>
            ✕
          </button>
        </header>
        <div className="triage-body">
          <ol className="triage-list" ref={listRef} tabIndex={0} role="listbox" aria-label={t('triage.title')} aria-activedescendant={selected ? `triage-${selected.id}` : undefined}>
            {items.length === 0 && <li className="triage-empty">{t('triage.empty')}</li>}
            {items.map((item, i) => (
              <li
                key={item.id}
                id={`triage-${item.id}`}
                role="option"
                aria-selected={item.id === selected?.id}
                className="triage-row"
                data-triage-id={item.id}
                data-channel-id={item.channelId}
                onClick={() => setCursor({ id: item.id, index: i })}
                onDoubleClick={() => {
                  setCursor({ id: item.id, index: i });
                  setStage('picker');
                }}
              >
                <div className="triage-row-head">
                  <span className="triage-channel">{t(`triage.channel.${item.channel}`)}</span>
                  <span className="mono">{item.channelId}</span>
                  <Waited at={item.receivedAt} now={now} />
                </div>
                <Reasons item={item} />
                <div className="triage-row-text">
                  <strong>{item.itemText}</strong> · {item.description}
                </div>
                <div className="triage-row-place" data-unplaced={item.townId === null || undefined}>
                  {placeName(item) ?? `◎ ${t('triage.unplaced')}`}
                  {item.address && <span className="muted"> · {item.address}</span>}
                </div>
              </li>
            ))}
          </ol>
          {selected ? (
            <TriageDetail
              key={selected.id}
              selected={selected}
              catalog={catalog}
              stage={shownStage}
              setStage={setStage}
              busy={busy}
              onCreate={(itemCode, place) => create(selected, itemCode, place)}
              onDismiss={(reason) => dismiss(selected, reason)}
              onNotice={setNotice}
            />
          ) : (
            <section className="triage-detail triage-detail-empty">
              <p className="muted">{t('triage.empty')}</p>
            </section>
          )}
        </div>
        {notice && (
          <footer className="triage-notice" data-tone={notice.tone} role="status" data-testid="triage-notice">
            {notice.text}
            {notice.eventId && (
              <button type="button" className="triage-btn" data-tone="link" onClick={() => openCase(notice.eventId!)}>
                {t('triage.openCase')} <kbd>o</kbd>
              </button>
            )}
          </footer>
        )}
      </div>
    </div>
  );
}
