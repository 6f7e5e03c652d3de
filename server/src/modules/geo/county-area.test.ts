import { describe, expect, it } from 'vitest';
import { ApiHttpError } from '../../http/errors.js';
import { CountyArea } from './county-area.js';

// a county of about 40 × 30 km around 29° N
const BOX = [119.8, 29.0, 120.2, 29.3] as const;
const KM_LON = 111.32 * Math.cos((29.3 * Math.PI) / 180);

describe('CountyArea', () => {
  const area = new CountyArea(BOX, 5);

  it('takes the county and up to the margin beyond its box', () => {
    expect(area.contains(120.0, 29.15)).toBe(true);
    expect(area.contains(BOX[2] + 4.9 / KM_LON, 29.15)).toBe(true);
    expect(area.contains(120.0, BOX[1] - 4.9 / 111.32)).toBe(true);
  });

  it('refuses beyond the margin, (0, 0) and another province', () => {
    expect(area.contains(BOX[2] + 5.1 / KM_LON, 29.15)).toBe(false);
    expect(area.contains(120.0, BOX[3] + 5.1 / 111.32)).toBe(false);
    expect(area.contains(0, 0)).toBe(false);
    expect(area.contains(116.397, 39.909)).toBe(false);
  });

  it('answers 422 outside_county naming the field, and lets an absent position pass', () => {
    expect(() => area.requireInside(undefined, 'position')).not.toThrow();
    try {
      area.requireInside({ lon: 0, lat: 0 }, 'position');
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ApiHttpError);
      expect(err).toMatchObject({ status: 422, code: 'outside_county', fields: [{ field: 'position', code: 'outside_county' }], params: { marginKm: 5 } });
    }
  });

  it('is the box around the micro-grids, and nothing without a county', () => {
    const grid = (bbox: [number, number, number, number]) => ({ id: 'x', geometry: { type: 'Polygon' as const, coordinates: [] }, bbox });
    const around = CountyArea.around([grid([119.8, 29.0, 120.0, 29.1]), grid([120.0, 29.1, 120.2, 29.3])], 0);
    expect([around.contains(119.8, 29.0), around.contains(120.2, 29.3), around.contains(120.21, 29.3)]).toEqual([true, true, false]);
    expect(CountyArea.around([], 5).contains(120.0, 29.15)).toBe(false);
  });
});
