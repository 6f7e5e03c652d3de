import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { en } from '../../i18n/en';
import { zhCN } from '../../i18n/zh-CN';
import { roleLabels, scopeLabel } from './labels';

const i18n = i18next.createInstance();
await i18n.init({ resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } }, lng: 'zh-CN', initAsync: false });

describe('labels', () => {
  it('names roles and the scope in the UI language', () => {
    const zh = i18n.getFixedT('zh-CN');
    expect(roleLabels(zh, { roles: ['dispatcher', 'shift_lead'] })).toBe('指挥调度员、带班领导');
    expect(scopeLabel(zh, { scope: { kind: 'county' }, scopeNames: [] })).toBe('全县');
    expect(scopeLabel(zh, { scope: { kind: 'towns', towns: ['1', '2'], counties: [], areas: ['1', '2'] }, scopeNames: ['城关镇', '东岭镇'] })).toBe('城关镇、东岭镇');
    const enT = i18n.getFixedT('en');
    expect(roleLabels(enT, { roles: ['auditor'] })).toBe('Audit administrator');
    expect(scopeLabel(enT, { scope: { kind: 'county' }, scopeNames: [] })).toBe('Whole county');
  });
});
