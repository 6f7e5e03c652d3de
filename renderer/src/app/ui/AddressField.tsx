import './address-field.css';
import { useEffect, useState, type ReactNode } from 'react';
import type { AddressHit, AddressSearchResponse } from '../../../../shared/contracts/addresses.js';
import { useServices } from '../services';

/** How many suggestions the field shows: a dispatcher scans six at a glance, not twenty. */
const SHOWN = 6;

export interface AddressHitOptions {
  /** How many to ask the server for; more than shown when `keep` will drop some. */
  limit?: number;
  /** Keeps only the addresses the form may take (e.g. those of the chosen county). */
  keep?: (hit: AddressHit) => boolean;
}

/**
 * Households' unified addresses matching what was typed, asked a moment after the last keystroke
 * (an older answer is dropped when a newer question is out). An empty query asks nothing.
 */
export function useAddressHits(query: string, { limit = SHOWN, keep }: AddressHitOptions = {}): AddressHit[] {
  const { api } = useServices();
  const [hits, setHits] = useState<AddressHit[]>([]);
  const q = query.trim();
  const active = q.length >= 2;
  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      api.get<AddressSearchResponse>('/addresses', { q, limit }, { signal: controller.signal }).then(
        (res) => !controller.signal.aborted && setHits(res.items),
        () => !controller.signal.aborted && setHits([]),
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [api, q, limit, active]);
  if (!active) return [];
  return (keep ? hits.filter(keep) : hits).slice(0, SHOWN);
}

export interface AddressFieldProps {
  /** `data-testid` of the input; the picked chip is `<testId>-picked`, each suggestion `<testId>-hit`. */
  testId: string;
  /** The form's own words (each dialog speaks of its place differently). */
  labels: { label: string; placeholder: string; change: string };
  /** What was typed while nothing is picked. */
  query: string;
  onQueryChange(query: string): void;
  /** The picked place as shown on its chip, or null while the operator is still typing. */
  picked: string | null;
  /** The suggestions to offer (from `useAddressHits`); none are shown once a place is picked. */
  hits: readonly AddressHit[];
  onPick(hit: AddressHit): void;
  /** The change button: forgets the picked place and what was typed. */
  onClear(): void;
  invalid: boolean;
  /** Notes and errors under the field, in the form's words. */
  children?: ReactNode;
}

/**
 * A place field of a dialog: type part of a household's unified address, pick one of the
 * suggestions (Tab reaches them, Enter or a click picks), and the pick stays as a chip with a
 * change button. The dialog keeps the state, so it may read the typed text for itself.
 */
export function AddressField({ testId, labels, query, onQueryChange, picked, hits, onPick, onClear, invalid, children }: AddressFieldProps) {
  return (
    <label className="dialog-field">
      <span>{labels.label}</span>
      {picked !== null ? (
        <span className="address-field-picked" data-testid={`${testId}-picked`}>
          <strong>{picked}</strong>
          <button type="button" className="chip-button" onClick={onClear}>
            {labels.change}
          </button>
        </span>
      ) : (
        <input value={query} maxLength={100} placeholder={labels.placeholder} onChange={(e) => onQueryChange(e.target.value)} aria-invalid={invalid} data-testid={testId} />
      )}
      {picked === null && hits.length > 0 && (
        <span className="dialog-suggestions" role="group" aria-label={labels.label}>
          {hits.map((h) => (
            <button key={h.code} type="button" className="chip-button" onClick={() => onPick(h)} data-testid={`${testId}-hit`}>
              {h.address}
            </button>
          ))}
        </span>
      )}
      {children}
    </label>
  );
}
