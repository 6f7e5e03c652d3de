import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { DeliberationMeetingRequest, DeliberationMeetingView } from '../../../../shared/contracts/deliberation.js';
import { AGENDA_SOURCES, type AgendaItem, type AgendaSource } from '../../../../shared/contracts/workforce.js';
import { ApiRequestError } from '../../app/api-client';
import { useServices } from '../../app/services';
import { DateField } from '../../app/ui/DateField';
import { useTownOptions } from '../analysis/use-towns';
import { catalogQuery } from '../catalog/queries';
import { geoQuery } from '../regions/queries';
import { WORKFORCE_KEY, agendaDraftQuery } from './queries';
import { fieldErrorsByName, gridChoices, linesOf, participantsOf } from './workforce-view';

interface TaskRow {
  title: string;
  itemCode: string;
  description: string;
}

/**
 * 记录一次议事: a grid's deliberation day. The agenda starts from the grid's draft (its hot
 * spots, repeat items and residents' reports) and is edited here; each follow-up task names its
 * catalog item and becomes a case in the closed loop when the meeting is saved. The server's
 * refusal of a field is written under it.
 */
export function MeetingForm({ user, today, onCancel, onSaved }: { user: SessionUser; today: string; onCancel(): void; onSaved(m: DeliberationMeetingView): void }) {
  const { t, i18n } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const ids = { grid: useId(), heldOn: useId(), place: useId(), host: useId(), participants: useId(), decisions: useId() };
  const towns = useTownOptions(user);
  const gridGeo = useQuery(geoQuery(api, 'grid'));
  const villageGeo = useQuery(geoQuery(api, 'village'));
  const catalog = useQuery(catalogQuery(api));
  const grids = useMemo(
    () => gridChoices(gridGeo.data?.features.map((f) => f.properties) ?? [], villageGeo.data?.features.map((f) => f.properties) ?? [], towns),
    [gridGeo.data, villageGeo.data, towns],
  );
  const [gridId, setGridId] = useState('');
  const [heldOn, setHeldOn] = useState(today);
  const [place, setPlace] = useState('');
  const [host, setHost] = useState('');
  const [participants, setParticipants] = useState('');
  const [decisions, setDecisions] = useState('');
  const [agenda, setAgenda] = useState<AgendaItem[]>([]);
  const [tasks, setTasks] = useState<TaskRow[]>([]);
  const [draftEmpty, setDraftEmpty] = useState(false);
  const draft = useQuery({ ...agendaDraftQuery(api, gridId), enabled: false });
  const items = catalog.data?.items ?? [];
  const english = i18n.language === 'en';

  const save = useMutation({
    mutationFn: (body: DeliberationMeetingRequest) => api.post<DeliberationMeetingView>('/deliberation/meetings', body),
    onSuccess: async (m) => {
      await queryClient.invalidateQueries({ queryKey: [...WORKFORCE_KEY, 'meetings'] });
      onSaved(m);
    },
  });
  const errors = save.error instanceof ApiRequestError ? fieldErrorsByName(save.error.fields) : {};
  const taskErrors = save.error instanceof ApiRequestError ? save.error.fields.filter((f) => f.field.startsWith('tasks')) : [];
  const fieldError = (name: string) =>
    errors[name] ? (
      <p className="admin-field-error" role="alert">
        {errors[name]}
      </p>
    ) : null;

  const loadDraft = async () => {
    if (!gridId) return;
    const result = await draft.refetch();
    if (result.data) {
      setAgenda(result.data.items.map((i) => ({ ...i })));
      setDraftEmpty(result.data.items.length === 0);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate({
      gridId,
      heldOn,
      place: place.trim(),
      host: host.trim(),
      participants: participantsOf(participants),
      agenda: agenda.filter((a) => a.title.trim()).map((a) => ({ ...a, title: a.title.trim() })),
      decisions: linesOf(decisions),
      tasks: tasks
        .filter((task) => task.title.trim())
        .map((task) => ({ title: task.title.trim(), itemCode: task.itemCode, description: task.description.trim() || task.title.trim() })),
    });
  };
  const setAgendaAt = (i: number, patch: Partial<AgendaItem>) => setAgenda((all) => all.map((a, j) => (j === i ? { ...a, ...patch } : a)));
  const setTaskAt = (i: number, patch: Partial<TaskRow>) => setTasks((all) => all.map((x, j) => (j === i ? { ...x, ...patch } : x)));

  return (
    <section className="admin-panel admin-panel-scroll" aria-labelledby="meeting-form-title">
      <h2 id="meeting-form-title">{t('workforce.deliberation.record')}</h2>
      <form className="admin-form" onSubmit={submit} data-testid="meeting-form" noValidate>
        <div className="admin-form-row">
          <div className="admin-field">
            <label htmlFor={ids.grid}>{t('workforce.deliberation.grid')}</label>
            <select id={ids.grid} value={gridId} onChange={(e) => {
                setGridId(e.target.value);
                setDraftEmpty(false);
              }}
              aria-invalid={Boolean(errors.gridId)} data-testid="meeting-grid" required>
              <option value="">{t('workforce.deliberation.chooseGrid')}</option>
              {grids.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.label}
                </option>
              ))}
            </select>
            {fieldError('gridId')}
          </div>
          <div className="admin-field">
            <label htmlFor={ids.heldOn}>{t('workforce.deliberation.heldOn')}</label>
            <DateField id={ids.heldOn} value={heldOn} onChange={setHeldOn} invalid={Boolean(errors.heldOn)} testId="meeting-held-on" />
            {fieldError('heldOn')}
          </div>
        </div>
        <div className="admin-form-row">
          <div className="admin-field">
            <label htmlFor={ids.place}>{t('workforce.deliberation.place')}</label>
            <input id={ids.place} value={place} maxLength={200} onChange={(e) => setPlace(e.target.value)} aria-invalid={Boolean(errors.place)} data-testid="meeting-place" />
            {fieldError('place')}
          </div>
          <div className="admin-field">
            <label htmlFor={ids.host}>{t('workforce.deliberation.host')}</label>
            <input id={ids.host} value={host} maxLength={50} onChange={(e) => setHost(e.target.value)} aria-invalid={Boolean(errors.host)} data-testid="meeting-host" />
            {fieldError('host')}
          </div>
        </div>
        <div className="admin-field admin-field-wide">
          <label htmlFor={ids.participants}>
            {t('workforce.deliberation.participants')} <span className="muted">{t('workforce.deliberation.participantsHint')}</span>
          </label>
          <textarea id={ids.participants} rows={3} value={participants} onChange={(e) => setParticipants(e.target.value)} aria-invalid={Boolean(errors.participants)} data-testid="meeting-participants" />
          {fieldError('participants')}
        </div>

        <fieldset className="admin-fieldset" aria-invalid={Boolean(errors.agenda)}>
          <legend>{t('workforce.deliberation.agenda')}</legend>
          <div className="admin-actions">
            <button type="button" className="admin-button" disabled={!gridId || draft.isFetching} onClick={() => void loadDraft()} data-testid="meeting-draft">
              {draft.isFetching ? t('workforce.deliberation.drafting') : t('workforce.deliberation.draft')}
            </button>
            <button type="button" className="admin-button" onClick={() => setAgenda((a) => [...a, { title: '', source: 'other', ref: null }])}>
              + {t('workforce.deliberation.addAgenda')}
            </button>
          </div>
          {draftEmpty && !draft.isFetching && (
            <p className="admin-hint" role="status" data-testid="meeting-draft-empty">
              {t('workforce.deliberation.draftEmpty')}
            </p>
          )}
          {draft.isError && (
            <p className="admin-field-error" role="alert">
              {t('workforce.failed', { message: draft.error.message })}
            </p>
          )}
          <ol className="workforce-agenda-edit" data-testid="meeting-agenda">
            {agenda.map((a, i) => (
              <li key={i}>
                <select value={a.source} onChange={(e) => setAgendaAt(i, { source: e.target.value as AgendaSource })} aria-label={t('workforce.deliberation.agenda')} className="admin-input">
                  {AGENDA_SOURCES.map((s) => (
                    <option key={s} value={s}>
                      {t(`workforce.deliberation.source.${s}`)}
                    </option>
                  ))}
                </select>
                <input className="admin-input" value={a.title} maxLength={200} onChange={(e) => setAgendaAt(i, { title: e.target.value })} aria-label={t('workforce.deliberation.agenda')} />
                <button type="button" className="admin-button admin-button-small" onClick={() => setAgenda((all) => all.filter((_, j) => j !== i))}>
                  {t('workforce.deliberation.removeAgenda')}
                </button>
              </li>
            ))}
          </ol>
          {fieldError('agenda')}
        </fieldset>

        <div className="admin-field admin-field-wide">
          <label htmlFor={ids.decisions}>
            {t('workforce.deliberation.decisions')} <span className="muted">{t('workforce.deliberation.decisionsHint')}</span>
          </label>
          <textarea id={ids.decisions} rows={3} value={decisions} onChange={(e) => setDecisions(e.target.value)} aria-invalid={Boolean(errors.decisions)} data-testid="meeting-decisions" />
          {fieldError('decisions')}
        </div>

        <fieldset className="admin-fieldset" aria-invalid={taskErrors.length > 0}>
          <legend>{t('workforce.deliberation.tasks')}</legend>
          <p className="admin-hint">{t('workforce.deliberation.tasksHint')}</p>
          {tasks.map((task, i) => (
            <div key={i} className="workforce-task-edit" data-testid="meeting-task-edit">
              <input className="admin-input" value={task.title} maxLength={100} placeholder={t('workforce.deliberation.tasks')} onChange={(e) => setTaskAt(i, { title: e.target.value })} aria-label={t('workforce.deliberation.tasks')} />
              <select className="admin-input" value={task.itemCode} onChange={(e) => setTaskAt(i, { itemCode: e.target.value })} aria-label={t('workforce.activity.byItem')}>
                {items.map((item) => (
                  <option key={item.code} value={item.code}>
                    {english ? item.nameEn : item.name}
                  </option>
                ))}
              </select>
              <button type="button" className="admin-button admin-button-small" onClick={() => setTasks((all) => all.filter((_, j) => j !== i))}>
                {t('workforce.deliberation.removeAgenda')}
              </button>
              {taskErrors
                .filter((f) => f.field.startsWith(`tasks.${i}`) || f.field.startsWith(`tasks[${i}]`))
                .map((f) => (
                  <p key={f.field} className="admin-field-error" role="alert">
                    {f.message}
                  </p>
                ))}
            </div>
          ))}
          <button
            type="button"
            className="admin-button"
            disabled={items.length === 0}
            onClick={() => setTasks((all) => [...all, { title: '', itemCode: items[0]?.code ?? '', description: '' }])}
            data-testid="meeting-add-task"
          >
            + {t('workforce.deliberation.tasks')}
          </button>
        </fieldset>

        {save.error && (
          <p className="admin-field-error" role="alert" data-testid="meeting-error">
            {t('workforce.deliberation.failed', { message: save.error.message })}
          </p>
        )}
        <div className="admin-actions">
          <button type="submit" className="admin-button admin-button-primary" disabled={save.isPending || !gridId} data-testid="meeting-save">
            {save.isPending ? t('workforce.deliberation.saving') : t('workforce.deliberation.save')}
          </button>
          <button type="button" className="admin-button" onClick={onCancel} disabled={save.isPending}>
            {t('workforce.deliberation.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
