import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartHandle, type ChartProps } from './Chart';

/** Saves a data URL as a file through a temporary link (works in Electron and any browser). */
function download(dataUrl: string, filename: string) {
  const a = document.createElement('a');
  a.href = dataUrl;
  a.download = filename;
  a.click();
}

/**
 * A titled chart with a "save as image" button, as analysis screens show them: the picture goes
 * into a meeting's slides or a report. `filename` without extension.
 */
export function ChartCard({ title, filename, extra, ...chart }: ChartProps & { title: string; filename: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  const handle = useRef<ChartHandle>(null);
  return (
    <section className="chart-card" aria-label={title}>
      <header className="chart-card-head">
        <h3>{title}</h3>
        {extra}
        <button
          type="button"
          className="chart-card-save"
          disabled={chart.empty}
          onClick={() => {
            const url = handle.current?.exportImage();
            if (url) download(url, `${filename}.png`);
          }}
        >
          {t('chart.save_image')}
        </button>
      </header>
      <div className="chart-card-body">
        <Chart ref={handle} {...chart} />
      </div>
    </section>
  );
}
