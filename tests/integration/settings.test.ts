import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { WorkflowSettings } from '../../shared/contracts/workflow.js';
import { DEFAULT_CALENDAR } from '../../shared/domain/working-calendar.js';
import { api, loginAs, startTestServer, type TestServer } from './harness.js';

let server: TestServer;
let sysadmin: string;

beforeAll(async () => {
  server = await startTestServer();
  sysadmin = await loginAs(server.url, 'demo-sysadmin');
});
afterAll(async () => server?.stop());

const settingsAudit = async () =>
  (await server.store.all<{ username: string; result: string; details: string }>("SELECT username, result, details FROM audit_log WHERE action = 'settings:change' ORDER BY seq")).map((r) => ({
    ...r,
    details: JSON.parse(r.details) as Record<string, unknown>,
  }));

describe('workflow settings', () => {
  it('starts with the defaults: the working calendar, duplicates within 100 m and 24 h, warning at 80 %', async () => {
    const { status, body } = await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow');
    expect(status).toBe(200);
    expect(body).toEqual({
      calendar: DEFAULT_CALENDAR,
      duplicates: { radiusMeters: 100, windowHours: 24, sameAddress: true, sameMicroGrid: false },
      warnAtFraction: 0.8,
    });
  });

  it('lets the system administrator replace them, audited with before and after', async () => {
    const before = (await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body;
    const next: WorkflowSettings = {
      calendar: { ...before.calendar, periods: [{ start: '09:00', end: '12:00' }, { start: '14:00', end: '18:00' }], holidays: [...before.calendar.holidays, '2026-12-31'] },
      duplicates: { ...before.duplicates, radiusMeters: 150 },
      warnAtFraction: 0.75,
    };
    const { status, body } = await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow', { method: 'PUT', token: sysadmin, json: next });
    expect(status).toBe(200);
    expect(body).toEqual(next);
    expect((await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body).toEqual(next);
    const [record] = await settingsAudit();
    expect(record).toMatchObject({ username: 'demo-sysadmin', result: 'success' });
    expect(record!.details).toMatchObject({
      before: { duplicates: { radiusMeters: 100 }, warnAtFraction: 0.8, calendar: { periods: before.calendar.periods, holidays: before.calendar.holidays.length } },
      after: { duplicates: { radiusMeters: 150 }, warnAtFraction: 0.75, calendar: { periods: next.calendar.periods, holidays: next.calendar.holidays.length } },
      changedDays: { holidays: { added: ['2026-12-31'], removed: [] }, workdays: { added: [], removed: [] } },
    });
  });

  it('refuses a dispatcher (403) and changes nothing', async () => {
    const current = (await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body;
    const { status, body } = await api<ApiError>(server.url, '/api/v1/settings/workflow', { method: 'PUT', json: { ...current, warnAtFraction: 0.5 } });
    expect(status).toBe(403);
    expect(body.error.code).toBe('forbidden');
    expect((await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body).toEqual(current);
    expect(await settingsAudit()).toHaveLength(1);
  });

  it('refuses a bad body with 400 naming the fields, and a calendar the deadline arithmetic cannot use', async () => {
    const current = (await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body;
    const bad = await api<ApiError>(server.url, '/api/v1/settings/workflow', {
      method: 'PUT',
      token: sysadmin,
      json: { ...current, warnAtFraction: 1.5, duplicates: { ...current.duplicates, radiusMeters: -1 }, extra: true },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields!.map((f) => [f.field, f.code])).toEqual(
      expect.arrayContaining([
        ['warnAtFraction', 'too_big'],
        ['duplicates.radiusMeters', 'too_small'],
        ['extra', 'unknown_field'],
      ]),
    );
    const overlapping = await api<ApiError>(server.url, '/api/v1/settings/workflow', {
      method: 'PUT',
      token: sysadmin,
      json: { ...current, calendar: { ...current.calendar, periods: [{ start: '13:00', end: '17:00' }, { start: '08:30', end: '12:00' }] } },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.error.fields).toEqual([expect.objectContaining({ field: 'calendar', code: 'invalid_calendar' })]);
    expect((await api<WorkflowSettings>(server.url, '/api/v1/settings/workflow')).body).toEqual(current);
    expect(await settingsAudit()).toHaveLength(1);
  });
});
