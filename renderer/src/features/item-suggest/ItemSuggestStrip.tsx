import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ItemSuggestion } from '../../../../shared/contracts/classify.js';
import { highlightParts, percent, type SuggestionState } from '../../app/item-suggest';
import './item-suggest.css';

/** The digit of Alt+1…3 that a key press means, or null (by `code`: on a Mac Alt+1 types ¡). */
export function altDigit(e: Pick<KeyboardEvent, 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'code'>): number | null {
  if (!e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return null;
  const m = /^(?:Digit|Numpad)([1-9])$/.exec(e.code);
  return m ? Number(m[1]) : null;
}

/**
 * The three items the description suggests, under the description field: each with its
 * confidence and the words that drove it, picked with a click or Alt+1/2/3. The words of the
 * suggestion in focus (hovered, else the best) are marked in a quote of the description. It only
 * offers: the form decides what a pick does and never lets it replace the user's own choice.
 */
export function ItemSuggestStrip({
  state,
  chosenCode,
  itemName,
  onPick,
}: {
  state: SuggestionState | null;
  chosenCode: string | null;
  /** The item's name in the UI language. */
  itemName(s: ItemSuggestion): string;
  onPick(s: ItemSuggestion): void;
}) {
  const { t } = useTranslation();
  const [focus, setFocus] = useState(0);
  const suggestions = useMemo(() => state?.suggestions.slice(0, 3) ?? [], [state]);

  useEffect(() => {
    if (suggestions.length === 0) return;
    const onKey = (e: KeyboardEvent) => {
      const digit = altDigit(e);
      const picked = digit ? suggestions[digit - 1] : undefined;
      if (!picked) return;
      e.preventDefault();
      onPick(picked);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [suggestions, onPick]);

  if (!state || suggestions.length === 0) {
    return (
      <div className="suggest-strip suggest-empty" data-testid="item-suggest" data-state="idle">
        {t('itemSuggest.idle')}
      </div>
    );
  }
  const shown = suggestions[Math.min(focus, suggestions.length - 1)]!;
  const weak = (suggestions[0]?.score ?? 0) < state.threshold;
  return (
    <div className="suggest-strip" data-testid="item-suggest" data-state="ready" role="group" aria-label={t('itemSuggest.label')}>
      <div className="suggest-head">
        <span className="suggest-label">{t('itemSuggest.label')}</span>
        <span className="suggest-hint">{weak ? t('itemSuggest.weak') : t('itemSuggest.hint')}</span>
      </div>
      <ol className="suggest-list">
        {suggestions.map((s, i) => (
          <li key={s.itemCode}>
            <button
              type="button"
              className="suggest-item"
              aria-pressed={chosenCode === s.itemCode}
              data-testid="item-suggestion"
              data-code={s.itemCode}
              data-confident={s.score >= state.threshold}
              onClick={() => onPick(s)}
              onMouseEnter={() => setFocus(i)}
              onFocus={() => setFocus(i)}
              title={t('itemSuggest.pickTitle', { n: i + 1 })}
            >
              <kbd className="suggest-key">Alt+{i + 1}</kbd>
              <span className="suggest-name">{itemName(s)}</span>
              <span className="suggest-score" aria-label={t('itemSuggest.confidence')}>
                <span className="suggest-bar" style={{ width: `${Math.round(s.score * 100)}%` }} />
                <span className="suggest-pct">{percent(s.score)}</span>
              </span>
              <span className="suggest-words">
                {s.words.length > 0 ? s.words.slice(0, 4).map((w) => <mark key={w}>{w}</mark>) : <em>{t('itemSuggest.noWords')}</em>}
              </span>
            </button>
          </li>
        ))}
      </ol>
      <p className="suggest-quote" data-testid="item-suggest-quote">
        <span className="suggest-quote-label">{t('itemSuggest.because', { item: itemName(shown) })}</span>
        {highlightParts(state.text, shown.words).map((p, i) => (p.hit ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>))}
      </p>
    </div>
  );
}
