import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { COMMANDS, type Command } from './commands';

/** Keys that work inside the action dialogs (the dialogs handle them; listed here to be found). */
const DIALOG_KEYS: ReadonlyArray<{ keys: readonly string[]; labelKey: string }> = [
  { keys: ['↑', '↓', '1…9'], labelKey: 'shortcuts.dialogChoose' },
  { keys: ['Enter'], labelKey: 'shortcuts.dialogConfirm' },
  { keys: ['Tab'], labelKey: 'shortcuts.dialogTab' },
  { keys: ['Esc'], labelKey: 'shortcuts.closeDetail' },
];

/** Keys a panel handles itself rather than the command list: the triage queue (features/triage). */
const PANEL_KEYS: ReadonlyArray<{ keys: readonly string[]; labelKey: string }> = [{ keys: ['i'], labelKey: 'triage.title' }];

function Rows({ items }: { items: ReadonlyArray<Pick<Command, 'keys' | 'labelKey'> & { name?: string }> }) {
  const { t } = useTranslation();
  return (
    <tbody>
      {items.map((item) => (
        <tr key={item.name ?? item.labelKey} data-command={item.name}>
          <td className="shortcut-keys">
            {item.keys.map((key) => (
              <kbd key={key}>{key}</kbd>
            ))}
          </td>
          <td>{t(item.labelKey)}</td>
        </tr>
      ))}
    </tbody>
  );
}

/** The `?` sheet, listing the same command registry the keyboard runs, by group. */
export function ShortcutSheet({ onClose }: { onClose(): void }) {
  const { t } = useTranslation();
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => closeRef.current?.focus(), []);
  return (
    <div className="sheet-backdrop" onClick={onClose}>
      <div className="sheet" role="dialog" aria-modal="true" aria-labelledby="shortcut-title" data-testid="shortcut-sheet" onClick={(e) => e.stopPropagation()}>
        <header className="sheet-header">
          <h2 id="shortcut-title">{t('shortcuts.title')}</h2>
          <button ref={closeRef} type="button" className="icon-button" onClick={onClose} aria-label={t('shortcuts.close')}>
            ✕
          </button>
        </header>
        <div className="sheet-columns">
          <div>
            <h3 className="sheet-group">{t('shortcuts.groupQueue')}</h3>
            <table className="shortcut-table">
              <Rows items={COMMANDS.filter((c) => c.group === 'queue')} />
              <Rows items={PANEL_KEYS} />
            </table>
            <h3 className="sheet-group">{t('shortcuts.groupDialog')}</h3>
            <table className="shortcut-table">
              <Rows items={DIALOG_KEYS} />
            </table>
          </div>
          <div>
            <h3 className="sheet-group">{t('shortcuts.groupCase')}</h3>
            <table className="shortcut-table">
              <Rows items={COMMANDS.filter((c) => c.group === 'case')} />
            </table>
            <h3 className="sheet-group">{t('shortcuts.groupTeams')}</h3>
            <table className="shortcut-table">
              <Rows items={COMMANDS.filter((c) => c.group === 'teams')} />
            </table>
          </div>
        </div>
      </div>
    </div>
  );
}
