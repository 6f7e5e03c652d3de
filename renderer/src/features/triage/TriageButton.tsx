import { useEffect, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { TriageDesk } from './TriageDesk';
import { useTriage } from './queries';
import './triage.css';

/** Typing in a field, or a dialog open: the console's letter keys are not for the console then. */
function keyIsForSomethingElse(event: KeyboardEvent): boolean {
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return true;
  return document.querySelector('[aria-modal="true"]') !== null;
}

/**
 * The top bar's 待甄别 button: how many channel reports wait for a person (live), and the desk it
 * opens (also with `i` from anywhere in the console). Shown to the roles that may decide them.
 */
export function TriageButton({ catalog, townName }: { catalog: readonly CatalogItem[]; townName(id: string): string | undefined }) {
  const { t } = useTranslation();
  const query = useTriage(true);
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pending = query.data?.pending ?? null;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'i' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || keyIsForSomethingElse(event)) return;
      event.preventDefault();
      setOpen(true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const close = () => {
    setOpen(false);
    button.current?.focus();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="triage-button"
        data-testid="triage-button"
        data-waiting={pending !== null && pending > 0 ? 'true' : undefined}
        aria-haspopup="dialog"
        aria-expanded={open}
        title={t('triage.buttonTitle')}
        onClick={() => setOpen(true)}
      >
        {t('triage.button')}
        <span className="triage-count" data-testid="triage-count">
          {pending ?? '—'}
        </span>
        <kbd aria-hidden="true">i</kbd>
      </button>
      {open && createPortal(<TriageDesk items={query.data?.items ?? []} catalog={catalog} townName={townName} onClose={close} />, document.body)}
    </>
  );
}
