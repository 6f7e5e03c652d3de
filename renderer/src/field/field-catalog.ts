import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import type { CatalogResponse } from '../../../shared/contracts/catalog.js';
import { englishItemNames, itemNamer, type ItemNamer } from '../app/item-names';
import { useField } from './field-context';

const CATALOG_CACHE = 'gridcommand.field.catalog.v1';

function readCache(): CatalogResponse | null {
  try {
    const raw = window.localStorage.getItem(CATALOG_CACHE);
    return raw ? (JSON.parse(raw) as CatalogResponse) : null;
  } catch {
    return null;
  }
}

/*
 * The active catalog, one for the whole app: the last one read is kept (in memory and on the
 * phone) so a worker can report, and read item names in their language, without a network.
 */
let current: CatalogResponse | null | undefined;
const listeners = new Set<() => void>();

function snapshot(): CatalogResponse | null {
  if (current === undefined) current = readCache();
  return current;
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function remember(catalog: CatalogResponse): void {
  current = catalog;
  try {
    window.localStorage.setItem(CATALOG_CACHE, JSON.stringify(catalog));
  } catch {
    // too big or refused: kept for this page only
  }
  for (const listener of listeners) listener();
}

/** Reads the active catalog from the server (once per mount); `failed` when it could not and none is kept. */
export function useFieldCatalog(): { catalog: CatalogResponse | null; failed: boolean } {
  const { api } = useField();
  const catalog = useSyncExternalStore(subscribe, snapshot);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    api
      .get<CatalogResponse>('/catalog')
      .then((c) => !cancelled && remember(c))
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [api]);
  return { catalog, failed };
}

/** Item names in the app's language (English from the catalog's `nameEn`), from the kept catalog. */
export function useFieldItemName(): ItemNamer {
  const catalog = useSyncExternalStore(subscribe, snapshot);
  const { i18n } = useTranslation();
  return useMemo(() => itemNamer(englishItemNames(catalog, i18n.language)), [catalog, i18n.language]);
}
