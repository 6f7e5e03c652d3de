import { useEffect, useMemo, useRef, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import { useQueryClient } from '@tanstack/react-query';
import { AssignDialog, type AssignableCounty } from './AssignDialog';
import { AssignmentsDesk } from './AssignmentsDesk';
import { assignableCounties } from './assignment-rules';
import { ASSIGNMENTS_KEY, useAssignments } from './queries';
import './assignments.css';

/** Typing in a field, or a dialog open: the console's letter keys are not for the console then. */
function keyIsForSomethingElse(event: KeyboardEvent): boolean {
  const target = event.target;
  if (target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName))) return true;
  return document.querySelector('[aria-modal="true"]') !== null;
}

/**
 * The top bar's 市级交办 button, for a city's user (who may assign down and whose scope holds a
 * city): how many of the city's assignments are still open, the desk it opens (also with `u`
 * from anywhere in the console) and, from the desk, the dialog that assigns a case down.
 * Renders nothing for anyone else, and on a county server.
 */
export function AssignmentsButton({ root, scope, catalog, onOpenCase }: { root: RegionNode; scope: Scope; catalog: readonly CatalogItem[]; onOpenCase(id: string): void }) {
  const counties = useMemo<AssignableCounty[]>(() => {
    const towns = new Map<string, Set<string>>();
    const walk = (n: RegionNode, county: string | null) => {
      const here = n.level === 'county' ? n.id : county;
      if (n.level === 'town' && here) {
        const of = towns.get(here);
        if (of) of.add(n.id);
        else towns.set(here, new Set([n.id]));
      }
      n.children?.forEach((c) => walk(c, here));
    };
    walk(root, null);
    return assignableCounties(root, scope).map((c) => ({ ...c, towns: towns.get(c.id) ?? new Set() }));
  }, [root, scope]);
  if (counties.length === 0) return null;
  return <Button counties={counties} catalog={catalog} onOpenCase={onOpenCase} />;
}

function Button({ counties, catalog, onOpenCase }: { counties: readonly AssignableCounty[]; catalog: readonly CatalogItem[]; onOpenCase(id: string): void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const open = useAssignments('open', true);
  const [desk, setDesk] = useState(false);
  const [assigning, setAssigning] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const pending = open.data?.total ?? null;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'u' || event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || keyIsForSomethingElse(event)) return;
      event.preventDefault();
      setDesk(true);
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);

  const closeDesk = () => {
    setDesk(false);
    button.current?.focus();
  };

  return (
    <>
      <button
        ref={button}
        type="button"
        className="assignments-button"
        data-testid="assignments-button"
        aria-haspopup="dialog"
        aria-expanded={desk}
        title={t('assignments.buttonTitle')}
        onClick={() => setDesk(true)}
      >
        {t('assignments.button')}
        <span className="assignments-count" data-testid="assignments-count">
          {pending ?? '—'}
        </span>
        <kbd aria-hidden="true">u</kbd>
      </button>
      {desk &&
        createPortal(
          <AssignmentsDesk
            onClose={closeDesk}
            onAssign={() => setAssigning(true)}
            onOpenCase={(id) => {
              closeDesk();
              onOpenCase(id);
            }}
          />,
          document.body,
        )}
      {assigning &&
        createPortal(
          <AssignDialog
            counties={counties}
            catalog={catalog}
            onClose={() => setAssigning(false)}
            onAssigned={() => {
              setAssigning(false);
              void queryClient.invalidateQueries({ queryKey: ASSIGNMENTS_KEY });
            }}
          />,
          document.body,
        )}
    </>
  );
}
