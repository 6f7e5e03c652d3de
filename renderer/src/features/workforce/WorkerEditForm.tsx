import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamListResponse } from '../../../../shared/contracts/teams.js';
import { WORKER_GRADES, WORKER_STATUSES, type WorkerPatch, type WorkerRecord, type WorkerStatus } from '../../../../shared/contracts/workforce.js';
import { ApiRequestError } from '../../app/api-client';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { geoQuery } from '../regions/queries';
import { WORKFORCE_KEY, workerQuery } from './queries';
import { draftOf, fieldErrorsByName, leftOnProblem, patchOf, type WorkerDraft } from './workforce-view';

/**
 * The grid office's edit of a record: grade, status (with the day a worker left), team and the
 * micro-grids of the worker's grid they serve, and why. Only what changed is sent; the server's
 * refusal of a field is shown under that field, a refusal of the whole body above the buttons.
 */
export function WorkerEditForm({ worker, onCancel, onSaved }: { worker: WorkerRecord; onCancel(): void; onSaved(): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const ids = { grade: useId(), status: useId(), leftOn: useId(), team: useId(), reason: useId() };
  const [draft, setDraft] = useState<WorkerDraft>(() => draftOf(worker));
  const [localProblem, setLocalProblem] = useState<string | null>(null);
  const teams = useQuery({
    queryKey: ['workforce', 'teams'],
    queryFn: ({ signal }) => api.get<TeamListResponse>('/teams', undefined, { signal }),
    staleTime: 60_000,
  });
  const microGeo = useQuery(geoQuery(api, 'microgrid'));
  const townTeams = useMemo(() => (teams.data?.items ?? []).filter((team) => team.townId === worker.town.id || team.id === worker.team?.id), [teams.data, worker]);
  const microGrids = useMemo(() => {
    const inGrid = (microGeo.data?.features ?? []).filter((f) => f.properties.parentId === worker.grid.id).map((f) => ({ id: f.properties.id, name: f.properties.name }));
    const known = new Set(inGrid.map((m) => m.id));
    return [...inGrid, ...worker.microGrids.filter((m) => !known.has(m.id))].sort((a, b) => a.id.localeCompare(b.id));
  }, [microGeo.data, worker]);

  const save = useMutation({
    mutationFn: (patch: WorkerPatch) => api.patch<WorkerRecord>(`/workforce/workers/${encodeURIComponent(worker.id)}`, patch),
    onSuccess: async (saved) => {
      queryClient.setQueryData(workerQuery(api, worker.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...WORKFORCE_KEY, 'workers'] });
      onSaved();
    },
  });
  const errors = save.error instanceof ApiRequestError ? fieldErrorsByName(save.error.fields) : {};
  const bodyError = save.error && Object.keys(errors).length === 0 ? save.error.message : errors[''];
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="admin-field-error" role="alert" data-testid={`worker-error-${name}`}>
        {errors[name]}
      </p>
    ) : null;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (leftOnProblem(draft)) {
      setLocalProblem(t('workforce.edit.leftOnNeeded'));
      return;
    }
    const patch = patchOf(worker, draft);
    if (!patch) {
      setLocalProblem(t('workforce.edit.nothing'));
      return;
    }
    setLocalProblem(null);
    save.mutate(patch);
  };
  const set = <K extends keyof WorkerDraft>(key: K, value: WorkerDraft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  return (
    <form className="admin-form workforce-edit" onSubmit={submit} aria-label={t('workforce.edit.title')} data-testid="worker-edit-form" noValidate>
      <div className="admin-form-row">
        <div className="admin-field">
          <label htmlFor={ids.grade}>{t('workforce.edit.grade')}</label>
          <select id={ids.grade} value={draft.grade} onChange={(e) => set('grade', e.target.value)} aria-invalid={Boolean(errors.grade)} data-testid="worker-edit-grade">
            {WORKER_GRADES.map((g) => (
              <option key={g} value={String(g)}>
                {t('workforce.grade', { grade: g })}
              </option>
            ))}
          </select>
          {fieldError('grade')}
        </div>
        <div className="admin-field">
          <label htmlFor={ids.status}>{t('workforce.edit.status')}</label>
          <select id={ids.status} value={draft.status} onChange={(e) => set('status', e.target.value as WorkerStatus)} aria-invalid={Boolean(errors.status)} data-testid="worker-edit-status">
            {WORKER_STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`workforce.status.${s}`)}
              </option>
            ))}
          </select>
          {fieldError('status')}
        </div>
        {draft.status === 'left' && (
          <div className="admin-field">
            <label htmlFor={ids.leftOn}>{t('workforce.edit.leftOn')}</label>
            <DateField
              id={ids.leftOn}
              value={draft.leftOn}
              onChange={(day) => set('leftOn', day)}
              invalid={Boolean(errors.leftOn) || (localProblem !== null && leftOnProblem(draft))}
              testId="worker-edit-left-on"
            />
            {fieldError('leftOn')}
          </div>
        )}
        <div className="admin-field">
          <label htmlFor={ids.team}>{t('workforce.edit.team')}</label>
          <select id={ids.team} value={draft.teamId} onChange={(e) => set('teamId', e.target.value)} aria-invalid={Boolean(errors.teamId)} data-testid="worker-edit-team">
            <option value="">{t('workforce.edit.teamNone')}</option>
            {townTeams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
          {fieldError('teamId')}
        </div>
      </div>
      <fieldset className="admin-fieldset" aria-invalid={Boolean(errors.microGridIds)}>
        <legend>{t('workforce.edit.microGrids')}</legend>
        <div className="admin-checks workforce-micro-checks">
          {microGrids.map((m) => (
            <label key={m.id} className="admin-check">
              <input
                type="checkbox"
                checked={draft.microGridIds.includes(m.id)}
                onChange={(e) => set('microGridIds', e.target.checked ? [...draft.microGridIds, m.id] : draft.microGridIds.filter((x) => x !== m.id))}
              />
              {m.name}
            </label>
          ))}
        </div>
        {fieldError('microGridIds')}
      </fieldset>
      <div className="admin-field admin-field-wide">
        <label htmlFor={ids.reason}>{t('workforce.edit.reason')}</label>
        <input id={ids.reason} maxLength={500} value={draft.reason} onChange={(e) => set('reason', e.target.value)} aria-invalid={Boolean(errors.reason)} data-testid="worker-edit-reason" />
        {fieldError('reason')}
      </div>
      {(localProblem || bodyError) && (
        <p className="admin-field-error" role="alert" data-testid="worker-edit-problem">
          {localProblem ?? t('workforce.edit.failed', { message: bodyError })}
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="admin-button admin-button-primary" disabled={save.isPending} data-testid="worker-edit-save">
          {save.isPending ? t('workforce.edit.saving') : t('workforce.edit.save')}
        </button>
        <button type="button" className="admin-button" onClick={onCancel} disabled={save.isPending}>
          {t('workforce.edit.cancel')}
        </button>
      </div>
    </form>
  );
}
