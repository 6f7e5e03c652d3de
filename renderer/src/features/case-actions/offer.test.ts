import { describe, expect, it } from 'vitest';
import { eventFixture } from '../../testing/event-fixture';
import { actionButtons, actionForKey, offeredActions, verificationRequiredFor, type Actor } from './offer';

const dispatcher: Actor = { id: 'u-disp', roles: ['dispatcher'], teamId: null };
const duty: Actor = { id: 'u-duty', roles: ['duty_officer'], teamId: null };
const lead: Actor = { id: 'u-lead', roles: ['shift_lead'], teamId: null };
const field: Actor = { id: 'u-field', roles: ['field_worker'], teamId: 'TM0001' };
const wall: Actor = { id: 'u-wall', roles: ['wall'], teamId: null };
const pending = { requestedAt: '2024-05-01T02:00:00Z', by: 'u-field', reason: '需协调', limit: { value: 1, unit: 'work_days' as const } };

describe('offeredActions', () => {
  it('offers the dispatcher filing, refusal, void and merge on a reported case, but not supervision', () => {
    expect(offeredActions(eventFixture({ status: 'reported' }), dispatcher)).toEqual(['file', 'reject', 'void', 'merge']);
    expect(offeredActions(eventFixture({ status: 'reported' }), duty)).toEqual(['file', 'reject', 'void', 'merge', 'supervise']);
  });

  it("offers nothing on a case a county's server forwarded: it is handled there", () => {
    const forwardedFrom = { county: '330522', eventId: 'EV202612040007' };
    expect(offeredActions(eventFixture({ status: 'reported', forwardedFrom }), duty)).toEqual([]);
    expect(offeredActions(eventFixture({ status: 'dispatched', teamId: 'TM0001', forwardedFrom }), dispatcher)).toEqual([]);
  });

  it('lets the command centre record team steps on behalf of the team', () => {
    expect(offeredActions(eventFixture({ status: 'dispatched', teamId: 'TM0001' }), dispatcher)).toEqual(['accept', 'return', 'dispatch', 'void']);
    expect(offeredActions(eventFixture({ status: 'in_progress', teamId: 'TM0001' }), dispatcher)).toEqual(['report', 'return', 'request-extension']);
  });

  it("offers a team member the team's steps on the team's cases only", () => {
    expect(offeredActions(eventFixture({ status: 'dispatched', teamId: 'TM0001' }), field)).toEqual(['accept', 'return']);
    expect(offeredActions(eventFixture({ status: 'dispatched', teamId: 'TM0002' }), field)).toEqual([]);
  });

  it('needs the item to say verification is not required before offering to close a handled case', () => {
    const handled = eventFixture({ status: 'handled' });
    expect(offeredActions(handled, dispatcher)).toEqual(['verify', 'rework']);
    expect(offeredActions(handled, dispatcher, false)).toEqual(['verify', 'rework', 'close']);
    expect(offeredActions(eventFixture({ status: 'verified' }), dispatcher)).toEqual(['close', 'rework']);
  });

  it('offers the extension decision to a supervisor only while a request is pending, never to its requester', () => {
    const asked = eventFixture({ status: 'in_progress', teamId: 'TM0001', extensionRequest: pending });
    expect(offeredActions(asked, duty)).toEqual(['report', 'return', 'approve-extension', 'deny-extension', 'supervise']);
    expect(offeredActions(asked, { ...duty, id: 'u-field' })).toEqual(['report', 'return', 'supervise']);
    expect(offeredActions(eventFixture({ status: 'in_progress', teamId: 'TM0001' }), duty)).toEqual(['report', 'return', 'request-extension', 'supervise']);
  });

  it("keeps the shift lead, who has no team steps, to filing, dispatch, verification and supervision", () => {
    expect(offeredActions(eventFixture({ status: 'accepted', teamId: 'TM0001' }), lead)).toEqual(['dispatch', 'supervise']);
  });

  it('offers nothing to roles that do not act, or on finished cases', () => {
    expect(offeredActions(eventFixture({ status: 'reported' }), wall)).toEqual([]);
    for (const status of ['closed', 'rejected', 'void', 'merged', 'not_admitted'] as const) {
      expect(offeredActions(eventFixture({ status }), duty)).toEqual([]);
    }
  });
});

describe('verificationRequiredFor', () => {
  it('reads the catalog item and assumes verification for an unknown one', () => {
    const items = [{ code: 'A01', verificationRequired: false }] as never;
    expect(verificationRequiredFor('A01', items)).toBe(false);
    expect(verificationRequiredFor('Z99', items)).toBe(true);
    expect(verificationRequiredFor('A01', undefined)).toBe(true);
  });
});

describe('actionForKey and actionButtons', () => {
  it('starts the offered action of a key, and e decides a pending extension before requesting one', () => {
    expect(actionForKey('f', ['file', 'reject'])).toBe('file');
    expect(actionForKey('d', ['file', 'reject'])).toBeNull();
    expect(actionForKey('e', ['report', 'approve-extension', 'deny-extension'])).toBe('approve-extension');
    expect(actionForKey('e', ['report', 'deny-extension'])).toBe('deny-extension');
    expect(actionForKey('e', ['report', 'request-extension'])).toBe('request-extension');
    expect(actionForKey('e', ['report'])).toBeNull();
  });

  it('shows one button for the extension decision, since approve and deny share its dialog', () => {
    expect(actionButtons(['report', 'approve-extension', 'deny-extension'])).toEqual(['report', 'approve-extension']);
    expect(actionButtons(['report', 'deny-extension'])).toEqual(['report', 'deny-extension']);
  });
});
