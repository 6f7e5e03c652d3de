import type { ComponentType } from 'react';
import type { Permission } from '../../../../shared/contracts/auth.js';
import type { CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { Action, ActionRequest } from '../../../../shared/contracts/workflow.js';
import { ACTION_PERMISSION } from '../../../../shared/domain/workflow.js';
import { placeLabel, type RegionIndex } from '../regions/region-index';
import { CloseDialog } from './dialogs/CloseDialog';
import { DispatchDialog } from './dialogs/DispatchDialog';
import { ExtensionDecisionDialog, ExtensionRequestDialog } from './dialogs/ExtensionDialogs';
import { MergeDialog } from './dialogs/MergeDialog';
import { ReasonDialog } from './dialogs/ReasonDialog';
import { RejectDialog } from './dialogs/RejectDialog';
import { ReportDialog } from './dialogs/ReportDialog';
import { SuperviseDialog } from './dialogs/SuperviseDialog';
import type { ActionDialogProps } from './dialogs/use-submit';

/** What the dialog host hands every action's dialog: the case, and what the console holds. */
export interface CaseDialogProps extends ActionDialogProps {
  /** The latest version of the case the dialog was opened on. */
  event: EventRecord;
  /** The team chosen beforehand (a case dropped on a team): the dispatch dialog preselects it. */
  teamId?: string;
  events: ReadonlyMap<string, EventRecord>;
  index: RegionIndex;
  catalog: CatalogResponse | undefined;
  /** The actions offered on the case (approve and deny share one decision dialog). */
  offered: readonly Action[];
}

/** What starting an action may do: send it at once, or open its dialog to ask for its fields. */
export interface CaseActionContext {
  send(request: ActionRequest): void;
  openDialog(): void;
}

/**
 * One case action, used alike by the action bar, the keyboard (shortcuts/commands.ts) and the
 * dialog host.
 */
export interface CaseAction {
  name: Action;
  /** The key that starts it, shown on its button and in the shortcut sheet. */
  key: string;
  /** What the user's roles must grant (shared/domain/workflow.ts); the server checks it again. */
  permission: Permission;
  /** How the bar draws it: forward moves the case on, danger ends or refuses it. */
  tone: 'forward' | 'side' | 'danger';
  /** The dialog that asks for its fields; null when the click or key is all it needs. */
  dialog: ComponentType<CaseDialogProps> | null;
  perform(ctx: CaseActionContext): void;
}

/** Actions whose request carries nothing but their name and that need no second thought. */
type BareAction = 'file' | 'accept' | 'start' | 'verify';

const atOnce = (name: BareAction, key: string, tone: CaseAction['tone']): CaseAction => ({
  name,
  key,
  permission: ACTION_PERMISSION[name],
  tone,
  dialog: null,
  perform: (ctx) => ctx.send({ action: name }),
});

const inDialog = (name: Action, key: string, tone: CaseAction['tone'], dialog: ComponentType<CaseDialogProps>): CaseAction => ({
  name,
  key,
  permission: ACTION_PERMISSION[name],
  tone,
  dialog,
  perform: (ctx) => ctx.openDialog(),
});

const Dispatch = ({ event, index, teamId, submit, onClose }: CaseDialogProps) => (
  <DispatchDialog event={event} place={placeLabel(index, event)} preselectTeamId={teamId} submit={submit} onClose={onClose} />
);
const Close = ({ event, index, submit, onClose }: CaseDialogProps) => <CloseDialog event={event} place={placeLabel(index, event)} submit={submit} onClose={onClose} />;
const NO_REFERRALS: never[] = [];
const Reject = ({ event, catalog, submit, onClose }: CaseDialogProps) => (
  <RejectDialog event={event} referrals={catalog?.referrals ?? NO_REFERRALS} submit={submit} onClose={onClose} />
);
const Merge = ({ event, events, submit, onClose }: CaseDialogProps) => <MergeDialog event={event} events={events} submit={submit} onClose={onClose} />;
const Report = ({ event, submit, onClose }: CaseDialogProps) => <ReportDialog event={event} submit={submit} onClose={onClose} />;
const Supervise = ({ event, submit, onClose }: CaseDialogProps) => <SuperviseDialog event={event} submit={submit} onClose={onClose} />;
const RequestExtension = ({ event, submit, onClose }: CaseDialogProps) => <ExtensionRequestDialog event={event} submit={submit} onClose={onClose} />;
const DecideExtension = ({ event, offered, submit, onClose }: CaseDialogProps) => (
  <ExtensionDecisionDialog event={event} offered={offered} submit={submit} onClose={onClose} />
);
const withReason = (action: 'void' | 'return' | 'rework') =>
  function Reason({ event, submit, onClose }: CaseDialogProps) {
    return <ReasonDialog event={event} action={action} submit={submit} onClose={onClose} />;
  };

/**
 * Every case action. Keys are mnemonic where the English or the pinyin allows it: f file,
 * x reject (✗), z void (作废 zuòfèi), d dispatch, a accept, b return (back), t start, r report,
 * v verify, w rework, c close, e extension, s supervise (督办), m merge; digits pick queue tabs,
 * j/k move, o orders, ? shows the sheet: no clashes. Where actions share a key, the key starts
 * the first of them offered in this order: `e` decides a pending extension before it requests one.
 */
export const CASE_ACTION_LIST: readonly CaseAction[] = [
  atOnce('file', 'f', 'forward'),
  inDialog('reject', 'x', 'danger', Reject),
  inDialog('void', 'z', 'danger', withReason('void')),
  inDialog('dispatch', 'd', 'forward', Dispatch),
  atOnce('accept', 'a', 'forward'),
  inDialog('return', 'b', 'side', withReason('return')),
  atOnce('start', 't', 'forward'),
  inDialog('report', 'r', 'forward', Report),
  atOnce('verify', 'v', 'forward'),
  inDialog('rework', 'w', 'side', withReason('rework')),
  // Ending a case asks for a deliberate confirmation (its dialog), as voiding does.
  inDialog('close', 'c', 'forward', Close),
  inDialog('approve-extension', 'e', 'forward', DecideExtension),
  inDialog('deny-extension', 'e', 'side', DecideExtension),
  inDialog('request-extension', 'e', 'side', RequestExtension),
  inDialog('supervise', 's', 'side', Supervise),
  inDialog('merge', 'm', 'side', Merge),
];

/** The registry by action name. */
export const CASE_ACTIONS = Object.fromEntries(CASE_ACTION_LIST.map((a) => [a.name, a])) as Readonly<Record<Action, CaseAction>>;
