import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { URGENCIES } from '../../../../shared/contracts/events.js';
import { TEAM_STATUS_VALUES } from '../../../../shared/contracts/workflow.js';
import { TeamStatusChip } from '../../features/teams/TeamMark';
import type { MapLayerSwitch } from '../../map/layer-switches';
import { MARKER_PHASES } from '../../map/layers/event-layers';
import type { MapLayerChoice } from '../../map/use-map-layers';
import './map-legend.css';

const OTHER_LAYERS = ['teams', 'grids', 'microGrids', 'heat'] as const satisfies readonly MapLayerSwitch[];

/**
 * The map's legend and layer switches in one small panel: each switch sits beside the mark it
 * shows, so what a symbol means and how to hide it are one glance. Checkboxes, so Tab reaches
 * them and Space flips them; the choice and whether the panel is open are remembered per user.
 * Nothing important hides behind hover.
 */
export function MapLegend({ choice }: { choice: MapLayerChoice }) {
  const { t } = useTranslation();
  const { layers, setLayer, panelOpen, setPanelOpen } = choice;
  const toggle = (name: MapLayerSwitch, mark: ReactNode, hint?: string) => (
    <label className="map-layer" key={name}>
      <input type="checkbox" checked={layers[name]} onChange={(e) => setLayer(name, e.currentTarget.checked)} data-layer={name} />
      {mark}
      <span className="map-layer-name">{t(`map.layer.${name}`)}</span>
      {hint && <span className="map-layer-hint">{hint}</span>}
    </label>
  );
  return (
    <section className="map-layers" aria-label={t('map.layers')} data-open={panelOpen} data-testid="map-layers">
      <button
        type="button"
        className="map-layers-toggle"
        aria-expanded={panelOpen}
        aria-controls="map-layers-body"
        title={t(panelOpen ? 'map.layersHide' : 'map.layersShow')}
        onClick={() => setPanelOpen(!panelOpen)}
      >
        <span className="map-layers-icon" aria-hidden="true" />
        {t('map.layers')}
        <span className="map-layers-caret" aria-hidden="true">
          {panelOpen ? '▾' : '▸'}
        </span>
      </button>
      {panelOpen && (
        <div id="map-layers-body" className="map-layers-body">
          <fieldset>
            <legend>{t('map.layerGroupEvents')}</legend>
            {MARKER_PHASES.map((phase) => toggle(phase, <span className={`legend-dot legend-${phase}`} aria-hidden="true" />, t(`map.layerHint.${phase}`)))}
            <ul className="map-legend-notes">
              <li className="map-legend-urgency" title={t('map.legendUrgency')}>
                {URGENCIES.map((u) => (
                  <span key={u} className={`urgency-chip urgency-${u}`}>
                    {t(`urgency.${u}`)}
                  </span>
                ))}
              </li>
              <li>
                <span className="legend-dot legend-warning" aria-hidden="true" />
                {t('map.legendWarning')}
              </li>
              <li>
                <span className="legend-dot legend-overdue" aria-hidden="true" />
                {t('map.legendOverdue')}
              </li>
              <li>
                <span className="legend-bubble" aria-hidden="true">
                  12
                </span>
                {t('map.legendCluster')}
              </li>
            </ul>
          </fieldset>
          <fieldset>
            <legend>{t('map.layerGroupOther')}</legend>
            {OTHER_LAYERS.map((name) =>
              toggle(
                name,
                name === 'teams' ? (
                  <span className="legend-square" aria-hidden="true" />
                ) : name === 'heat' ? (
                  <span className="legend-heat" aria-hidden="true" />
                ) : (
                  <span className={`legend-line legend-line-${name}`} aria-hidden="true" />
                ),
              ),
            )}
            <ul className="map-legend-notes map-legend-teams" aria-label={t('map.legendTeams')}>
              <li className="map-legend-team-chips">
                {TEAM_STATUS_VALUES.map((s) => (
                  <TeamStatusChip key={s} status={s} />
                ))}
              </li>
              <li>{t('map.legendTownTeams')}</li>
            </ul>
          </fieldset>
        </div>
      )}
    </section>
  );
}
