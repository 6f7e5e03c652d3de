/** Colours and type of the console's charts, read from the page's CSS variables (styles.css). */
export interface ChartPalette {
  text: string;
  muted: string;
  line: string;
  panel: string;
  font: string;
  /** Series colours: distinguishable on the dark theme and never the urgency red/orange first. */
  series: string[];
}

const SERIES = ['#4fb3ff', '#35c98a', '#f2c230', '#a66cff', '#ff8a1f', '#6fd3d9', '#ff7eb6', '#c3d36b', '#8596a8', '#ff4d4f'];

export function readChartPalette(root: Element): ChartPalette {
  const css = getComputedStyle(root);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#dce6f0'),
    muted: v('--muted', '#8da1b5'),
    line: v('--line', '#223244'),
    panel: v('--panel', '#111b26'),
    font: v('--font-ui', 'sans-serif'),
    series: SERIES,
  };
}

/**
 * The ECharts theme object for a palette at a UI scale (1 at the desk, ≈2 on a 4K wall): text,
 * axes and tooltips follow the console's dark theme, sizes grow with the wall.
 */
export function chartTheme(p: ChartPalette, scale: number): Record<string, unknown> {
  const size = (px: number) => Math.round(px * scale);
  const axis = {
    axisLine: { lineStyle: { color: p.line } },
    axisTick: { lineStyle: { color: p.line } },
    axisLabel: { color: p.muted, fontSize: size(12) },
    splitLine: { lineStyle: { color: p.line } },
    nameTextStyle: { color: p.muted, fontSize: size(12) },
  };
  return {
    color: p.series,
    backgroundColor: 'transparent',
    textStyle: { color: p.text, fontFamily: p.font, fontSize: size(12) },
    title: { textStyle: { color: p.text, fontSize: size(15) }, subtextStyle: { color: p.muted, fontSize: size(12) } },
    legend: { textStyle: { color: p.text, fontSize: size(12) }, itemWidth: size(18), itemHeight: size(10) },
    tooltip: { backgroundColor: p.panel, borderColor: p.line, textStyle: { color: p.text, fontSize: size(13) } },
    categoryAxis: axis,
    valueAxis: axis,
    timeAxis: axis,
    line: { symbolSize: size(6), lineStyle: { width: size(2) } },
  };
}
