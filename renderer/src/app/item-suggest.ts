import { useEffect, useState } from 'react';
import type { ClassifyResponse, ItemSuggestion } from '../../../shared/contracts/classify.js';

/** Asks the server for the items a text suggests; the console and the field app pass their API client's. */
export type SuggestionFetcher = (text: string, signal: AbortSignal) => Promise<ClassifyResponse>;

/** Fewer characters than this say too little to suggest from: no request is made. */
export const SUGGEST_MIN_LENGTH = 4;

/** The text as it is asked about, or null when it is too short to ask. */
export function suggestionQuery(text: string): string | null {
  const q = text.trim();
  return [...q].length >= SUGGEST_MIN_LENGTH ? q.slice(0, 4000) : null;
}

/** One piece of a text, marked when it is one of the words that drove a suggestion. */
export interface TextPart {
  text: string;
  hit: boolean;
}

/** Splits `text` into parts with every occurrence of `words` marked (longest word first where they overlap). */
export function highlightParts(text: string, words: readonly string[]): TextPart[] {
  const wanted = [...new Set(words.filter((w) => w.length > 0))].sort((a, b) => b.length - a.length);
  if (wanted.length === 0 || text.length === 0) return text ? [{ text, hit: false }] : [];
  const hit = new Array<boolean>(text.length).fill(false);
  const lower = text.toLowerCase();
  for (const w of wanted) {
    const needle = w.toLowerCase();
    for (let at = lower.indexOf(needle); at !== -1; at = lower.indexOf(needle, at + needle.length)) hit.fill(true, at, at + needle.length);
  }
  const parts: TextPart[] = [];
  for (let i = 0; i < text.length; i++) {
    const last = parts[parts.length - 1];
    if (last && last.hit === hit[i]) last.text += text[i];
    else parts.push({ text: text[i]!, hit: hit[i]! });
  }
  return parts;
}

export interface SuggestionState {
  /** The text the suggestions are for (they may lag the field by the debounce). */
  text: string;
  suggestions: ItemSuggestion[];
  threshold: number;
}

/**
 * The item suggestions for a text as the user types: asked `delayMs` after the last keystroke,
 * the previous request cancelled. No fetcher (offline, no permission) or a failed request means
 * no suggestions and no error: the form works the same without them.
 */
export function useItemSuggestions(fetcher: SuggestionFetcher | null, text: string, delayMs = 350): SuggestionState | null {
  const [state, setState] = useState<SuggestionState | null>(null);
  const query = suggestionQuery(text);
  useEffect(() => {
    if (!fetcher || query === null) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      fetcher(query, controller.signal).then(
        (res) => !controller.signal.aborted && setState({ text: query, suggestions: res.suggestions, threshold: res.threshold }),
        () => !controller.signal.aborted && setState(null),
      );
    }, delayMs);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [fetcher, query, delayMs]);
  // While the user types on, the last answer stays (no flicker); it goes with the text or the fetcher.
  return fetcher && query !== null ? state : null;
}

/**
 * The item a form stands on: the user's own choice (a pick from the list, or a suggestion they
 * clicked) always; without one, the best suggestion if it is at or above the threshold, marked
 * `auto` so the form can say so. A suggestion never replaces what the user chose.
 */
export function effectiveItem(chosen: string | null, state: SuggestionState | null): { code: string | null; auto: boolean } {
  if (chosen) return { code: chosen, auto: false };
  const best = state?.suggestions[0];
  if (best && state && best.score >= state.threshold) return { code: best.itemCode, auto: true };
  return { code: null, auto: false };
}

/** A confidence as people read it: whole percent, "<1%" rather than a 0 % that reads as impossible. */
export function percent(score: number): string {
  return score > 0 && score < 0.005 ? '<1%' : `${Math.round(score * 100)}%`;
}
