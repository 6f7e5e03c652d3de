import { describe, expect, it } from 'vitest';
import { enqueue, type NewEntry } from './outbox';
import { MAX_REFUSALS, REFUSALS_STORAGE_KEY, refusalHint, refusalMessage, refusalOf, RefusalStore, refusalsOf } from './refusals';

const entry = (key: string, over: Partial<NewEntry> = {}) =>
  enqueue([], { key, userId: 'u1', kind: 'action', eventId: 'EV000000000001', teamId: 'TM0001', label: 'accept', subject: '飞线充电', body: { action: 'accept', madeAt: '2026-11-23T01:00:00.000Z' }, expectStatus: 'accepted', ...over }, 5)[0]!;

function memoryStorage(): Pick<Storage, 'getItem' | 'setItem'> {
  const data = new Map<string, string>();
  return { getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

describe('refusals', () => {
  it('says the server’s reason with the fields it named, when the step was made, and what else did not go', () => {
    const report = entry('k2', { label: 'report', body: { action: 'report', result: '已拆除飞线' } });
    const r = refusalOf(entry('k1'), { status: 409, code: 'illegal_transition', message: '案件当前状态为“已作废”，不能执行“签收”。', details: { status: 'void' } }, [report], 99);
    expect(r).toMatchObject({ key: 'k1', eventId: 'EV000000000001', label: 'accept', subject: '飞线充电', caseStatus: 'void', dropped: ['report'], text: '已拆除飞线', refusedAt: 99 });
    expect(r.madeAt).toBe(Date.parse('2026-11-23T01:00:00.000Z'));
    expect(refusalMessage({ message: '请求内容有误。', fields: [{ field: 'madeAt', code: 'too_old', message: '时间不能早于 24 小时之前' }] })).toBe('请求内容有误。（时间不能早于 24 小时之前）');
  });

  it('tells the worker what to do, by what was refused', () => {
    const hint = (code: string, extra: { fields?: Array<{ field: string; code: string }>; caseStatus?: string | null } = {}) => refusalHint({ code, fields: extra.fields ?? [], caseStatus: extra.caseStatus ?? null });
    expect(hint('illegal_transition', { caseStatus: 'void' })).toEqual({ key: 'caseGone', status: 'void' });
    expect(hint('illegal_transition', { caseStatus: 'filed' })).toEqual({ key: 'caseMoved' });
    expect(hint('not_your_team')).toEqual({ key: 'notYours' });
    expect(hint('separation_of_duties')).toEqual({ key: 'separation' });
    expect(hint('invalid_body', { fields: [{ field: 'madeAt', code: 'in_future' }] })).toEqual({ key: 'clock' });
    expect(hint('invalid_body', { fields: [{ field: 'madeAt', code: 'too_old' }] })).toEqual({ key: 'tooOld' });
    expect(hint('photo_missing')).toEqual({ key: 'photo' });
    expect(hint('outside_county')).toEqual({ key: 'other' });
  });

  it('keeps refusals across a reload until read, newest first, per user, at most MAX_REFUSALS', () => {
    const storage = memoryStorage();
    const store = new RefusalStore(storage);
    const refused = (key: string, at: number, userId = 'u1') => ({ ...refusalOf(entry(key), { status: 403, code: 'not_your_team', message: 'x' }, [], at), userId });
    store.add(refused('a', 1));
    store.add(refused('b', 2));
    store.add(refused('c', 3, 'u2'));
    const again = new RefusalStore(storage);
    expect(refusalsOf(again.get(), 'u1').map((r) => r.key)).toEqual(['b', 'a']);
    again.dismiss('b');
    expect(refusalsOf(new RefusalStore(storage).get(), 'u1').map((r) => r.key)).toEqual(['a']);
    for (let i = 0; i < MAX_REFUSALS + 5; i++) again.add(refused(`n${i}`, 10 + i));
    expect(again.get()).toHaveLength(MAX_REFUSALS);
    storage.setItem(REFUSALS_STORAGE_KEY, '{broken');
    expect(new RefusalStore(storage).get()).toEqual([]);
  });
});
