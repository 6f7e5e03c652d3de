import { describe, expect, it } from 'vitest';
import { ACTIONS, type Action, type ActionRequest } from '../../../../shared/contracts/workflow.js';
import { ACTION_PERMISSION } from '../../../../shared/domain/workflow.js';
import { CASE_ACTION_LIST, CASE_ACTIONS } from './registry';

/** What starting each action did: the request sent at once, or `dialog`. */
function started(action: Action): ActionRequest | 'dialog' {
  const outcomes: Array<ActionRequest | 'dialog'> = [];
  CASE_ACTIONS[action].perform({ send: (request) => outcomes.push(request), openDialog: () => outcomes.push('dialog') });
  expect(outcomes, action).toHaveLength(1);
  return outcomes[0]!;
}

describe('the case action registry', () => {
  it('has one entry per action, with the permission of the state machine', () => {
    expect(CASE_ACTION_LIST.map((a) => a.name).sort()).toEqual([...ACTIONS].sort());
    for (const action of ACTIONS) expect(CASE_ACTIONS[action].permission, action).toBe(ACTION_PERMISSION[action]);
  });

  it('gives every action a single lower-case letter that no navigation key uses', () => {
    const navigation = new Set(['j', 'k', 'o', 'g', 'y', '?', '1', '2', '3', '4', '5', '6', '7']);
    expect(CASE_ACTION_LIST.map((a) => a.key).filter((key) => !/^[a-z]$/.test(key) || navigation.has(key))).toEqual([]);
  });

  it('gives each letter one meaning, except e, which the three extension actions share in the order it prefers them', () => {
    const byKey = new Map<string, Action[]>();
    for (const { key, name } of CASE_ACTION_LIST) byKey.set(key, [...(byKey.get(key) ?? []), name]);
    expect([...byKey].filter(([, actions]) => actions.length > 1)).toEqual([['e', ['approve-extension', 'deny-extension', 'request-extension']]]);
  });

  it('runs the plain steps at once and asks for the fields of the others, and a confirmation to close, in a dialog', () => {
    const atOnce = ACTIONS.filter((a) => started(a) !== 'dialog');
    expect(atOnce).toEqual(['file', 'accept', 'start', 'verify']);
    expect(atOnce.map(started)).toEqual(atOnce.map((action) => ({ action })));
    for (const action of ACTIONS) expect(CASE_ACTIONS[action].dialog === null, action).toBe(atOnce.includes(action));
  });

  it('draws the steps that move a case on as forward, and refusing or voiding it as danger', () => {
    const toned = (tone: string) => CASE_ACTION_LIST.filter((a) => a.tone === tone).map((a) => a.name);
    expect(toned('forward')).toEqual(['file', 'dispatch', 'accept', 'start', 'report', 'verify', 'close', 'approve-extension']);
    expect(toned('danger')).toEqual(['reject', 'void']);
  });
});
