import { describe, expect, it } from 'vitest';
import type { WorkerRecord } from '../../../../shared/contracts/workforce.js';
import { homeScreen, resolveScreen, screensFor } from '../navigation/screens';
import { buildCoverageStyle, coverageBounds, coverageCounts } from './coverage-style';
import type { CoverageCollection } from './queries';
import {
  countyDay,
  dayText,
  draftOf,
  exportFileName,
  fieldErrorsByName,
  filtersFromSearch,
  gridChoices,
  hoursAndMinutes,
  kilometres,
  leftOnProblem,
  NO_FILTERS,
  pageWindow,
  participantsOf,
  patchOf,
  presetPeriod,
  taskIsOpen,
  workerListQuery,
} from './workforce-view';
import { ageSlices, barsOption, behindWorkers, educationSlices, withShares } from './workforce-charts';

const worker: WorkerRecord = {
  id: 'W0001',
  name: '张三',
  gender: 'M',
  birthYear: 1970,
  ageBand: '50_59',
  education: 'senior_high',
  phone: '13800000000',
  employment: 'full_time',
  grade: 2,
  status: 'active',
  startedOn: '2020-01-01',
  leftOn: null,
  grid: { id: '100', code: '100', name: '一网格' },
  village: { id: '10', name: '一村' },
  town: { id: '1', name: '一镇' },
  microGrids: [
    { id: 'm1', code: 'm1', name: '微一' },
    { id: 'm2', code: 'm2', name: '微二' },
  ],
  fiveRoles: [],
  team: { id: 'T1', name: '一队' },
  account: null,
  updatedAt: null,
};

describe('the workforce screen by role', () => {
  it('lands the grid office on the workforce and keeps the map reachable', () => {
    expect(homeScreen(['grid_office'])).toBe('workforce');
    expect(resolveScreen(null, ['grid_office'])).toBe('workforce');
    expect(screensFor(['grid_office'])).toContain('console');
    expect(resolveScreen('console', ['grid_office'])).toBe('console');
  });
  it('offers the workforce to roles reading it, and to no one else', () => {
    expect(screensFor(['shift_lead'])).toContain('workforce');
    expect(homeScreen(['shift_lead'])).toBe('shift');
    expect(screensFor(['dispatcher'])).not.toContain('workforce');
    expect(resolveScreen('workforce', ['dispatcher'])).toBe('console');
    expect(resolveScreen('workforce', ['field_worker'])).toBe('console');
    expect(resolveScreen('workforce', ['wall'])).toBe('wall');
  });
});

describe('worker list filters', () => {
  it('leaves empty filters out of the query and trims the search', () => {
    expect(workerListQuery({ ...NO_FILTERS, q: '  张 ', status: 'left', page: 3 })).toEqual({
      town: undefined,
      status: 'left',
      employment: undefined,
      grade: undefined,
      q: '张',
      page: '3',
      pageSize: '50',
    });
    expect(workerListQuery({ ...NO_FILTERS, q: '   ' }).q).toBeUndefined();
  });
  it('takes only known values from a deep link', () => {
    const f = filtersFromSearch(new URLSearchParams('town=123456789&status=gone&employment=part_time&grade=7&q=李'));
    expect(f).toEqual({ town: '123456789', status: '', employment: 'part_time', grade: '', q: '李', page: 1 });
    expect(filtersFromSearch(new URLSearchParams('town=12')).town).toBe('');
  });
  it('says which rows a page shows', () => {
    expect(pageWindow(0, 1, 50)).toEqual({ from: 0, to: 0, pages: 1 });
    expect(pageWindow(120, 1, 50)).toEqual({ from: 1, to: 50, pages: 3 });
    expect(pageWindow(120, 3, 50)).toEqual({ from: 101, to: 120, pages: 3 });
  });
});

describe('the edit form', () => {
  it('sends only what changed, with the reason', () => {
    expect(patchOf(worker, draftOf(worker))).toBeNull();
    expect(patchOf(worker, { ...draftOf(worker), grade: '4', reason: ' 考核优秀 ' })).toEqual({ grade: 4, reason: '考核优秀' });
    expect(patchOf(worker, { ...draftOf(worker), microGridIds: ['m2', 'm1'] })).toBeNull();
    expect(patchOf(worker, { ...draftOf(worker), microGridIds: ['m1'] })).toEqual({ microGridIds: ['m1'] });
    expect(patchOf(worker, { ...draftOf(worker), teamId: '' })).toEqual({ teamId: null });
  });
  it('sends the day a worker left, and no day when they come back', () => {
    expect(patchOf(worker, { ...draftOf(worker), status: 'left', leftOn: '2026-11-30' })).toEqual({ status: 'left', leftOn: '2026-11-30' });
    const left = { ...worker, status: 'left' as const, leftOn: '2026-11-30' };
    expect(patchOf(left, { ...draftOf(left), status: 'active' })).toEqual({ status: 'active' });
    expect(leftOnProblem({ ...draftOf(worker), status: 'left', leftOn: '' })).toBe(true);
    expect(leftOnProblem({ ...draftOf(worker), status: 'left', leftOn: '2026-11-30' })).toBe(false);
  });
  it('puts the server field errors under the form fields', () => {
    expect(
      fieldErrorsByName([
        { field: 'microGridIds.1', code: 'outside_grid', message: '不在该网格' },
        { field: 'microGridIds.2', code: 'outside_grid', message: '第二条' },
        { field: 'leftOn', code: 'required', message: '须填写离职日期' },
      ]),
    ).toEqual({ microGridIds: '不在该网格', leftOn: '须填写离职日期' });
  });
});

describe('periods and figures', () => {
  it('counts days in the county (UTC+8)', () => {
    expect(countyDay(new Date('2026-12-03T16:30:00Z'))).toBe('2026-12-04');
    expect(dayText('2026-12-03T16:30:00Z', '—')).toBe('2026-12-04');
    expect(dayText(null, '—')).toBe('—');
  });
  it('makes the preset periods', () => {
    expect(presetPeriod('thisMonth', '2026-12-04')).toEqual({ from: '2026-12-01', to: '2026-12-04' });
    expect(presetPeriod('last30', '2026-03-01')).toEqual({ from: '2026-01-31', to: '2026-03-01' });
    expect(presetPeriod('lastMonth', '2026-01-15')).toEqual({ from: '2025-12-01', to: '2025-12-31' });
    expect(presetPeriod('lastMonth', '2026-03-10')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(presetPeriod('quarter', '2026-12-04')).toEqual({ from: '2026-10-01', to: '2026-12-04' });
  });
  it('writes patrol time and distance', () => {
    expect(hoursAndMinutes(125.4)).toEqual({ h: 2, m: 5 });
    expect(kilometres(12_345)).toBe('12.3');
  });
  it('reads participants and tells open tasks', () => {
    expect(participantsOf('王五 村支书\n\n 赵六  居民 代表 ')).toEqual([
      { name: '王五', role: '村支书' },
      { name: '赵六', role: '居民 代表' },
    ]);
    expect(taskIsOpen('dispatched')).toBe(true);
    expect(taskIsOpen('closed')).toBe(false);
  });
  it('names the export', () => {
    expect(exportFileName('csv', '2026-12-04', '')).toBe('网格员_2026-12-04.csv');
    expect(exportFileName('xlsx', '2026-12-04', '123456789')).toBe('网格员_123456789_2026-12-04.xlsx');
  });
  it('offers the grids of the user’s towns only', () => {
    const grids = [
      { id: 'g2', code: '2', name: '二网格', parentId: 'v1' },
      { id: 'g1', code: '1', name: '一网格', parentId: 'v1' },
      { id: 'g9', code: '9', name: '外网格', parentId: 'v9' },
    ];
    const villages = [
      { id: 'v1', name: '一村', parentId: 't1' },
      { id: 'v9', name: '外村', parentId: 't9' },
    ];
    expect(gridChoices(grids, villages, [{ id: 't1', name: '一镇' }])).toEqual([
      { id: 'g1', label: '一镇 › 一村 › 一网格' },
      { id: 'g2', label: '一镇 › 一村 › 二网格' },
    ]);
  });
});

describe('coverage map', () => {
  const fc: CoverageCollection = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: { id: 'm1', name: '微一', covered: true }, geometry: { type: 'Polygon', coordinates: [[[110, 30], [110.01, 30], [110.01, 30.01], [110, 30]]] } },
      { type: 'Feature', properties: { id: 'm2', name: '微二', covered: false }, geometry: { type: 'Polygon', coordinates: [[[110.02, 30], [110.03, 30], [110.03, 30.02], [110.02, 30]]] } },
      { type: 'Feature', properties: { kind: 'track' }, geometry: { type: 'LineString', coordinates: [[110.005, 29.99], [110.006, 30.005]] } },
    ],
  };
  it('counts covered micro-grids and frames every feature', () => {
    expect(coverageCounts(fc)).toEqual({ covered: 1, uncovered: 1, trackPoints: 2 });
    expect(coverageBounds(fc)).toEqual([110, 29.99, 110.03, 30.02]);
    expect(coverageBounds({ type: 'FeatureCollection', features: [] })).toBeNull();
  });
  it('draws uncovered micro-grids dashed and writes the word on each, from inline data only', () => {
    const style = buildCoverageStyle(fc, { covered: '已巡到', uncovered: '未巡到' });
    expect(style.glyphs).toBeUndefined();
    expect(style.sprite).toBeUndefined();
    expect(Object.values(style.sources).every((s) => s.type === 'geojson')).toBe(true);
    const dashed = style.layers.find((l) => l.id === 'grid-line-uncovered');
    expect(dashed?.type === 'line' && dashed.paint?.['line-dasharray']).toBeTruthy();
    expect(JSON.stringify(style.layers.find((l) => l.id === 'grid-label'))).toContain('✗ 未巡到');
    const grids = style.sources.grids;
    expect(grids?.type === 'geojson' && typeof grids.data === 'object' && 'features' in grids.data ? grids.data.features.length : -1).toBe(2);
  });
});

describe('composition and training charts', () => {
  it('labels bars with their count and share', () => {
    expect(withShares([{ name: 'a', count: 1 }, { name: 'b', count: 3 }]).map((s) => s.share)).toEqual([25, 75]);
    expect(withShares([{ name: 'a', count: 0 }])[0]?.share).toBeNull();
    const option = barsOption([{ name: 'a', count: 1 }, { name: 'b', count: 3 }]) as { yAxis: { data: string[] }; series: Array<{ label: { formatter(p: { dataIndex: number }): string } }> };
    expect(option.yAxis.data).toEqual(['b', 'a']);
    expect(option.series[0]?.label.formatter({ dataIndex: 0 })).toBe('3（75%）');
  });
  const words = { fullTime: '专职', partTime: '兼职', grade: (g: number) => `${g}档`, ageBand: (b: string) => b, education: (e: string) => e };
  const fig = {
    workers: 10,
    active: 9,
    onLeave: 1,
    fullTime: 3,
    partTime: 7,
    fullTimeShare: 30,
    grades: { 1: 5, 2: 3, 3: 2, 4: 0, 5: 0 },
    ageBands: { under_30: 1, '30_39': 1, '40_49': 1, '50_59': 4, '60_plus': 3 },
    aged50Plus: 7,
    aged50PlusShare: 70,
    education: { junior_high: 5, senior_high: 3, junior_college: 1, bachelor: 1, other: 0 },
    turnover: { left: 1, headcountStart: 10, headcountEnd: 10, averageHeadcount: 10, rate: 10 },
    trained: 2,
    trainedShare: 20,
  };
  it('keeps the bands in order and leaves out an empty "other"', () => {
    expect(ageSlices(fig, words).map((s) => s.count)).toEqual([1, 1, 1, 4, 3]);
    expect(educationSlices(fig, words).map((s) => s.name)).toEqual(['junior_high', 'senior_high', 'junior_college', 'bachelor']);
    expect(educationSlices({ ...fig, education: { ...fig.education, other: 2 } }, words)).toHaveLength(5);
  });
  it('lists who is behind, most hours missing first', () => {
    const w = (workerId: string, behind: boolean, shortBy: number) => ({ workerId, behind, shortBy }) as never;
    const progress = { workers: [w('W2', true, 4), w('W1', false, 0), w('W3', true, 10), w('W4', true, 4)] } as never;
    expect(behindWorkers(progress).map((x: { workerId: string }) => x.workerId)).toEqual(['W3', 'W2', 'W4']);
  });
});
