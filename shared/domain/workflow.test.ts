import { describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLE_PERMISSIONS, type Role } from '../contracts/auth.js';
import { EVENT_STATUSES, OPEN_STATUSES, STEPS, TEAM_STATUSES, type EventStatus } from '../contracts/events.js';
import { ACTIONS, type Action } from '../contracts/workflow.js';
import {
  ACTION_PERMISSION,
  allowedActions,
  changesState,
  isTerminal,
  MACHINE,
  restartsStep,
  separationConflict,
  teamConflict,
  STEP_OF,
  TEAM_ACTIONS,
  transition,
  type CaseFacts,
} from './workflow.js';

/** Every combination of the case facts the guards read. */
const FACT_VARIANTS = [false, true].flatMap((extensionPending) => [false, true].map((verificationRequired) => ({ extensionPending, verificationRequired })));

/**
 * What the guards should say, written from the domain rules rather than read from the code:
 * one pending extension at a time, a decision needs one pending, and an item that requires
 * verification (核查) cannot close straight from `handled`.
 */
function expectedGuard(facts: CaseFacts, action: Action): string | null {
  if (action === 'request-extension' && facts.extensionPending) return 'extension_pending';
  if ((action === 'approve-extension' || action === 'deny-extension') && !facts.extensionPending) return 'no_extension_pending';
  if (action === 'close' && facts.status === 'handled' && facts.verificationRequired) return 'verification_required';
  return null;
}

describe('transition, for every status × action × case facts', () => {
  for (const status of EVENT_STATUSES) {
    for (const action of ACTIONS) {
      const to = MACHINE[status][action];
      it(`${status} --${action}--> ${to ?? 'illegal'}`, () => {
        for (const f of FACT_VARIANTS) {
          const facts: CaseFacts = { status, ...f };
          const result = transition(facts, action);
          if (to === undefined) {
            expect(result).toEqual({ ok: false, reason: 'illegal_transition' });
            continue;
          }
          const failure = expectedGuard(facts, action);
          expect(result).toEqual(failure ? { ok: false, reason: failure } : { ok: true, to });
        }
      });
    }
  }
});

describe('allowedActions', () => {
  it('lists exactly the actions that transition allows, in the machine order', () => {
    for (const status of EVENT_STATUSES) {
      for (const f of FACT_VARIANTS) {
        const facts: CaseFacts = { status, ...f };
        const expected = (Object.keys(MACHINE[status]) as Action[]).filter((a) => transition(facts, a).ok);
        expect(allowedActions(facts)).toEqual(expected);
        expect(new Set(allowedActions(facts))).toEqual(new Set(ACTIONS.filter((a) => transition(facts, a).ok)));
      }
    }
  });

  it('offers the decision on an extension only while one is pending', () => {
    const base = { status: 'in_progress' as const, verificationRequired: true };
    expect(allowedActions({ ...base, extensionPending: false })).toEqual(['report', 'return', 'request-extension', 'supervise']);
    expect(allowedActions({ ...base, extensionPending: true })).toEqual(['report', 'return', 'approve-extension', 'deny-extension', 'supervise']);
  });

  it('closes from handled only when the item needs no verification', () => {
    expect(allowedActions({ status: 'handled', extensionPending: false, verificationRequired: true })).not.toContain('close');
    expect(allowedActions({ status: 'handled', extensionPending: false, verificationRequired: false })).toContain('close');
    expect(allowedActions({ status: 'verified', extensionPending: false, verificationRequired: true })).toContain('close');
  });
});

describe('the machine as a whole', () => {
  it('names only known states and actions', () => {
    expect(Object.keys(MACHINE).sort()).toEqual([...EVENT_STATUSES].sort());
    for (const status of EVENT_STATUSES) {
      for (const [action, to] of Object.entries(MACHINE[status])) {
        expect(ACTIONS).toContain(action);
        expect(EVENT_STATUSES).toContain(to);
      }
    }
  });

  it('uses every action somewhere', () => {
    const used = new Set(EVENT_STATUSES.flatMap((s) => Object.keys(MACHINE[s])));
    expect([...used].sort()).toEqual([...ACTIONS].sort());
  });

  it('runs the standard loop from report to close', () => {
    const path: [Action, EventStatus][] = [
      ['file', 'filed'],
      ['dispatch', 'dispatched'],
      ['accept', 'accepted'],
      ['start', 'in_progress'],
      ['report', 'handled'],
      ['verify', 'verified'],
      ['close', 'closed'],
    ];
    let status: EventStatus = 'reported';
    for (const [action, to] of path) {
      const r = transition({ status, extensionPending: false, verificationRequired: true }, action);
      expect(r, `${status} --${action}`).toEqual({ ok: true, to });
      status = to;
    }
  });

  it('sends rework back to in progress, and a return back to the command center', () => {
    expect(MACHINE.handled.rework).toBe('in_progress');
    expect(MACHINE.verified.rework).toBe('in_progress');
    for (const s of ['dispatched', 'accepted', 'in_progress'] as const) expect(MACHINE[s].return).toBe('filed');
  });

  it('has terminal states that are exactly the closed ones', () => {
    for (const s of EVENT_STATUSES) expect(isTerminal(s), s).toBe(!OPEN_STATUSES.includes(s));
    expect(EVENT_STATUSES.filter(isTerminal).sort()).toEqual(['closed', 'merged', 'not_admitted', 'rejected', 'void']);
  });

  it('reaches every state but not_admitted from reported, and closed from every open state', () => {
    const reach = (from: EventStatus): Set<EventStatus> => {
      const seen = new Set<EventStatus>([from]);
      const queue = [from];
      for (let s = queue.shift(); s !== undefined; s = queue.shift()) {
        for (const to of Object.values(MACHINE[s])) {
          if (!seen.has(to)) {
            seen.add(to);
            queue.push(to);
          }
        }
      }
      return seen;
    };
    // not_admitted is decided at intake, never reached by an action
    expect([...reach('reported')].sort()).toEqual(EVENT_STATUSES.filter((s) => s !== 'not_admitted').sort());
    for (const s of OPEN_STATUSES) expect(reach(s).has('closed'), s).toBe(true);
  });

  it('allows team actions exactly while the team holds the case', () => {
    const withTeamActions = EVENT_STATUSES.filter((s) => [...TEAM_ACTIONS].some((a) => MACHINE[s][a] !== undefined));
    expect(withTeamActions).toEqual([...TEAM_STATUSES]);
  });
});

describe('changesState and restartsStep', () => {
  it('treats side actions as keeping the state, and a re-dispatch as a change', () => {
    expect(changesState('in_progress', 'supervise')).toBe(false);
    expect(changesState('accepted', 'request-extension')).toBe(false);
    expect(changesState('in_progress', 'approve-extension')).toBe(false);
    expect(changesState('dispatched', 'dispatch')).toBe(true);
    expect(changesState('filed', 'dispatch')).toBe(true);
    expect(changesState('handled', 'verify')).toBe(true);
    expect(changesState('closed', 'file')).toBe(false);
  });

  it.each([
    ['reported', 'file', true], // file step → dispatch step
    ['filed', 'dispatch', true],
    ['dispatched', 'dispatch', true], // the new team gets its own time
    ['dispatched', 'accept', false], // acceptance continues the handling step
    ['accepted', 'start', false],
    ['in_progress', 'report', true], // handle → verify
    ['handled', 'verify', false], // verification continues until close
    ['handled', 'rework', true],
    ['verified', 'rework', true],
    ['in_progress', 'return', true],
    ['in_progress', 'supervise', false],
    ['accepted', 'approve-extension', false],
    ['closed', 'file', false], // illegal: no clock
  ] as const)('%s --%s--> restarts the step clock: %s', (from, action, restarts) => {
    expect(restartsStep(from, action)).toBe(restarts);
  });
});

describe('STEP_OF', () => {
  it('gives every open state a step and terminal states none', () => {
    expect(Object.keys(STEP_OF).sort()).toEqual([...EVENT_STATUSES].sort());
    // A step is one of STEPS by its type; what is checked is which states have none.
    expect(EVENT_STATUSES.filter((s) => STEP_OF[s] === null)).toEqual(EVENT_STATUSES.filter(isTerminal));
  });

  it('uses every step', () => {
    expect(new Set(Object.values(STEP_OF).filter((s) => s !== null))).toEqual(new Set(STEPS));
  });
});

describe('ACTION_PERMISSION', () => {
  it('covers every action with a permission that exists', () => {
    expect(Object.keys(ACTION_PERMISSION).sort()).toEqual([...ACTIONS].sort());
    for (const a of ACTIONS) expect(PERMISSIONS, a).toContain(ACTION_PERMISSION[a]);
  });

  it('gives each action to some role, and every such role may act on cases', () => {
    const roles = Object.keys(ROLE_PERMISSIONS) as Role[];
    for (const a of ACTIONS) {
      const holders = roles.filter((r) => ROLE_PERMISSIONS[r].includes(ACTION_PERMISSION[a]));
      expect(holders.length, a).toBeGreaterThan(0);
      for (const r of holders) expect(ROLE_PERMISSIONS[r], `${r} for ${a}`).toContain('case:act');
    }
  });
});

describe('teamConflict', () => {
  it('a team member takes team steps on the team’s cases only, and may verify others’', () => {
    const member = { roles: ['field_worker'] as const, teamId: 'TM0001' };
    expect(teamConflict(member, 'accept', 'TM0001')).toBeNull();
    expect(teamConflict(member, 'accept', 'TM0002')).toBe('not_your_team');
    expect(teamConflict(member, 'report', null)).toBe('not_your_team');
    expect(teamConflict(member, 'verify', 'TM0002')).toBeNull();
  });

  it('a field worker without a team acts on nothing; command staff without one record steps for any team', () => {
    for (const action of ['accept', 'report', 'verify', 'rework'] as const) {
      expect(teamConflict({ roles: ['field_worker'], teamId: null }, action, 'TM0001'), action).toBe('no_team');
      expect(teamConflict({ roles: ['dispatcher'], teamId: null }, action, 'TM0001'), action).toBeNull();
    }
  });
});

describe('separationConflict', () => {
  const people = { reporterId: 'U-REP', handlerId: 'U-HAN', extensionRequesterId: 'U-HAN', selfHandled: false };

  it('keeps the reporter from handling', () => {
    expect(separationConflict('start', 'U-REP', people)).toBe('reporter_cannot_handle');
    expect(separationConflict('report', 'U-REP', people)).toBe('reporter_cannot_handle');
    expect(separationConflict('report', 'U-HAN', people)).toBeNull();
  });

  it('keeps the handler and the reporter from verifying', () => {
    expect(separationConflict('verify', 'U-HAN', people)).toBe('handler_cannot_verify');
    expect(separationConflict('rework', 'U-HAN', people)).toBe('handler_cannot_verify');
    expect(separationConflict('verify', 'U-REP', people)).toBe('reporter_cannot_verify');
    expect(separationConflict('verify', 'U-VER', people)).toBeNull();
    expect(separationConflict('rework', 'U-VER', people)).toBeNull();
    // the handler rule is named first when one person reported and handled
    expect(separationConflict('verify', 'U-X', { ...people, reporterId: 'U-X', handlerId: 'U-X' })).toBe('handler_cannot_verify');
  });

  it('keeps the requester of an extension from deciding it', () => {
    expect(separationConflict('approve-extension', 'U-HAN', people)).toBe('requester_cannot_approve');
    expect(separationConflict('deny-extension', 'U-HAN', people)).toBe('requester_cannot_approve');
    expect(separationConflict('approve-extension', 'U-SUP', people)).toBeNull();
    expect(separationConflict('approve-extension', 'U-HAN', { reporterId: null, handlerId: null, selfHandled: false })).toBeNull();
  });

  it('exempts a self-handled case (自行处置)', () => {
    const self = { reporterId: 'U-GW', handlerId: 'U-GW', extensionRequesterId: 'U-GW', selfHandled: true };
    for (const a of ['start', 'report', 'verify', 'rework', 'approve-extension'] as const) expect(separationConflict(a, 'U-GW', self), a).toBeNull();
  });

  it('does not restrict the other actions or unknown people', () => {
    for (const a of ['file', 'dispatch', 'accept', 'close', 'supervise', 'void'] as const) expect(separationConflict(a, 'U-REP', people), a).toBeNull();
    expect(separationConflict('verify', 'U-ANY', { reporterId: null, handlerId: null, selfHandled: false })).toBeNull();
  });
});
