import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AssignmentSummary } from '../../../../shared/contracts/assignments.js';
import { formatWhen } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { Dialog } from '../case-actions/dialogs/Dialog';
import { useItemNames } from '../catalog/use-item-names';
import { useAssignments, type AssignmentState } from './queries';

const STATES: readonly AssignmentState[] = ['open', 'reported', 'all'];

/** The county's result in one line: how it ended, in its words (and where it was sent, when not filed). */
function outcomeLine(t: (key: string, options?: Record<string, unknown>) => string, a: AssignmentSummary): string {
  if (!a.outcome) return '—';
  const status = t(`status.${a.outcome.status}`);
  const line = a.outcome.text ? t('assignments.outcome', { status, text: a.outcome.text }) : t('assignments.outcomeBare', { status });
  return a.outcome.receivingBody ? `${line} · ${t('assignments.receivingBody', { body: a.outcome.receivingBody })}` : line;
}

/**
 * 市级交办: the city's assignments, newest first — where each went, its deadline and how it stands
 * against it, the case's state in the county now and the result reported back. `n` (or the
 * button, which has focus) opens the dialog to assign a new one; Enter on a row opens its case.
 */
export function AssignmentsDesk({ onClose, onAssign, onOpenCase }: { onClose(): void; onAssign(): void; onOpenCase(id: string): void }) {
  const { t } = useTranslation();
  const tr = t as unknown as (key: string, options?: Record<string, unknown>) => string;
  const now = useNow();
  const { name: itemName } = useItemNames();
  const [state, setState] = useState<AssignmentState>('open');
  const query = useAssignments(state, true);
  const items = query.data?.items ?? [];

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const target = e.target as HTMLElement;
    if (e.key !== 'n' || e.ctrlKey || e.metaKey || e.altKey || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName)) return;
    e.preventDefault();
    onAssign();
  };

  return (
    <Dialog title={t('assignments.title')} subtitle={t('assignments.subtitle')} onClose={onClose} size="wide" testId="assignments-desk">
      <div className="dialog-body assignments-desk" onKeyDown={onKeyDown}>
        <div className="assignments-toolbar">
          <button type="button" className="primary-button" data-autofocus onClick={onAssign} data-testid="assignments-new">
            + {t('assignments.newAssignment')} <kbd aria-hidden="true">n</kbd>
          </button>
          <div className="assignments-states" role="tablist" aria-label={t('assignments.title')}>
            {STATES.map((s) => (
              <button key={s} type="button" role="tab" aria-selected={state === s} className="chip-button" data-state={s} onClick={() => setState(s)}>
                {t(`assignments.states.${s}`)}
                {state === s && query.data ? ` ${query.data.total}` : ''}
              </button>
            ))}
          </div>
          <span className="dialog-keys">{t('assignments.keysHint')}</span>
        </div>
        {query.isError ? (
          <p className="field-error" role="alert">
            {t('assignments.loadFailed', { message: query.error.message })}
          </p>
        ) : items.length === 0 ? (
          <p className="assignments-empty" data-testid="assignments-empty">
            {query.isPending ? t('queue.loading') : t('assignments.empty')}
          </p>
        ) : (
          <table className="assignments-table" data-testid="assignments-table">
            <thead>
              <tr>
                <th>{t('assignments.columns.case')}</th>
                <th>{t('assignments.columns.county')}</th>
                <th>{t('assignments.columns.item')}</th>
                <th>{t('assignments.columns.due')}</th>
                <th>{t('assignments.columns.status')}</th>
                <th>{t('assignments.columns.outcome')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((a) => (
                <tr key={a.eventId} data-event-id={a.eventId} data-standing={a.standing}>
                  <td>
                    <button type="button" className="assignments-case mono" onClick={() => onOpenCase(a.eventId)} title={t('assignments.open')}>
                      {a.eventId}
                    </button>
                    <span className="muted">{a.byUser.displayName}</span>
                  </td>
                  <td className="assignments-county">{a.countyName}</td>
                  <td>
                    <span className={`urgency-chip urgency-${a.urgency}`} data-urgency={a.urgency}>
                      {t(`urgency.${a.urgency}`)}
                    </span>{' '}
                    {itemName({ itemCode: a.itemCode, itemName: a.itemName })}
                    <span className="muted assignments-address">{a.address}</span>
                  </td>
                  <td className="assignments-due">
                    {formatWhen(a.dueAt, now)}
                    <span className="assignments-standing" data-standing={a.standing}>
                      {t(`assignments.standing.${a.standing}`)}
                    </span>
                  </td>
                  <td>{t(`status.${a.status}`)}</td>
                  <td className="assignments-outcome">{outcomeLine(tr, a)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </Dialog>
  );
}
