import i18next, { type i18n, type Resource } from 'i18next';
import { initReactI18next } from 'react-i18next';

/**
 * A page's own i18next instance (the field app, the resident page): its tables in zh-CN and
 * English, zh-CN the fallback, ready at once (no async init), and `<html lang>` set to match.
 * The console's global instance keeps its own tables.
 */
export function createPageI18n(tables: { 'zh-CN': Resource[string]['translation']; en: Resource[string]['translation'] }, lng: 'zh-CN' | 'en'): i18n {
  const instance = i18next.createInstance();
  void instance.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: tables['zh-CN'] }, en: { translation: tables.en } },
    lng,
    fallbackLng: 'zh-CN',
    interpolation: { escapeValue: false },
    returnNull: false,
    initAsync: false,
  });
  document.documentElement.lang = lng;
  return instance;
}
