import { useTranslation } from 'react-i18next';
import { isLanguage, setLanguage } from '../../i18n/i18n';

/** Flips the UI between Chinese and English; labelled in the language it switches to. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const lang = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  return (
    <button
      type="button"
      className="lang-switch"
      onClick={() => void setLanguage(lang === 'zh-CN' ? 'en' : 'zh-CN')}
      aria-label={t('app.switchToLabel')}
      lang={lang === 'zh-CN' ? 'en' : 'zh-CN'}
    >
      {t('app.switchTo')}
    </button>
  );
}
