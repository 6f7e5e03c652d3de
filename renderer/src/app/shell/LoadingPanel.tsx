import { useTranslation } from 'react-i18next';
import type { SnapshotProgress } from '../live-feed/snapshot';
import type { LoadStep } from '../../features/regions/use-county';

const STEPS: LoadStep[] = ['regions', 'catalog', 'town', 'village', 'grid', 'microgrid'];

/** Progress while the county loads: each step named, so a slow one is visible. */
export function LoadingPanel({ countyName, done, events }: { countyName: string | undefined; done: Record<LoadStep, boolean>; events: SnapshotProgress | null | 'done' }) {
  const { t } = useTranslation();
  const finished = STEPS.filter((s) => done[s]).length + (events === 'done' ? 1 : 0);
  const eventShare = events === 'done' ? 1 : events && events.total > 0 ? events.loaded / events.total : 0;
  const percent = Math.round(((STEPS.filter((s) => done[s]).length + eventShare) / (STEPS.length + 1)) * 100);
  return (
    <div className="loading-panel" role="status" aria-live="polite" data-testid="loading-panel">
      <h2>{t('loading.title', { county: countyName ?? '' })}</h2>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent}>
        <div className="progress-bar" style={{ width: `${percent}%` }} />
      </div>
      <ul className="loading-steps" data-finished={finished}>
        {STEPS.map((step) => (
          <li key={step} data-done={done[step]}>
            <span aria-hidden="true">{done[step] ? '✓' : '…'}</span> {t(`loading.${step}`)}
          </li>
        ))}
        <li data-done={events === 'done'}>
          <span aria-hidden="true">{events === 'done' ? '✓' : '…'}</span>{' '}
          {events && events !== 'done' && events.total > 0 ? t('loading.eventsProgress', { loaded: events.loaded, total: events.total }) : t('loading.events')}
        </li>
      </ul>
    </div>
  );
}
