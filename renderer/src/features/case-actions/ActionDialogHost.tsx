import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { DispatchDialog } from './dialogs/DispatchDialog';
import { ExtensionDecisionDialog, ExtensionRequestDialog } from './dialogs/ExtensionDialogs';
import { MergeDialog } from './dialogs/MergeDialog';
import { ReasonDialog } from './dialogs/ReasonDialog';
import { RejectDialog } from './dialogs/RejectDialog';
import { ReportDialog } from './dialogs/ReportDialog';
import { SuperviseDialog } from './dialogs/SuperviseDialog';
import type { CaseActions } from './use-case-actions';

const NO_REFERRALS: never[] = [];

/** The open action dialog, if any, on the latest version of its case. */
export function ActionDialogHost({ actions, events, index, catalog }: { actions: CaseActions; events: ReadonlyMap<string, EventRecord>; index: RegionIndex; catalog: CatalogResponse | undefined }) {
  const { dialog, submit, closeDialog: onClose } = actions;
  if (!dialog) return null;
  const event = events.get(dialog.event.id) ?? dialog.event;
  const common = { submit, onClose };
  switch (dialog.kind) {
    case 'dispatch':
      return <DispatchDialog {...common} event={event} place={placeLabel(index, event)} preselectTeamId={dialog.teamId} />;
    case 'merge':
      return <MergeDialog {...common} event={event} events={events} />;
    case 'reject':
      return <RejectDialog {...common} event={event} referrals={catalog?.referrals ?? NO_REFERRALS} />;
    case 'supervise':
      return <SuperviseDialog {...common} event={event} />;
    case 'report':
      return <ReportDialog {...common} event={event} />;
    case 'extension-request':
      return <ExtensionRequestDialog {...common} event={event} />;
    case 'extension-decision':
      return <ExtensionDecisionDialog {...common} event={event} offered={actions.offered} />;
    case 'reason':
      return dialog.action === 'void' || dialog.action === 'return' || dialog.action === 'rework' ? <ReasonDialog {...common} event={event} action={dialog.action} /> : null;
  }
}
