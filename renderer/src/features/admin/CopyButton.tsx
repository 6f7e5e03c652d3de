import { useState } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Copies a secret to the clipboard and says so. Where the browser refuses the clipboard (plain
 * http on another host), it says that instead: the text stays selectable beside it.
 */
export function CopyButton({ text, testId = 'copy-secret' }: { text: string; testId?: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () => {
    const done = navigator.clipboard?.writeText(text);
    if (!done) {
      setState('failed');
      return;
    }
    done.then(
      () => setState('copied'),
      () => setState('failed'),
    );
  };
  return (
    <button type="button" className="admin-button admin-button-small" onClick={copy} data-testid={testId} aria-live="polite">
      {state === 'copied' ? `✓ ${t('admin.common.copied')}` : state === 'failed' ? t('admin.common.copyFailed') : t('admin.common.copy')}
    </button>
  );
}
