import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { englishItemNames, itemNamer, type ItemNamer } from '../../app/item-names';
import { useServices } from '../../app/services';
import { catalogQuery } from './queries';

/** The English item names (null in Chinese) and the namer built on them, following the UI language. */
export function useItemNames(): { english: Readonly<Record<string, string>> | null; name: ItemNamer } {
  const { api } = useServices();
  const { i18n } = useTranslation();
  const { data } = useQuery(catalogQuery(api));
  const english = useMemo(() => englishItemNames(data, i18n.language), [data, i18n.language]);
  const name = useMemo(() => itemNamer(english), [english]);
  return { english, name };
}
