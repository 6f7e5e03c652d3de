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
  raisedAt: '2026-03-02T08:00:00Z',
  params: { itemName: '火情', urgency: 'P0' },
  acked: null,
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
    get: vi.fn(async () => ({ items: lists.shift() ?? [], page: 1, pageSize: 500, total: 0 })),
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
  center.setPresenter({ words: (a) => ({ title: a.kind, body: a.id }), open: () => undefined });
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
