import { describe, expect, it } from 'vitest';
import { ALERT_CLEAR_REASONS, ALERT_KINDS, ALERT_SEVERITIES } from '../contracts/alerts.js';
import { ROLES } from '../contracts/auth.js';
import { TEAM_TYPES } from '../contracts/catalog.js';
import { EVENT_SOURCES, EVENT_STATUSES, STEPS, URGENCIES } from '../contracts/events.js';
import { ACTIONS, TEAM_STATUS_VALUES } from '../contracts/workflow.js';
import {
  ACTION_LABELS,
  ALERT_CLEAR_LABELS,
  ALERT_KIND_LABELS,
  ALERT_SEVERITY_LABELS,
  FIELD_BUTTON_LABELS,
  LABEL_LANGUAGES,
  ROLE_LABELS,
  SOURCE_LABELS,
  STATUS_LABELS,
  STEP_LABELS,
  SYSTEM_ENTRY_LABELS,
  TEAM_STATUS_LABELS,
  TEAM_TYPE_LABELS,
  URGENCY_LABELS,
  labelsIn,
  type Label,
} from './labels.js';

const CJK = /[\u4e00-\u9fff]/;

/** Each table beside the contract's list of the codes it names. */
const TABLES: ReadonlyArray<[string, readonly string[], Readonly<Record<string, Label>>]> = [
  ['status', EVENT_STATUSES, STATUS_LABELS],
  ['action', ACTIONS, ACTION_LABELS],
  ['system timeline entry', Object.keys(SYSTEM_ENTRY_LABELS), SYSTEM_ENTRY_LABELS],
  ['step', STEPS, STEP_LABELS],
  ['urgency', URGENCIES, URGENCY_LABELS],
  ['alert kind', ALERT_KINDS, ALERT_KIND_LABELS],
  ['alert severity', ALERT_SEVERITIES, ALERT_SEVERITY_LABELS],
  ['alert clear reason', ALERT_CLEAR_REASONS, ALERT_CLEAR_LABELS],
  ['team status', TEAM_STATUS_VALUES, TEAM_STATUS_LABELS],
  ['team type', TEAM_TYPES, TEAM_TYPE_LABELS],
  ['event source', EVENT_SOURCES, SOURCE_LABELS],
  ['role', ROLES, ROLE_LABELS],
  ['field button', ['accept', 'start', 'report', 'verify', 'return', 'rework'], FIELD_BUTTON_LABELS],
];

describe('the label table', () => {
  it.each(TABLES)('labels every %s code, and only those, in Chinese and English', (_, codes, table) => {
    expect(Object.keys(table).sort()).toEqual([...codes].sort());
    for (const code of codes) {
      const label = table[code]!;
      expect(Object.keys(label).sort(), code).toEqual([...LABEL_LANGUAGES].sort());
      expect(label['zh-CN'], code).toMatch(CJK);
      expect(label.en.trim(), code).not.toBe('');
      expect(label.en, code).not.toMatch(CJK);
    }
  });

  it.each(TABLES)('gives no two %s codes the same word in either language', (_, codes, table) => {
    for (const lang of LABEL_LANGUAGES) {
      const words = codes.map((code) => table[code]![lang]);
      expect(new Set(words).size, `${lang}: ${words.join(' / ')}`).toBe(words.length);
    }
  });

  it('tells every timeline entry apart, whether a person or the system wrote it', () => {
    for (const lang of LABEL_LANGUAGES) {
      const words = [...Object.values(ACTION_LABELS), ...Object.values(SYSTEM_ENTRY_LABELS)].map((label) => label[lang]);
      expect(new Set(words).size, lang).toBe(words.length);
    }
  });

  it('names a state after the action that leads to it, with 已', () => {
    const pairs = [
      ['file', 'filed'],
      ['dispatch', 'dispatched'],
      ['accept', 'accepted'],
      ['void', 'void'],
      ['close', 'closed'],
      ['merge', 'merged'],
    ] as const;
    for (const [action, status] of pairs) expect(STATUS_LABELS[status]['zh-CN']).toBe(`已${ACTION_LABELS[action]['zh-CN']}`);
  });

  it('uses the chosen terms: 签收 and 回退, not 接单 and 退回', () => {
    const everyWord = TABLES.flatMap(([, , table]) => Object.values(table).map((label) => label['zh-CN']));
    expect(everyWord.filter((word) => word.includes('接单') || word.includes('退回'))).toEqual([]);
    expect(ACTION_LABELS.accept['zh-CN']).toBe('签收');
    expect(ACTION_LABELS.return['zh-CN']).toBe('回退');
    expect(ALERT_KIND_LABELS.task_returned['zh-CN']).toContain(ACTION_LABELS.return['zh-CN']);
  });

  it('gives one language column as a plain code → word map', () => {
    expect(labelsIn(URGENCY_LABELS, 'zh-CN')).toEqual({ P0: '特急', P1: '紧急', P2: '一般', P3: '复杂' });
    expect(labelsIn(STEP_LABELS, 'en')).toEqual({ file: 'Filing', dispatch: 'Dispatch', handle: 'Handling', verify: 'Verification' });
  });
});
