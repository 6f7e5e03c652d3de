import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMANDS } from './commands';

/** The `?` sheet, listing the same command registry the keyboard runs. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby="shortcut-title" onClick={(e) => e.stopPropagation()}>
        <header className="sheet-header">
          <h2 id="shortcut-title">{t('shortcuts.title')}</h2>
          <button ref={closeRef} type="button" className="icon-button" onClick={onClose} aria-label={t('shortcuts.close')}>
            ✕
          </button>
        </header>
        <table className="shortcut-table">
          <tbody>
            {COMMANDS.map((command) => (
              <tr key={command.name}>
                <td className="shortcut-keys">
                  {command.keys.map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </td>
                <td>{t(command.labelKey)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
