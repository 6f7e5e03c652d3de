import { validateStyleMin } from '@maplibre/maplibre-gl-style-spec';
import { describe, expect, it } from 'vitest';
import { TEAM_STATUS_COLORS } from '../../app/theme';
import { teamFixture } from '../../testing/team-fixture';
import { expression } from '@maplibre/maplibre-gl-style-spec';
import { buildOverlayStyle } from './map-style';
import {
  diffTeamFeatures,
  TEAM_ICON_CSS_PX,
  TEAM_LAYER_IDS,
  TEAM_SQUARE_MIN_ZOOM,
  teamCollection,
  teamIconImage,
  teamLayers,
  teamPanelImage,
  teamTownCollection,
  teamTownLabel,
  trailCollection,
  DEFAULT_TEAM_MARKS,
} from './team-layers';

const byId = (...teams: ReturnType<typeof teamFixture>[]) => new Map(teams.map((t) => [t.id, t]));

describe('teamLayers', () => {
  it('is part of a valid style, over the events and under the town names and the selected case', () => {
    const style = buildOverlayStyle({ urgencyMarks: { P0: '特', P1: '急', P2: '般', P3: '复' } });
    expect(validateStyleMin(style as never)).toEqual([]);
    const ids = style.layers.map((l) => l.id);
    expect(ids.indexOf(TEAM_LAYER_IDS.marker)).toBeGreaterThan(ids.indexOf('events-circle'));
    expect(ids.indexOf(TEAM_LAYER_IDS.marker)).toBeLessThan(ids.indexOf('town-label'));
    expect(ids.indexOf(TEAM_LAYER_IDS.marker)).toBeLessThan(ids.indexOf('event-selected-marker'));
  });

  it('shows counts per town at county and town zoom, and squares from village zoom', () => {
    const layers = teamLayers();
    const town = layers.find((l) => l.id === TEAM_LAYER_IDS.town)!;
    const marker = layers.find((l) => l.id === TEAM_LAYER_IDS.marker)!;
    expect(town.maxzoom).toBe(TEAM_SQUARE_MIN_ZOOM);
    expect(marker.minzoom).toBe(TEAM_SQUARE_MIN_ZOOM);
    // squares are always drawn, and names placed after them keep off them
    expect(marker.layout).toMatchObject({ 'icon-allow-overlap': true });
    expect(marker.layout).not.toHaveProperty('icon-ignore-placement');
  });

  it('says the status in words, not colour alone: a mark inside the square, the word in the label', () => {
    const layers = teamLayers({ mark: { available: 'A', en_route: 'E', on_scene: 'S', busy: 'B', off_duty: 'O' }, word: { available: 'free', en_route: 'on the way', on_scene: 'on scene', busy: 'busy', off_duty: 'off duty' } });
    const marker = layers.find((l) => l.id === TEAM_LAYER_IDS.marker)!;
    const label = layers.find((l) => l.id === TEAM_LAYER_IDS.label)!;
    expect(JSON.stringify(marker.layout)).toContain('"on_scene","S"');
    expect(JSON.stringify(label.layout)).toContain('"en_route","on the way"');
    expect(label.minzoom).toBe(12.5);
  });

  it('grows with the UI scale', () => {
    const desk = teamLayers(undefined, 1).find((l) => l.id === TEAM_LAYER_IDS.label)!;
    const wall = teamLayers(undefined, 2).find((l) => l.id === TEAM_LAYER_IDS.label)!;
    expect((wall.layout as Record<string, number>)['text-size']).toBe(2 * (desk.layout as Record<string, number>)['text-size']!);
  });
});

describe('team features', () => {
  it('builds one point per team with its status', () => {
    const collection = teamCollection([teamFixture({ status: 'en_route', location: { lon: 120.3, lat: 29.4 } })]);
    expect(collection.features[0]).toMatchObject({ geometry: { coordinates: [120.3, 29.4] }, properties: { id: 'TM0001', status: 'en_route' } });
  });

  it('diffs moves, status changes, arrivals and departures, and nothing for identical teams', () => {
    const a = teamFixture({ id: 'TM1' });
    const b = teamFixture({ id: 'TM2' });
    const c = teamFixture({ id: 'TM3' });
    const next = byId({ ...a, location: { lon: 121, lat: 30 } }, { ...b, status: 'busy' }, teamFixture({ id: 'TM4' }));
    const diff = diffTeamFeatures(byId(a, b, c), next);
    expect(diff?.add?.map((f) => f.properties?.id)).toEqual(['TM4']);
    expect(diff?.remove).toEqual(['TM3']);
    expect(diff?.update).toEqual([
      { id: 'TM1', newGeometry: { type: 'Point', coordinates: [121, 30] } },
      { id: 'TM2', addOrUpdateProperties: [{ key: 'status', value: 'busy' }] },
    ]);
    expect(diffTeamFeatures(byId(a), byId(a))).toBeNull();
  });

  it('draws a trail only from two points on, starting at the oldest', () => {
    expect(trailCollection([{ lon: 1, lat: 1, accuracy: null, at: '2026-03-02T08:00:00Z' }]).features).toEqual([]);
    const trail = trailCollection([
      { lon: 1, lat: 1, accuracy: null, at: '2026-03-02T08:00:00Z' },
      { lon: 2, lat: 2, accuracy: 5, at: '2026-03-02T08:01:00Z' },
    ]);
    expect(trail.features.map((f) => f.geometry)).toEqual([
      { type: 'LineString', coordinates: [[1, 1], [2, 2]] },
      { type: 'Point', coordinates: [1, 1] },
    ]);
  });
});

describe('team counts per town', () => {
  const towns = [
    { id: 'T1', lon: 120, lat: 29 },
    { id: 'T2', lon: 121, lat: 30 },
  ];

  it('counts each town\'s teams by status at its anchor; a county unit counts where it is', () => {
    const collection = teamTownCollection(
      [
        teamFixture({ id: 'a', townId: 'T1', status: 'available' }),
        teamFixture({ id: 'b', townId: 'T1', status: 'busy' }),
        teamFixture({ id: 'c', townId: 'T2', status: 'available' }),
        teamFixture({ id: 'd', townId: null, status: 'en_route', location: { lon: 120.9, lat: 29.9 } }),
      ],
      towns,
    );
    expect(collection.features).toEqual([
      { type: 'Feature', geometry: { type: 'Point', coordinates: [120, 29] }, properties: { id: 'T1', total: 2, available: 1, en_route: 0, on_scene: 0, busy: 1, off_duty: 0 } },
      { type: 'Feature', geometry: { type: 'Point', coordinates: [121, 30] }, properties: { id: 'T2', total: 2, available: 1, en_route: 1, on_scene: 0, busy: 0, off_duty: 0 } },
    ]);
  });

  it('says the counts in words and figures, each status with its mark, leaving out empty ones', () => {
    const parsed = expression.createExpression(teamTownLabel(DEFAULT_TEAM_MARKS), 'text-field' as never);
    if (parsed.result !== 'success') throw new Error(JSON.stringify(parsed.value));
    const text = parsed.value.evaluate({ zoom: 10 }, { type: 'Point', properties: { total: 7, available: 3, en_route: 0, on_scene: 1, busy: 3, off_duty: 0 } } as never) as { sections: { text: string }[] };
    expect(text.sections.map((s) => s.text).join('')).toBe('队伍 7\n闲3 场1 忙3 ');
  });

  it('sits on a panel that stretches to its text', () => {
    const { image, options } = teamPanelImage();
    expect(image.data).toHaveLength(image.width * image.height * 4);
    expect(options.stretchX[0]![0]).toBeLessThan(options.stretchX[0]![1]);
    expect(options.content[2]).toBeGreaterThan(options.content[0]);
  });
});

describe('teamIconImage', () => {
  it('is a status-coloured square with a light border, transparent at the rounded corners', () => {
    const icon = teamIconImage(TEAM_STATUS_COLORS.available, 2);
    const side = TEAM_ICON_CSS_PX * 2;
    expect(icon.width).toBe(side);
    expect(icon.data).toHaveLength(side * side * 4);
    const px = (x: number, y: number) => Array.from(icon.data.slice((y * side + x) * 4, (y * side + x) * 4 + 4));
    expect(px(side / 2, side / 2)).toEqual([0x2f, 0xbf, 0x71, 255]);
    expect(px(0, 0)[3]).toBe(0);
    expect(px(side / 2, 3)).toEqual([0xf4, 0xf8, 0xfc, 255]);
  });
});
