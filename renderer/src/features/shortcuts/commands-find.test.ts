import { describe, expect, it } from 'vitest';
import { COMMANDS, runCommand, type CommandContext } from './commands';

function context(overrides: Partial<CommandContext> = {}) {
  const calls: string[] = [];
  const ctx: CommandContext = {
    rowIds: [],
    selectedId: null,
    detailOpen: false,
    helpOpen: false,
    modalOpen: false,
    offered: [],
    select: (id) => calls.push(`select:${id}`),
    setDetailOpen: (open) => calls.push(`detail:${open}`),
    setHelpOpen: (open) => calls.push(`help:${open}`),
    setTab: (tab) => calls.push(`tab:${tab}`),
    cycleSort: () => calls.push('sort'),
    startAction: (action) => calls.push(`action:${action}`),
    boardOpen: false,
    setBoardOpen: (open) => calls.push(`board:${open}`),
    topAlertId: null,
    ackAlert: (id) => calls.push(`ack:${id}`),
    focusSearch: () => calls.push('search'),
    ...overrides,
  };
  return { ctx, calls };
}

describe('finding by keyboard', () => {
  it('/ puts the cursor in the search box, unless the sheet is open or there is no box', () => {
    const open = context();
    expect(runCommand({ key: '/' }, open.ctx)).toBe(true);
    expect(open.calls).toEqual(['search']);
    expect(runCommand({ key: '/' }, context({ helpOpen: true }).ctx)).toBe(false);
    expect(runCommand({ key: '/' }, context({ focusSearch: undefined }).ctx)).toBe(false);
  });

  it('8 opens the history tab, and the sheet lists / and 1…8', () => {
    const { ctx, calls } = context();
    runCommand({ key: '8' }, ctx);
    expect(calls).toEqual(['tab:history']);
    expect(runCommand({ key: '9' }, ctx)).toBe(false);
    expect(COMMANDS.find((c) => c.name === 'search:focus')?.keys).toEqual(['/']);
    expect(COMMANDS.find((c) => c.name === 'queue:tab')?.keys).toEqual(['1', '…', '8']);
  });
});
