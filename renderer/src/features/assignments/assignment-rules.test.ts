import { describe, expect, it } from 'vitest';
import type { RegionNode } from '../../../../shared/contracts/regions.js';
import { assignableCounties, defaultDueLocal, dueFromLocal, parsePoint } from './assignment-rules';

const counts = { grids: 0, microGrids: 0, households: 0, workers: 0 };
const node = (id: string, level: RegionNode['level'], children: RegionNode[] = []): RegionNode => ({ id, code: id, name: `N${id}`, level, kind: level, counts, children });
const province = node('330000', 'province', [node('330100', 'city', [node('330102', 'county'), node('330105', 'county')]), node('330800', 'city', [node('330899', 'county')])]);

describe('assignableCounties', () => {
  it('gives the whole platform every county, a city user its city’s, and a county or town user none', () => {
    expect(assignableCounties(province, { kind: 'county' }).map((c) => c.id)).toEqual(['330102', '330105', '330899']);
    expect(assignableCounties(province, { kind: 'towns', towns: [], counties: [], areas: ['330800'] }).map((c) => c.id)).toEqual(['330899']);
    expect(assignableCounties(province, { kind: 'towns', towns: [], counties: ['330102'], areas: ['330102'] })).toEqual([]);
  });

  it('gives nobody anything on a county server', () => {
    expect(assignableCounties(node('330899', 'county'), { kind: 'county' })).toEqual([]);
  });
});

describe('the dialog’s fields', () => {
  it('reads coordinates typed as a place, and nothing else', () => {
    expect(parsePoint('120.1234, 30.5678')).toEqual({ lon: 120.1234, lat: 30.5678 });
    expect(parsePoint('120.1，30.2')).toEqual({ lon: 120.1, lat: 30.2 });
    expect(parsePoint('幸福路 12 号')).toBeNull();
    expect(parsePoint('200, 30')).toBeNull();
  });

  it('writes the deadline in China time, and starts it days ahead at 18:00', () => {
    expect(dueFromLocal('2026-11-23T18:00')).toBe('2026-11-23T18:00:00+08:00');
    expect(dueFromLocal('2026-11-23')).toBeNull();
    expect(defaultDueLocal(Date.parse('2026-11-20T23:30:00+08:00'), 3)).toBe('2026-11-23T18:00');
  });
});
