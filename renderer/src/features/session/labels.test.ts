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
    expect(scopeLabel(zh, { scope: { kind: 'county' }, scopeNames: [], platformLevel: 'county' })).toBe('全县');
    expect(scopeLabel(zh, { scope: { kind: 'towns', towns: ['1', '2'], counties: [], areas: ['1', '2'] }, scopeNames: ['城关镇', '东岭镇'], platformLevel: 'county' })).toBe('城关镇、东岭镇');
    const enT = i18n.getFixedT('en');
    expect(roleLabels(enT, { roles: ['auditor'] })).toBe('Audit administrator');
    expect(scopeLabel(enT, { scope: { kind: 'county' }, scopeNames: [], platformLevel: 'county' })).toBe('Whole county');
  });

  it('names the whole platform by its top level, and a city or county user by their areas', () => {
    const zh = i18n.getFixedT('zh-CN');
    expect(scopeLabel(zh, { scope: { kind: 'county' }, scopeNames: [], platformLevel: 'city' })).toBe('全市');
    expect(scopeLabel(zh, { scope: { kind: 'county' }, scopeNames: [], platformLevel: 'province' })).toBe('全省');
    expect(scopeLabel(zh, { scope: { kind: 'county' }, scopeNames: [], platformLevel: 'county' })).toBe('全县');
    expect(scopeLabel(zh, { scope: { kind: 'towns', towns: ['A1', 'A2', 'B1'], counties: ['A', 'B'], areas: ['A', 'B1'] }, scopeNames: ['A县', '城关镇'], platformLevel: 'county' })).toBe('A县、城关镇');
    // names not resolved: the granted ids, never their expansion into towns
    expect(scopeLabel(zh, { scope: { kind: 'towns', towns: ['A1', 'A2'], counties: ['A'], areas: ['A'] }, scopeNames: [], platformLevel: 'county' })).toBe('A');
  });
});
