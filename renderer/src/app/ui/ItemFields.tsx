import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';

/**
 * The urgency a form sends: the operator's choice while the item allows it, else the item's
 * default (a choice made for another item does not carry over).
 */
export function urgencyOf(chosen: Urgency | null, item: CatalogItem | null): Urgency | null {
  return chosen && item?.urgencies.includes(chosen) ? chosen : (item?.defaultUrgency ?? null);
}

export interface ItemSelectProps {
  /** `data-testid` of the select. */
  testId: string;
  /** The form's own words: the field's name and the empty choice. */
  labels: { label: string; none: string };
  /** Shown after the field's name (e.g. a mark that the item was suggested). */
  labelNote?: ReactNode;
  items: readonly CatalogItem[];
  /** The chosen item's code, '' for none. */
  value: string;
  onChange(code: string): void;
  invalid: boolean;
  /** Notes and errors under the field, in the form's words. */
  children?: ReactNode;
}

/** A catalog item field: the items grouped under their categories, each shown as code and name. */
export function ItemSelect({ testId, labels, labelNote, items, value, onChange, invalid, children }: ItemSelectProps) {
  const { i18n } = useTranslation();
  const en = i18n.language.startsWith('en');
  const categories = useMemo(() => {
    const groups = new Map<string, { name: string; items: CatalogItem[] }>();
    for (const i of items) {
      const g = groups.get(i.category) ?? { name: en ? i.categoryNameEn : i.categoryName, items: [] };
      g.items.push(i);
      groups.set(i.category, g);
    }
    return [...groups.values()];
  }, [items, en]);
  return (
    <label className="dialog-field">
      <span>
        {labels.label}
        {labelNote}
      </span>
      <select value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={invalid} data-testid={testId}>
        <option value="">{labels.none}</option>
        {categories.map((g) => (
          <optgroup key={g.name} label={g.name}>
            {g.items.map((i) => (
              <option key={i.code} value={i.code}>
                {i.code} {en ? i.nameEn : i.name}
              </option>
            ))}
          </optgroup>
        ))}
      </select>
      {children}
    </label>
  );
}

export interface UrgencySelectProps {
  /** `data-testid` of the select. */
  testId: string;
  label: string;
  /** The chosen item: it says which urgencies may be chosen; none chosen disables the field. */
  item: CatalogItem | null;
  /** The urgency in force (from `urgencyOf`). */
  value: Urgency | null;
  onChange(urgency: Urgency): void;
}

/** The urgency field next to an `ItemSelect`: only the urgencies the chosen item allows. */
export function UrgencySelect({ testId, label, item, value, onChange }: UrgencySelectProps) {
  const { t } = useTranslation();
  return (
    <label className="dialog-field" style={{ flex: '0 0 9rem' }}>
      <span>{label}</span>
      <select value={value ?? ''} disabled={!item} onChange={(e) => onChange(e.target.value as Urgency)} data-testid={testId}>
        {(item?.urgencies ?? []).map((u) => (
          <option key={u} value={u}>
            {t(`urgency.${u}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
