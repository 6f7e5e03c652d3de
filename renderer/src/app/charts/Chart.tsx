import { useEffect, useImperativeHandle, useRef, useState, type Ref } from 'react';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import type { echarts as EchartsNamespace } from './echarts-setup';
import { useTranslation } from 'react-i18next';
import { useUiScale } from '../use-rem';
import { chartTheme, readChartPalette } from './chart-theme';
import './chart.css';

/** What a chart's owner can do with it: take a picture of it for a report. */
export interface ChartHandle {
  /** The chart as a PNG data URL on the panel's background; null before it has drawn. */
  exportImage(): string | null;
}

/** The part of a clicked series item a screen needs to follow it (a town, a day, a hot spot). */
export interface ChartClick {
  seriesIndex: number;
  dataIndex: number;
  name: string;
}

export interface ChartProps {
  option: EChartsCoreOption;
  /** Read by screen readers and used as the chart's title attribute. */
  label: string;
  /** Nothing to draw: the chart says so instead of drawing empty axes. */
  empty?: boolean;
  emptyText?: string;
  onItemClick?: (click: ChartClick) => void;
  className?: string;
  ref?: Ref<ChartHandle>;
  /** No animation (the wall redraws all day; printing and screenshots want the final frame). */
  still?: boolean;
  /**
   * GeoJSON maps the option's `geo` components name (`geo.map`), registered with ECharts once per
   * name before the option is drawn: a map of the county's own boundaries, no tiles.
   */
  geoMaps?: Readonly<Record<string, object>>;
}

let loader: Promise<{ echarts: typeof EchartsNamespace }> | null = null;
const loadEcharts = () => (loader ??= import('./echarts-setup'));

/**
 * One ECharts chart in the console's theme. The library loads on first use; the chart follows
 * its box's size, the UI scale (larger on the wall) and `option` updates without re-creating
 * the instance, and is disposed with the component so a wall running for days does not grow.
 */
export function Chart({ option, label, empty = false, emptyText, onItemClick, className, ref, still = false, geoMaps }: ChartProps) {
  const { t } = useTranslation();
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const lib = useRef<typeof EchartsNamespace | null>(null);
  const clickRef = useRef(onItemClick);
  useEffect(() => {
    clickRef.current = onItemClick;
  });
  const scale = useUiScale();
  const [failed, setFailed] = useState<Error | null>(null);
  // Counts instances, not a flag: a re-created instance (the UI scale changed) must get the
  // option again, and a false→true pair of updates in one render would not re-run the effect.
  const [instance, setInstance] = useState(0);

  useImperativeHandle(ref, () => ({
    exportImage: () => chart.current?.getDataURL({ type: 'png', pixelRatio: 2, backgroundColor: readChartPalette(document.documentElement).panel }) ?? null,
  }));

  // The instance lives as long as the component and the scale (the theme is fixed at init).
  useEffect(() => {
    const el = box.current;
    if (!el || empty) return;
    let disposed = false;
    let observer: ResizeObserver | null = null;
    loadEcharts()
      .then(({ echarts }) => {
        if (disposed) return;
        const instance = echarts.init(el, chartTheme(readChartPalette(document.documentElement), scale), { renderer: 'canvas' });
        instance.on('click', (p) => {
          const params = p as { seriesIndex?: number; dataIndex?: number; name?: string };
          clickRef.current?.({ seriesIndex: params.seriesIndex ?? 0, dataIndex: params.dataIndex ?? 0, name: params.name ?? '' });
        });
        chart.current = instance;
        lib.current = echarts;
        observer = new ResizeObserver(() => instance.resize());
        observer.observe(el);
        setInstance((n) => n + 1);
      })
      .catch((err: unknown) => setFailed(err instanceof Error ? err : new Error(String(err))));
    return () => {
      disposed = true;
      observer?.disconnect();
      chart.current?.dispose();
      chart.current = null;
    };
  }, [scale, empty]);

  useEffect(() => {
    if (instance === 0 || !chart.current) return;
    for (const [name, geoJson] of Object.entries(geoMaps ?? {})) {
      if (!lib.current?.getMap(name)) lib.current?.registerMap(name, geoJson as Parameters<typeof EchartsNamespace.registerMap>[1]);
    }
    // notMerge: a filter that removes a series must remove it from the chart too.
    chart.current.setOption({ animation: !still, ...option }, { notMerge: true, lazyUpdate: true });
  }, [option, instance, still, geoMaps]);

  if (failed) {
    return (
      <div className={`chart chart-state ${className ?? ''}`} role="alert">
        {t('chart.failed')}
      </div>
    );
  }
  if (empty) {
    return (
      <div className={`chart chart-state ${className ?? ''}`} role="img" aria-label={label}>
        {emptyText ?? t('chart.empty')}
      </div>
    );
  }
  return <div ref={box} className={`chart ${className ?? ''}`} role="img" aria-label={label} title={label} data-chart-ready={instance > 0} />;
}
