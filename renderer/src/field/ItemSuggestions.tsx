import { useCallback, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../../shared/contracts/catalog.js';
import type { ClassifyResponse } from '../../../shared/contracts/classify.js';
import { percent, useItemSuggestions, type SuggestionFetcher } from '../app/item-suggest';
import { useField } from './field-context';

/**
 * The items the worker's description suggests, as three big cards to tap: the item, how sure
 * (in words a worker reads in the sun: 很可能 / 可能 / 也许, with the percentage), and the words
 * it went by. Only while the phone is connected: offline it shows nothing and says nothing, the
 * list below works as before.
 */
export function ItemSuggestions({ text, items, onPick }: { text: string; items: readonly CatalogItem[]; onPick: (item: CatalogItem) => void }) {
  const { t, i18n } = useTranslation();
  const services = useField();
  const link = useSyncExternalStore(services.feed.subscribe, () => services.feed.getView().link);
  const online = link === 'connected';
  const ask = useCallback<SuggestionFetcher>((q, signal) => services.api.post<ClassifyResponse>('/classify', { text: q }, { signal }), [services.api]);
  const state = useItemSuggestions(online ? ask : null, text);
  if (!state) return null;
  const en = i18n.language === 'en';
  const byCode = new Map(items.map((i) => [i.code, i]));
  const shown = state.suggestions.slice(0, 3).flatMap((s) => {
    const item = byCode.get(s.itemCode);
    return item ? [{ s, item }] : [];
  });
  if (shown.length === 0) return null;
  return (
    <section className="f-suggest" data-testid="field-suggestions" aria-label={t('itemSuggest.title')}>
      <h2 className="f-suggest-title">{t('itemSuggest.title')}</h2>
      {shown.map(({ s, item }) => {
        const level = s.score >= state.threshold ? 'high' : s.score >= state.threshold / 2 ? 'mid' : 'low';
        return (
          <button key={s.itemCode} type="button" className={`f-card f-suggest-card f-suggest-${level}`} data-testid="field-suggestion" data-code={s.itemCode} onClick={() => onPick(item)}>
            <span className="f-suggest-top">
              <span className="f-card-item">{en ? item.nameEn : item.name}</span>
              <span className="f-suggest-score">
                {t(`itemSuggest.${level}`)} {percent(s.score)}
              </span>
            </span>
            {s.words.length > 0 && (
              <span className="f-suggest-words">
                {t('itemSuggest.by')}
                {s.words.slice(0, 4).map((w) => (
                  <mark key={w}>{w}</mark>
                ))}
              </span>
            )}
          </button>
        );
      })}
    </section>
  );
}
