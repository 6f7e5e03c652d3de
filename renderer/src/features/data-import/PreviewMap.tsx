import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { GridImportReport } from '../../../../shared/contracts/imports.js';
import { buildPreview, zoomBox } from './preview';

const WIDTH = 1000;
const HEIGHT = 380;

/**
 * The file's features as drawn from its own coordinates (after reprojection): the faulty ones
 * red with a hatch, problem positions as ringed crosses, the selected feature outlined. Drawn
 * as SVG here, not on the console's map: it shows the file, not the county as it stands.
 */
export function PreviewMap({ report, selected, onSelect }: { report: GridImportReport; selected: number | null; onSelect(feature: number | null): void }) {
  const { t } = useTranslation();
  const preview = useMemo(() => buildPreview(report, WIDTH, HEIGHT), [report]);
  const chosen = preview.shapes.find((s) => s.feature === selected);
  const view = zoomBox(chosen, WIDTH, HEIGHT);
  // strokes and markers keep their size on screen when zoomed in
  const scale = view[2] / WIDTH;
  return (
    <div className="admin-panel import-preview" data-testid="import-preview">
      <div className="admin-heading">
        <h2>{t('dataImport.preview')}</h2>
        <ul className="import-legend">
          <li data-kind="ok">{t('dataImport.previewLegend.ok')}</li>
          <li data-kind="bad">{t('dataImport.previewLegend.bad')}</li>
          <li data-kind="point">{t('dataImport.previewLegend.point')}</li>
          <li data-kind="selected">{t('dataImport.previewLegend.selected')}</li>
        </ul>
        <button type="button" className="admin-button admin-button-small" disabled={!chosen} onClick={() => onSelect(null)} data-testid="import-preview-all">
          {t('dataImport.previewAll')}
        </button>
      </div>
      <svg
        viewBox={view.map((n) => n.toFixed(1)).join(' ')}
        className="import-preview-svg"
        role="img"
        aria-label={t('dataImport.preview')}
        data-zoomed={chosen !== undefined}
      >
        <defs>
          <pattern id="import-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform={`rotate(45) scale(${scale.toFixed(3)})`}>
            <rect width="6" height="6" className="import-hatch-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="import-hatch-line" />
          </pattern>
        </defs>
        {preview.shapes.map((s) => (
          <path key={s.feature} d={s.d} className="import-shape" data-faulty={s.faulty} data-feature={s.feature} onClick={() => onSelect(s.feature)} fillRule="evenodd">
            <title>{`#${s.feature} ${s.code} ${s.name}`}</title>
          </path>
        ))}
        {chosen && <path d={chosen.d} className="import-shape-selected" fillRule="evenodd" pointerEvents="none" />}
        {preview.points.map((p) => (
          <g key={p.index} className="import-point" transform={`translate(${p.x.toFixed(1)},${p.y.toFixed(1)}) scale(${scale.toFixed(3)})`} pointerEvents="none">
            <circle r="7" />
            <path d="M-4,-4L4,4M-4,4L4,-4" />
          </g>
        ))}
      </svg>
    </div>
  );
}
