import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { RegionIndex } from '../regions/region-index';
import { CASE_ACTIONS } from './registry';
import type { CaseActions } from './use-case-actions';

/** The open action dialog, if any, on the latest version of its case. */
export function ActionDialogHost({ actions, events, index, catalog }: { actions: CaseActions; events: ReadonlyMap<string, EventRecord>; index: RegionIndex; catalog: CatalogResponse | undefined }) {
  const { dialog, submit, closeDialog } = actions;
  const Dialog = dialog ? CASE_ACTIONS[dialog.action].dialog : null;
  if (!dialog || !Dialog) return null;
  const event = events.get(dialog.event.id) ?? dialog.event;
  return <Dialog event={event} teamId={dialog.teamId} events={events} index={index} catalog={catalog} offered={actions.offered} submit={submit} onClose={closeDialog} />;
}
