import { describe, expect, it } from 'vitest';
import { chartTheme, type ChartPalette } from './chart-theme';

const palette: ChartPalette = { text: '#fff', muted: '#999', line: '#333', panel: '#111', font: 'sans-serif', series: ['#1', '#2'] };

describe('chartTheme', () => {
  it('draws text in the palette and grows it with the UI scale (the wall)', () => {
    const desk = chartTheme(palette, 1) as { textStyle: { fontSize: number; color: string }; categoryAxis: { axisLabel: { fontSize: number } } };
    const wall = chartTheme(palette, 2) as typeof desk;
    expect(desk.textStyle.color).toBe('#fff');
    expect(wall.textStyle.fontSize).toBe(2 * desk.textStyle.fontSize);
    expect(wall.categoryAxis.axisLabel.fontSize).toBe(24);
  });
});
