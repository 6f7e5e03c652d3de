import type { Action } from '../../../../shared/contracts/workflow.js';
import { actionForKey } from '../case-actions/offer';
import { CASE_ACTION_LIST } from '../case-actions/registry';
import { QUEUE_VIEWS, type QueueView } from '../events-queue/queue-tabs';

/** What a command may read and change. The shell builds one per key press. */
export interface CommandContext {
  /** Ids of the rows of the current queue tab, in display order. */
  rowIds: readonly string[];
  selectedId: string | null;
  detailOpen: boolean;
  helpOpen: boolean;
  /** An action dialog is open: it owns the keyboard until it closes. */
  modalOpen: boolean;
  /** The actions offered on the selected case (see case-actions/offer.ts). */
  offered: readonly Action[];
  select(id: string, options?: { openDetail?: boolean }): void;
  setDetailOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  setTab(tab: QueueView): void;
  /** Next queue order: deadline → urgency → report time → deadline. */
  cycleSort(): void;
  /** Runs an action on the selected case, or opens the dialog that asks for its fields. */
  startAction(action: Action): void;
  /** The right panel shows the team board instead of the case. */
  boardOpen: boolean;
  setBoardOpen(open: boolean): void;
  /** The alert on top of the banner that this user may acknowledge; null when none. */
  topAlertId: string | null;
  ackAlert(id: string): void;
  /** Puts the cursor in the top bar's search box; absent where there is none (signed out). */
  focusSearch?(): void;
  /** Closes the place card of an address chosen in the search; absent while none is open. Esc closes it first. */
  closePlace?(): void;
  /** Opens the new-event dialog (登记事件); absent for users who may not report cases. */
  openNewEvent?(): void;
}

/**
 * One operator command, used alike by the keyboard, the shortcut sheet and (later) buttons
 * and the palette.
 */
export interface Command {
  name: string;
  /** Where the sheet lists it. */
  group: 'queue' | 'case' | 'teams';
  /** i18n key of the label shown in the sheet. */
  labelKey: string;
  /** Keys as shown in the sheet. */
  keys: readonly string[];
  keyTest(event: Pick<KeyboardEvent, 'key'>): boolean;
  enabled?(ctx: CommandContext): boolean;
  perform(ctx: CommandContext, event: Pick<KeyboardEvent, 'key'>): void;
}

function step(ctx: CommandContext, delta: 1 | -1): void {
  if (ctx.rowIds.length === 0) return;
  const at = ctx.selectedId === null ? -1 : ctx.rowIds.indexOf(ctx.selectedId);
  const next = at === -1 ? (delta === 1 ? 0 : ctx.rowIds.length - 1) : Math.min(ctx.rowIds.length - 1, Math.max(0, at + delta));
  const id = ctx.rowIds[next];
  if (id !== undefined) ctx.select(id);
}

export const COMMANDS: readonly Command[] = [
  {
    name: 'queue:next',
    group: 'queue',
    labelKey: 'shortcuts.next',
    keys: ['j', '↓'],
    keyTest: (e) => e.key === 'j' || e.key === 'ArrowDown',
    perform: (ctx) => step(ctx, 1),
  },
  {
    name: 'queue:prev',
    group: 'queue',
    labelKey: 'shortcuts.prev',
    keys: ['k', '↑'],
    keyTest: (e) => e.key === 'k' || e.key === 'ArrowUp',
    perform: (ctx) => step(ctx, -1),
  },
  {
    name: 'detail:open',
    group: 'queue',
    labelKey: 'shortcuts.open',
    keys: ['Enter'],
    keyTest: (e) => e.key === 'Enter',
    enabled: (ctx) => ctx.selectedId !== null,
    perform: (ctx) => ctx.setDetailOpen(true),
  },
  {
    name: 'detail:close',
    group: 'queue',
    labelKey: 'shortcuts.closeDetail',
    keys: ['Esc'],
    keyTest: (e) => e.key === 'Escape',
    perform: (ctx) => {
      if (ctx.helpOpen) ctx.setHelpOpen(false);
      else if (ctx.closePlace) ctx.closePlace();
      else if (ctx.boardOpen) ctx.setBoardOpen(false);
      else ctx.setDetailOpen(false);
    },
  },
  {
    name: 'queue:tab',
    group: 'queue',
    labelKey: 'shortcuts.tab',
    keys: ['1', '…', String(QUEUE_VIEWS.length)],
    keyTest: (e) => e.key.length === 1 && e.key >= '1' && e.key <= String(QUEUE_VIEWS.length),
    perform: (ctx, e) => {
      const tab = QUEUE_VIEWS[Number(e.key) - 1];
      if (tab) ctx.setTab(tab);
    },
  },
  {
    name: 'search:focus',
    group: 'queue',
    labelKey: 'shortcuts.search',
    keys: ['/'],
    keyTest: (e) => e.key === '/',
    enabled: (ctx) => !ctx.helpOpen && ctx.focusSearch !== undefined,
    perform: (ctx) => ctx.focusSearch?.(),
  },
  {
    name: 'event:new',
    group: 'queue',
    labelKey: 'newEventDialog.shortcut',
    keys: ['n'],
    keyTest: (e) => e.key === 'n',
    enabled: (ctx) => !ctx.helpOpen && ctx.openNewEvent !== undefined,
    perform: (ctx) => ctx.openNewEvent?.(),
  },
  {
    name: 'help:toggle',
    group: 'queue',
    labelKey: 'shortcuts.help',
    keys: ['?'],
    keyTest: (e) => e.key === '?',
    perform: (ctx) => ctx.setHelpOpen(!ctx.helpOpen),
  },
  {
    name: 'queue:sort',
    group: 'queue',
    labelKey: 'shortcuts.sort',
    keys: ['o'],
    keyTest: (e) => e.key === 'o',
    perform: (ctx) => ctx.cycleSort(),
  },
  {
    name: 'teams:board',
    group: 'teams',
    labelKey: 'shortcuts.teamBoard',
    keys: ['g'],
    keyTest: (e) => e.key === 'g',
    enabled: (ctx) => !ctx.helpOpen,
    perform: (ctx) => ctx.setBoardOpen(!ctx.boardOpen),
  },
  {
    name: 'alert:ack',
    group: 'teams',
    labelKey: 'shortcuts.ackAlert',
    keys: ['y'],
    keyTest: (e) => e.key === 'y',
    enabled: (ctx) => !ctx.helpOpen && ctx.topAlertId !== null,
    perform: (ctx) => {
      if (ctx.topAlertId) ctx.ackAlert(ctx.topAlertId);
    },
  },
  ...caseCommands(),
];

/**
 * One command per key of the case action registry (case-actions/registry.tsx), enabled only
 * when the selected case offers an action of that key to this user; `e` requests or decides an
 * extension.
 */
function caseCommands(): Command[] {
  const keys = [...new Set(CASE_ACTION_LIST.map((a) => a.key))];
  return keys.map((key) => {
    const first = CASE_ACTION_LIST.find((a) => a.key === key)!.name;
    return {
      name: `case:${key === 'e' ? 'extension' : first}`,
      group: 'case',
      labelKey: key === 'e' ? 'actions.extension' : `actions.${first}`,
      keys: [key],
      keyTest: (e) => e.key === key,
      // Not behind the shortcut sheet: a letter read off the sheet must not act on a hidden case.
      enabled: (ctx) => !ctx.helpOpen && ctx.selectedId !== null && actionForKey(key, ctx.offered) !== null,
      perform: (ctx) => {
        const action = actionForKey(key, ctx.offered);
        if (action) ctx.startAction(action);
      },
    } satisfies Command;
  });
}

/** Keys typed into a field, or chorded with a modifier, belong to the browser, not to us. */
export function isCommandKey(event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!target) return true;
  if (target.isContentEditable) return false;
  return !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName ?? '');
}

/** Runs the first enabled command for the key; returns whether one ran. An open dialog keeps its keys. */
export function runCommand(event: Pick<KeyboardEvent, 'key'>, ctx: CommandContext, commands: readonly Command[] = COMMANDS): boolean {
  if (ctx.modalOpen) return false;
  const command = commands.find((c) => c.keyTest(event) && (c.enabled?.(ctx) ?? true));
  if (!command) return false;
  command.perform(ctx, event);
  return true;
}
