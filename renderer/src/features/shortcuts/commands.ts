import type { QueueTab } from '../events-queue/queue-tabs';
import { QUEUE_TABS } from '../events-queue/queue-tabs';

/** What a command may read and change. The shell builds one per key press. */
export interface CommandContext {
  /** Ids of the rows of the current queue tab, in display order. */
  rowIds: readonly string[];
  selectedId: string | null;
  detailOpen: boolean;
  helpOpen: boolean;
  select(id: string, options?: { openDetail?: boolean }): void;
  setDetailOpen(open: boolean): void;
  setHelpOpen(open: boolean): void;
  setTab(tab: QueueTab): void;
}

/**
 * One operator command, used alike by the keyboard, the shortcut sheet and (later) buttons
 * and the palette.
 */
export interface Command {
  name: string;
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
    labelKey: 'shortcuts.next',
    keys: ['j', '↓'],
    keyTest: (e) => e.key === 'j' || e.key === 'ArrowDown',
    perform: (ctx) => step(ctx, 1),
  },
  {
    name: 'queue:prev',
    labelKey: 'shortcuts.prev',
    keys: ['k', '↑'],
    keyTest: (e) => e.key === 'k' || e.key === 'ArrowUp',
    perform: (ctx) => step(ctx, -1),
  },
  {
    name: 'detail:open',
    labelKey: 'shortcuts.open',
    keys: ['Enter'],
    keyTest: (e) => e.key === 'Enter',
    enabled: (ctx) => ctx.selectedId !== null,
    perform: (ctx) => ctx.setDetailOpen(true),
  },
  {
    name: 'detail:close',
    labelKey: 'shortcuts.closeDetail',
    keys: ['Esc'],
    keyTest: (e) => e.key === 'Escape',
    perform: (ctx) => {
      if (ctx.helpOpen) ctx.setHelpOpen(false);
      else ctx.setDetailOpen(false);
    },
  },
  {
    name: 'queue:tab',
    labelKey: 'shortcuts.tab',
    keys: ['1', '…', '6'],
    keyTest: (e) => /^[1-6]$/.test(e.key),
    perform: (ctx, e) => {
      const tab = QUEUE_TABS[Number(e.key) - 1];
      if (tab) ctx.setTab(tab);
    },
  },
  {
    name: 'help:toggle',
    labelKey: 'shortcuts.help',
    keys: ['?'],
    keyTest: (e) => e.key === '?',
    perform: (ctx) => ctx.setHelpOpen(!ctx.helpOpen),
  },
];

/** Keys typed into a field, or chorded with a modifier, belong to the browser, not to us. */
export function isCommandKey(event: Pick<KeyboardEvent, 'ctrlKey' | 'metaKey' | 'altKey' | 'target'>): boolean {
  if (event.ctrlKey || event.metaKey || event.altKey) return false;
  const target = event.target as { tagName?: string; isContentEditable?: boolean } | null;
  if (!target) return true;
  if (target.isContentEditable) return false;
  return !['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName ?? '');
}

/** Runs the first enabled command for the key; returns whether one ran. */
export function runCommand(event: Pick<KeyboardEvent, 'key'>, ctx: CommandContext, commands: readonly Command[] = COMMANDS): boolean {
  const command = commands.find((c) => c.keyTest(event) && (c.enabled?.(ctx) ?? true));
  if (!command) return false;
  command.perform(ctx, event);
  return true;
}
