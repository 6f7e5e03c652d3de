import { describe, expect, it, vi } from 'vitest';
import type { Alert } from '../../../../shared/contracts/alerts.js';
import { ApiRequestError } from '../api-client';
import { AlertCenter } from './alert-center';

const alert = (id: string, overrides: Partial<Alert> = {}): Alert => ({
  id,
  kind: 'urgent_event',
  severity: 'critical',
  eventId: 'EV202603020001',
  teamId: null,
  townId: null,
  regionId: null,
  raisedAt: '2026-03-02T08:00:00Z',
  params: { itemName: '火情', urgency: 'P0' },
  acked: null,
  cleared: null,
  ...overrides,
});

function setup(lists: Alert[][]) {
  const handlers = new Map<string, (payload: { alert: Alert }) => void>();
  const resync: (() => void)[] = [];
  const feed = {
    on: (name: string, fn: (payload: { alert: Alert }) => void) => {
      handlers.set(name, fn);
      return () => handlers.delete(name);
    },
    onResync: (fn: () => void) => {
      resync.push(fn);
      return () => undefined;
    },
  };
  const api = {
    get: vi.fn(async () => ({ items: lists.shift() ?? [], page: 1, pageSize: 500, total: 0, groups: [] })),
    post: vi.fn(async () => undefined),
  };
  const show = vi.fn();
  const sound = { play: vi.fn(), close: vi.fn() };
  const center = new AlertCenter({
    api: api as never,
    feed: feed as never,
    platform: { notifications: { permission: () => 'granted', request: async () => 'granted', show } },
    sound,
  });
  center.setPresenter({ words: (a) => ({ title: a.kind, body: a.id }), open: () => undefined, canAck: true });
  return { center, api, show, sound, push: (name: string, a: Alert) => handlers.get(name)?.({ alert: a }), resync: () => resync.forEach((fn) => fn()) };
}

const flush = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('AlertCenter', () => {
  it('shows the open alerts on start without ringing, and rings and notifies each pushed one once', async () => {
    const { center, show, sound, push } = setup([[alert('AL1')]]);
    center.start();
    await flush();
    expect(center.getView().items.map((a) => a.id)).toEqual(['AL1']);
    expect(sound.play).not.toHaveBeenCalled();
    push('alert:raised', alert('AL2', { severity: 'warning', kind: 'overdue' }));
    push('alert:raised', alert('AL2', { severity: 'warning', kind: 'overdue' }));
    expect(sound.play).toHaveBeenCalledTimes(1);
    expect(sound.play).toHaveBeenCalledWith('warning');
    expect(show).toHaveBeenCalledTimes(1);
    expect(show.mock.calls[0]![0]).toMatchObject({ tag: 'AL2', urgent: false });
  });

  it('announces alerts raised while disconnected when the reconnect reads them', async () => {
    const { center, sound, resync } = setup([[alert('AL1')], [alert('AL1'), alert('AL3')]]);
    center.start();
    await flush();
    resync();
    await flush();
    expect(center.getView().items.map((a) => a.id).sort()).toEqual(['AL1', 'AL3']);
    expect(sound.play).toHaveBeenCalledTimes(1);
  });

  it('lets an acknowledged alert leave at once, for every console through the push', async () => {
    const { center, api, push } = setup([[alert('AL1'), alert('AL2')]]);
    center.start();
    await flush();
    await center.ack('AL1');
    expect(api.post).toHaveBeenCalledWith('/alerts/AL1/ack', {});
    push('alert:acked', alert('AL2', { acked: { at: '2026-03-02T08:01:00Z', by: { userId: 'U1', username: 'x', displayName: 'X' }, note: null } }));
    expect(center.getView().items).toEqual([]);
  });

  it('lets an alert whose cause ended leave every console through the push', async () => {
    const { center, push } = setup([[alert('AL1'), alert('AL2')]]);
    center.start();
    await flush();
    push('alert:cleared', alert('AL1', { cleared: { at: '2026-03-02T08:01:00Z', reason: 'case_closed' } }));
    expect(center.getView().items.map((a) => a.id)).toEqual(['AL2']);
  });

  it('lists a notice without a tone or a notification', async () => {
    const { center, show, sound, push } = setup([[]]);
    center.start();
    await flush();
    push('alert:raised', alert('AL7', { severity: 'notice', kind: 'overdue' }));
    expect(center.getView().items.map((a) => a.id)).toEqual(['AL7']);
    expect(sound.play).not.toHaveBeenCalled();
    expect(show).not.toHaveBeenCalled();
  });

  it('acknowledges a group with one reason; a refused group comes back, but not what the server said had left', async () => {
    const { center, api } = setup([[alert('AL1'), alert('AL2'), alert('AL3')]]);
    center.start();
    await flush();
    expect(await center.ackGroup(['AL1', 'AL2'], '同一批事件')).toBeNull();
    expect(api.post).toHaveBeenCalledWith('/alerts/ack', { ids: ['AL1', 'AL2'], reason: '同一批事件' });
    expect(center.getView().items.map((a) => a.id)).toEqual(['AL3']);

    const { center: other, api: otherApi, push: otherPush } = setup([[alert('AL1'), alert('AL2')]]);
    other.start();
    await flush();
    let refuse: (err: Error) => void = () => undefined;
    otherApi.post.mockImplementationOnce(() => new Promise((_, reject) => (refuse = reject)));
    const pending = other.ackGroup(['AL1', 'AL2'], '处理');
    otherPush('alert:cleared', alert('AL2', { cleared: { at: '2026-03-02T08:01:00Z', reason: 'case_closed' } }));
    refuse(new ApiRequestError('无法连接服务器', 0, 'network'));
    expect(await pending).toBe('无法连接服务器');
    expect(other.getView().items.map((a) => a.id)).toEqual(['AL1']);
  });

  it('brings an alert back with the reason when the acknowledgement fails', async () => {
    const { center, api } = setup([[alert('AL1')]]);
    center.start();
    await flush();
    api.post.mockRejectedValueOnce(new ApiRequestError('无法连接服务器', 0, 'network'));
    await center.ack('AL1');
    expect(center.getView().items.map((a) => a.id)).toEqual(['AL1']);
    expect(center.getView().problem).toEqual({ alertId: 'AL1', message: '无法连接服务器' });
  });

  it('stays silent when muted', async () => {
    const { center, sound, push } = setup([[]]);
    center.setMuted(true);
    center.start();
    await flush();
    push('alert:raised', alert('AL5'));
    expect(sound.play).not.toHaveBeenCalled();
    center.setMuted(false);
  });
});
