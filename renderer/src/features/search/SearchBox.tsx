import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useLayoutEffect, useMemo, useState, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { SEARCH_MAX_LENGTH, type SearchItem, type SearchPlace, type SearchResponse } from '../../../../shared/contracts/search.js';
import { useServices } from '../../app/services';
import { formatWhen } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { addressSearchQuery, ADDRESSES_IN_SEARCH } from '../addresses/queries';
import { useItemNames } from '../catalog/use-item-names';
import { UrgencyChip } from '../events-queue/UrgencyChip';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { searchQuery } from './queries';
import { flatOptions, groupResults, highlightParts, moveActive, type SearchGroup, type SearchOption } from './search-results';
import './search.css';

/** How long typing must pause before the server is asked: a query per word, not per keystroke. */
const TYPING_PAUSE_MS = 200;

export interface SearchBoxProps {
  /** The input, for the `/` key to put the cursor in. */
  inputRef: RefObject<HTMLInputElement | null>;
  index: RegionIndex;
  /** The user's roles see reporters' phones: the hint says a phone can be searched. */
  seesPhones: boolean;
  onChooseCase(event: EventRecord): void;
  onChoosePlace(place: SearchPlace): void;
  /** A household's address: the map flies there and its place card opens. */
  onChooseAddress(address: AddressHit): void;
  onChooseItem(item: SearchItem): void;
}

function Marked({ text, query }: { text: string; query: string }) {
  return (
    <>
      {highlightParts(text, query).map((part, i) => (part.hit ? <mark key={i}>{part.text}</mark> : <span key={i}>{part.text}</span>))}
    </>
  );
}

/**
 * The top bar's search: case id, reporter phone (roles that see it), address, place, household
 * address (统一地址, asked of the address search beside the case search) or item, all in one box. `/` focuses it, ↑/↓ move through the answers, Enter opens one (the first when
 * none is marked, once the answer to what was typed has come), Esc leaves. Answers are grouped
 * by kind and come only from the user's towns.
 */
export function SearchBox({ inputRef, index, seesPhones, onChooseCase, onChoosePlace, onChooseAddress, onChooseItem }: SearchBoxProps) {
  const { t, i18n } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const { name: itemName } = useItemNames();
  const english = i18n.language === 'en';
  const listId = useId();
  const [value, setValue] = useState('');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const typed = value.trim();

  useEffect(() => {
    if (typed === query) return;
    const timer = setTimeout(() => setQuery(typed), TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [typed, query]);

  const search = useQuery({ ...searchQuery(api, query), enabled: open && query !== '', placeholderData: keepPreviousData });
  // A failed address search leaves its group out; the case search's answer still shows.
  const addresses = useQuery({ ...addressSearchQuery(api, query), enabled: open && query !== '', placeholderData: keepPreviousData });
  const addressesAnswered = addresses.isError || (addresses.data !== undefined && !addresses.isPlaceholderData);
  const current = search.data && !search.isPlaceholderData && addressesAnswered && query === typed ? search.data : undefined;
  const shown: SearchResponse | undefined = typed === '' ? undefined : search.data;
  const shownAddresses = typed === '' || addresses.isError ? undefined : addresses.data?.items;
  const groups = useMemo(() => (shown ? groupResults(shown, shownAddresses?.slice(0, ADDRESSES_IN_SEARCH)) : []), [shown, shownAddresses]);
  const options = useMemo(() => flatOptions(groups), [groups]);

  const choose = (option: SearchOption) => {
    setOpen(false);
    setActive(-1);
    inputRef.current?.blur();
    if (option.kind === 'case') onChooseCase(option.event);
    else if (option.kind === 'place') onChoosePlace(option.place);
    else if (option.kind === 'address') onChooseAddress(option.address);
    else onChooseItem(option.item);
  };

  /**
   * Enter before the answer to what was typed has come (a case id typed and entered at once):
   * ask now, and open the first answer if the box still holds the same text by then.
   */
  const chooseFirstWhenAnswered = (q: string) => {
    setQuery(q);
    setOpen(true);
    Promise.all([
      queryClient.fetchQuery(searchQuery(api, q)),
      queryClient.fetchQuery(addressSearchQuery(api, q)).then(
        (a) => a.items.slice(0, ADDRESSES_IN_SEARCH),
        () => [],
      ),
    ])
      .then(([answer, found]) => {
        const input = inputRef.current;
        const first = flatOptions(groupResults(answer, found))[0];
        if (first && input && document.activeElement === input && input.value.trim() === q) choose(first);
      })
      // the panel shows the failure: the query's own observer sees it too
      .catch(() => undefined);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.nativeEvent.isComposing) return;
    switch (e.key) {
      case 'ArrowDown':
      case 'ArrowUp':
        e.preventDefault();
        setOpen(true);
        setActive((a) => moveActive(a, options.length, e.key === 'ArrowDown' ? 1 : -1));
        return;
      case 'Enter': {
        e.preventDefault();
        const marked = active >= 0 ? options[active] : undefined;
        if (marked) choose(marked);
        else if (current && options[0]) choose(options[0]);
        else if (typed !== '') chooseFirstWhenAnswered(typed);
        return;
      }
      case 'Escape':
        e.preventDefault();
        setOpen(false);
        inputRef.current?.blur();
        return;
    }
  };

  const waiting = typed !== '' && (query !== typed || search.isFetching || addresses.isFetching) && !current;
  const activeOption = active >= 0 ? options[active] : undefined;
  const activeId = activeOption ? `${listId}-${activeOption.key}` : undefined;
  // The arrows may mark an answer below the fold of a long list: bring it into view.
  useLayoutEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);
  const hintKey = seesPhones ? 'search.hint' : 'search.hintNoPhone';
  let status: 'hint' | 'loading' | 'error' | 'empty' | 'results' = 'results';
  if (typed === '') status = 'hint';
  else if (search.isError && !search.isFetching && query === typed) status = 'error';
  else if (!shown) status = 'loading';
  else if (groups.length === 0) status = waiting ? 'loading' : 'empty';

  return (
    <div className="search" data-testid="search">
      <span className="search-icon" aria-hidden="true">
        ⌕
      </span>
      <input
        ref={inputRef}
        type="search"
        className="search-input"
        role="combobox"
        aria-label={t('search.label')}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeId}
        placeholder={t(seesPhones ? 'search.placeholder' : 'search.placeholderNoPhone')}
        maxLength={SEARCH_MAX_LENGTH}
        value={value}
        spellCheck={false}
        autoComplete="off"
        data-testid="search-input"
        onChange={(e) => {
          setValue(e.target.value);
          setActive(-1);
          setOpen(true);
        }}
        onFocus={(e) => {
          e.target.select();
          setOpen(true);
        }}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      <kbd className="search-key" aria-hidden="true">
        /
      </kbd>
      {open && (
        <div
          className="search-panel"
          data-testid="search-panel"
          data-status={status}
          data-q={shown && !search.isPlaceholderData ? query : undefined}
          // a click on an answer must not blur the input first (which closes the panel)
          onMouseDown={(e) => e.preventDefault()}
        >
          {shown?.notices.map((n) => (
            <p key={n.code} className="search-notice" role="status" data-testid="search-notice" data-code={n.code}>
              {n.message}
            </p>
          ))}
          {status === 'hint' && <p className="search-state">{t(hintKey)}</p>}
          {status === 'loading' && <p className="search-state">{t('search.loading')}</p>}
          {status === 'error' && (
            <p className="search-state search-error" role="alert">
              {t('search.failed', { message: search.error?.message ?? '' })}
            </p>
          )}
          {status === 'empty' && (
            <p className="search-state" data-testid="search-empty">
              <strong>{t('search.empty', { q: typed })}</strong>
              <span>{t(hintKey)}</span>
            </p>
          )}
          <div id={listId} role="listbox" aria-label={t('search.results')} className="search-list" data-stale={waiting || undefined}>
            {status === 'results' &&
              groups.map((group) => (
                <Group
                  key={group.id}
                  group={group}
                  listId={listId}
                  activeKey={activeOption?.key}
                  query={shown?.q ?? typed}
                  truncated={
                    group.id === 'place'
                      ? shown!.truncated.places
                      : group.id === 'address'
                        ? (shownAddresses?.length ?? 0) > ADDRESSES_IN_SEARCH
                        : group.id === 'item'
                          ? shown!.truncated.items
                          : shown!.truncated.cases
                  }
                  index={index}
                  english={english}
                  itemName={itemName}
                  onChoose={choose}
                  onHover={(key) => setActive(options.findIndex((o) => o.key === key))}
                />
              ))}
          </div>
          <footer className="search-keys" aria-hidden="true">
            <span>
              <kbd>↑</kbd>
              <kbd>↓</kbd>
              {t('search.keyMove')}
            </span>
            <span>
              <kbd>Enter</kbd>
              {t('search.keyOpen')}
            </span>
            <span>
              <kbd>Esc</kbd>
              {t('search.keyLeave')}
            </span>
          </footer>
        </div>
      )}
    </div>
  );
}

interface GroupProps {
  group: SearchGroup;
  listId: string;
  activeKey: string | undefined;
  query: string;
  truncated: boolean;
  index: RegionIndex;
  english: boolean;
  itemName: (event: { itemCode: string; itemName: string }) => string;
  onChoose(option: SearchOption): void;
  onHover(key: string): void;
}

function Group({ group, listId, activeKey, query, truncated, index, english, itemName, onChoose, onHover }: GroupProps) {
  const { t } = useTranslation();
  const now = useNow(60_000);
  const headingId = `${listId}-${group.id}`;
  return (
    <div role="group" aria-labelledby={headingId} className="search-group" data-group={group.id}>
      <div id={headingId} className="search-group-title" role="presentation">
        {t(`search.groups.${group.id}`)}
        <span className="search-group-count">{group.options.length}</span>
        {truncated && group.id !== 'caseId' && <span className="search-group-more">{t('search.more')}</span>}
      </div>
      {group.options.map((option) => (
        <div
          key={option.key}
          id={`${listId}-${option.key}`}
          role="option"
          aria-selected={option.key === activeKey}
          className="search-option"
          data-kind={option.kind}
          data-key={option.key}
          onClick={() => onChoose(option)}
          onMouseMove={() => option.key !== activeKey && onHover(option.key)}
        >
          {option.kind === 'case' && (
            <>
              <div className="search-line">
                <UrgencyChip urgency={option.event.urgency} />
                <span className="search-id mono">
                  <Marked text={option.event.id} query={group.id === 'caseId' ? '' : query} />
                </span>
                <span className="search-title">{itemName(option.event)}</span>
                <span className="case-state-chip" data-status={option.event.status}>
                  {t(`status.${option.event.status}`)}
                </span>
              </div>
              <div className="search-line search-sub">
                {group.id === 'casePhone' ? (
                  <span className="search-where">
                    {option.event.reporter.name} <span className="mono">{option.event.reporter.phone}</span>
                  </span>
                ) : (
                  <span className="search-where">{group.id === 'caseAddress' ? <Marked text={option.event.address} query={query} /> : placeLabel(index, option.event)}</span>
                )}
                <span className="search-when">{formatWhen(option.event.reportedAt, now)}</span>
              </div>
            </>
          )}
          {option.kind === 'place' && (
            <div className="search-line">
              <span className="search-tag" data-level={option.place.level}>
                {t(`search.kind.${option.place.kind}`)}
              </span>
              <span className="search-title">
                <Marked text={option.place.name} query={query} />
              </span>
              <span className="search-where">{option.place.path}</span>
            </div>
          )}
          {option.kind === 'address' && (
            <>
              <div className="search-line">
                <span className="search-tag" data-level="address">
                  {t('search.kind.household')}
                </span>
                <span className="search-title search-address">
                  <Marked text={option.address.address} query={query} />
                </span>
              </div>
              <div className="search-line search-sub">
                <span className="search-where">{placeLabel(index, option.address)}</span>
                <span className="search-code mono">
                  <Marked text={option.address.code} query={query} />
                </span>
              </div>
            </>
          )}
          {option.kind === 'item' && (
            <div className="search-line">
              <span className="search-tag mono">{option.item.code}</span>
              <span className="search-title">
                <Marked text={english ? option.item.nameEn : option.item.name} query={query} />
              </span>
              <span className="search-where">{english ? option.item.categoryNameEn : option.item.categoryName}</span>
              <span className="search-count" data-open={option.item.openCases}>
                {t('search.openCases', { count: option.item.openCases })}
              </span>
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
