import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from '../../../../shared/contracts/audit.js';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import {
  attachmentName,
  auditObjectText,
  auditActionLabelKey,
  auditExportQuery,
  auditFilterFromDraft,
  auditListQuery,
  countyDayStartIso,
  EMPTY_AUDIT_FILTER,
  formatAuditTime,
  formatAuditTimeExact,
  isReversedRange,
  pageCount,
} from './audit-format';

const lookup = (messages: object, key: string): unknown =>
  key.split('.').reduce<unknown>((node, part) => (node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined), messages);

describe('action labels', () => {
  it('has a Chinese and an English label for every action the server audits', () => {
    for (const action of AUDIT_ACTIONS) {
      const key = auditActionLabelKey(action);
      expect(key, action).not.toBeNull();
      expect(typeof lookup(zhCN, key!), `${action} zh`).toBe('string');
      expect(typeof lookup(en, key!), `${action} en`).toBe('string');
    }
  });

  it('names the common actions as an auditor reads them', () => {
    const zh = (action: string) => lookup(zhCN, auditActionLabelKey(action)!);
    expect(zh('auth:login')).toBe('登录');
    expect(zh('auth:logout')).toBe('注销');
    expect(zh('access:denied')).toBe('越权/未认证访问');
    expect(zh('event:create')).toBe('事件受理');
    expect(zh('user:create')).toBe('新建用户');
    expect(zh('audit:export')).toBe('导出审计');
  });

  it('has no label for a retired or unknown name, which is then shown as it is', () => {
    expect(auditActionLabelKey('legacy:thing')).toBeNull();
    expect(auditActionLabelKey('toString')).toBeNull();
  });
});

describe('filter and query string', () => {
  it('leaves out empty fields and asks for the first page', () => {
    expect(auditListQuery(auditFilterFromDraft(EMPTY_AUDIT_FILTER), 1, 50)).toEqual({ page: '1', pageSize: '50' });
  });

  it('turns county days into a [from, to) range in UTC that includes the whole "to" day', () => {
    const filter = auditFilterFromDraft({ fromDay: '2026-05-01', toDay: '2026-05-03', user: '  demo-auditor ', action: 'auth:login', result: 'denied' });
    expect(filter).toEqual({
      from: '2026-04-30T16:00:00.000Z',
      to: '2026-05-03T16:00:00.000Z',
      user: 'demo-auditor',
      action: 'auth:login',
      result: 'denied',
    });
    expect(new URLSearchParams(auditListQuery(filter, 3, 100)).toString()).toBe(
      'from=2026-04-30T16%3A00%3A00.000Z&to=2026-05-03T16%3A00%3A00.000Z&user=demo-auditor&action=auth%3Alogin&result=denied&page=3&pageSize=100',
    );
    expect(auditExportQuery(filter)).not.toHaveProperty('page');
  });

  it('ignores an unknown result and an impossible date', () => {
    expect(auditFilterFromDraft({ ...EMPTY_AUDIT_FILTER, result: 'maybe', fromDay: '2026-02-30' })).toEqual({});
    expect(countyDayStartIso('2026-13-01')).toBeNull();
    expect(countyDayStartIso('20260101')).toBeNull();
  });

  it('spots a reversed day range, and allows a single day', () => {
    expect(isReversedRange({ ...EMPTY_AUDIT_FILTER, fromDay: '2026-05-03', toDay: '2026-05-01' })).toBe(true);
    expect(isReversedRange({ ...EMPTY_AUDIT_FILTER, fromDay: '2026-05-03', toDay: '2026-05-03' })).toBe(false);
  });
});

describe('time', () => {
  it('shows China Standard Time to the second, with the milliseconds for the tooltip', () => {
    expect(formatAuditTime('2026-05-01T16:30:05.123Z')).toBe('2026-05-02 00:30:05');
    expect(formatAuditTimeExact('2026-05-01T16:30:05.007Z')).toBe('2026-05-02 00:30:05.007 CST (UTC+8) · 2026-05-01T16:30:05.007Z');
    expect(formatAuditTime('not a time')).toBe('—');
  });
});

describe('paging and download name', () => {
  it('counts pages, one at least', () => {
    expect(pageCount(0, 50)).toBe(1);
    expect(pageCount(50, 50)).toBe(1);
    expect(pageCount(51, 50)).toBe(2);
  });

  it('takes the server’s file name, never a path', () => {
    expect(attachmentName('attachment; filename="audit-2026-05-01T00-00-00-000Z.csv"', 'audit.csv')).toBe('audit-2026-05-01T00-00-00-000Z.csv');
    expect(attachmentName('attachment; filename="../../etc/passwd"', 'audit.csv')).toBe('audit.csv');
    expect(attachmentName(null, 'audit.csv')).toBe('audit.csv');
  });
});

describe('object', () => {
  it('names a user by username, keeping the exact id for the tooltip', () => {
    expect(auditObjectText({ objectType: 'user', objectId: 'e192575a', details: { username: 'demo-dispatcher' } })).toEqual({
      text: 'user · demo-dispatcher',
      title: 'user · e192575a',
    });
    expect(auditObjectText({ objectType: 'route', objectId: 'GET /api/v1/audit', details: null })).toEqual({ text: 'route · GET /api/v1/audit', title: 'route · GET /api/v1/audit' });
    expect(auditObjectText({ objectType: null, objectId: null, details: null }).text).toBe('—');
  });
});
