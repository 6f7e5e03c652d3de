import { describe, expect, it } from 'vitest';
import type { QueueTab } from '../events-queue/queue-tabs';
import { COMMANDS, isCommandKey, runCommand, type CommandContext } from './commands';

function context(overrides: Partial<CommandContext> = {}) {
  const calls: string[] = [];
  const ctx: CommandContext = {
    rowIds: ['a', 'b', 'c'],
    selectedId: null,
    detailOpen: false,
    helpOpen: false,
    modalOpen: false,
    offered: [],
    select: (id) => calls.push(`select:${id}`),
    setDetailOpen: (open) => calls.push(`detail:${open}`),
    setHelpOpen: (open) => calls.push(`help:${open}`),
    setTab: (tab: QueueTab) => calls.push(`tab:${tab}`),
    cycleSort: () => calls.push('sort'),
    startAction: (action) => calls.push(`action:${action}`),
    boardOpen: false,
    setBoardOpen: (open) => calls.push(`board:${open}`),
    topAlertId: null,
    ackAlert: (id) => calls.push(`ack:${id}`),
    ...overrides,
  };
  return { ctx, calls };
}

describe('keyboard commands', () => {
  it('j / ArrowDown and k / ArrowUp move through the rows, stopping at the ends', () => {
    const first = context();
    runCommand({ key: 'j' }, first.ctx);
    expect(first.calls).toEqual(['select:a']);

    const middle = context({ selectedId: 'b' });
    runCommand({ key: 'ArrowDown' }, middle.ctx);
    runCommand({ key: 'k' }, middle.ctx);
    expect(middle.calls).toEqual(['select:c', 'select:a']);

    const last = context({ selectedId: 'c' });
    runCommand({ key: 'j' }, last.ctx);
    expect(last.calls).toEqual(['select:c']);

    const fromNothingUp = context();
    runCommand({ key: 'ArrowUp' }, fromNothingUp.ctx);
    expect(fromNothingUp.calls).toEqual(['select:c']);
  });

  it('Enter opens the detail only with a selection; Esc closes the sheet first, then the detail', () => {
    const none = context();
    expect(runCommand({ key: 'Enter' }, none.ctx)).toBe(false);

    const selected = context({ selectedId: 'a' });
    runCommand({ key: 'Enter' }, selected.ctx);
    expect(selected.calls).toEqual(['detail:true']);

    const withHelp = context({ helpOpen: true, detailOpen: true });
    runCommand({ key: 'Escape' }, withHelp.ctx);
    expect(withHelp.calls).toEqual(['help:false']);

    // an address's place card closes before the board and the detail
    const calls: string[] = [];
    const withPlace = context({ boardOpen: true, detailOpen: true, closePlace: () => calls.push('place:closed') });
    runCommand({ key: 'Escape' }, withPlace.ctx);
    expect([...calls, ...withPlace.calls]).toEqual(['place:closed']);
  });

  it('? toggles the sheet, digits pick a tab and o changes the order', () => {
    const { ctx, calls } = context();
    runCommand({ key: '?' }, ctx);
    runCommand({ key: '1' }, ctx);
    runCommand({ key: '6' }, ctx);
    runCommand({ key: '7' }, ctx);
    runCommand({ key: '8' }, ctx);
    runCommand({ key: 'o' }, ctx);
    expect(calls).toEqual(['help:true', 'tab:new', 'tab:overdue', 'tab:notAdmitted', 'tab:history', 'sort']);
  });

  it('action letters start the offered action on the selected case, and nothing else', () => {
    const offered = context({ selectedId: 'a', offered: ['file', 'reject', 'void', 'merge'] });
    for (const key of ['f', 'x', 'z', 'm', 'd', 'v']) runCommand({ key }, offered.ctx);
    expect(offered.calls).toEqual(['action:file', 'action:reject', 'action:void', 'action:merge']);

    const nothingSelected = context({ offered: ['file'] });
    expect(runCommand({ key: 'f' }, nothingSelected.ctx)).toBe(false);

    const behindTheSheet = context({ selectedId: 'a', helpOpen: true, offered: ['file'] });
    expect(runCommand({ key: 'f' }, behindTheSheet.ctx)).toBe(false);

    const extension = context({ selectedId: 'a', offered: ['report', 'approve-extension', 'deny-extension'] });
    runCommand({ key: 'e' }, extension.ctx);
    runCommand({ key: 'r' }, extension.ctx);
    expect(extension.calls).toEqual(['action:approve-extension', 'action:report']);
  });

  it('leaves every key to an open dialog', () => {
    const { ctx, calls } = context({ selectedId: 'a', modalOpen: true, offered: ['file'] });
    for (const key of ['j', 'f', 'Escape', '?', '1', 'Enter']) expect(runCommand({ key }, ctx)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('toggles the team board with g, closes it with Esc before the detail, and acknowledges the top alert with y', () => {
    const closed = context();
    runCommand({ key: 'g' }, closed.ctx);
    expect(runCommand({ key: 'y' }, closed.ctx)).toBe(false);
    const open = context({ boardOpen: true, detailOpen: true, topAlertId: 'AL7' });
    runCommand({ key: 'g' }, open.ctx);
    runCommand({ key: 'Escape' }, open.ctx);
    runCommand({ key: 'y' }, open.ctx);
    expect([...closed.calls, ...open.calls]).toEqual(['board:true', 'board:false', 'board:false', 'ack:AL7']);
  });

  it('binds each key to one command only', () => {
    const keys = ['j', 'k', 'ArrowDown', 'ArrowUp', 'Enter', 'Escape', '?', 'o', ...'1234567', ...'abcdefghilmnpqrstuvwxyz'];
    for (const key of keys) expect(COMMANDS.filter((c) => c.keyTest({ key })).length, key).toBeLessThanOrEqual(1);
  });

  it('leaves keys typed into fields or chorded with a modifier alone', () => {
    expect(isCommandKey({ ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'DIV' } as never })).toBe(true);
    expect(isCommandKey({ ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'INPUT' } as never })).toBe(false);
    expect(isCommandKey({ ctrlKey: true, metaKey: false, altKey: false, target: null })).toBe(false);
  });
});
