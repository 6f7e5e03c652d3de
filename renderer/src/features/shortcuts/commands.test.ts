import { describe, expect, it } from 'vitest';
import type { QueueTab } from '../events-queue/queue-tabs';
import { isCommandKey, runCommand, type CommandContext } from './commands';

function context(overrides: Partial<CommandContext> = {}) {
  const calls: string[] = [];
  const ctx: CommandContext = {
    rowIds: ['a', 'b', 'c'],
    selectedId: null,
    detailOpen: false,
    helpOpen: false,
    select: (id) => calls.push(`select:${id}`),
    setDetailOpen: (open) => calls.push(`detail:${open}`),
    setHelpOpen: (open) => calls.push(`help:${open}`),
    setTab: (tab: QueueTab) => calls.push(`tab:${tab}`),
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
  });

  it('? toggles the sheet and digits pick a tab', () => {
    const { ctx, calls } = context();
    runCommand({ key: '?' }, ctx);
    runCommand({ key: '6' }, ctx);
    runCommand({ key: '7' }, ctx);
    expect(calls).toEqual(['help:true', 'tab:overdue']);
  });

  it('leaves keys typed into fields or chorded with a modifier alone', () => {
    expect(isCommandKey({ ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'DIV' } as never })).toBe(true);
    expect(isCommandKey({ ctrlKey: false, metaKey: false, altKey: false, target: { tagName: 'INPUT' } as never })).toBe(false);
    expect(isCommandKey({ ctrlKey: true, metaKey: false, altKey: false, target: null })).toBe(false);
  });
});
