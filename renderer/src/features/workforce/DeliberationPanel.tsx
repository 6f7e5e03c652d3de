import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rolesAllow, type SessionUser } from '../../../../shared/contracts/auth.js';
import type { DeliberationMeetingView } from '../../../../shared/contracts/deliberation.js';
import { navigate } from '../../app/route';
import { selectEvent } from '../../app/selection';
import { useServices } from '../../app/services';
import { useTownOptions } from '../analysis/use-towns';
import { TownSelect } from '../../app/ui/TownSelect';
import { DetailState, ReadFailed } from './DetailState';
import { MeetingForm } from './MeetingForm';
import { WORKFORCE_KEY, meetingQuery, meetingsQuery } from './queries';
import { countyDay, dayText, taskIsOpen } from './workforce-view';

/**
 * 网格议事日: the deliberation days of the user's towns, newest first; one opens with its agenda,
 * decisions and follow-up tasks, each task with its case's state now (a link opens the case on
 * the console). The grid office records a new one, starting from the grid's agenda draft.
 */
export function DeliberationPanel({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const [town, setTown] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const [recording, setRecording] = useState(false);
  const [today] = useState(() => countyDay(new Date()));
  const towns = useTownOptions(user);
  const meetings = useQuery(meetingsQuery(api, town));
  const canManage = rolesAllow(user.roles, 'workforce:manage');
  const items = meetings.data?.items ?? [];

  return (
    <div className="admin-split workforce-split">
      <div className="admin-column">
        <section className="admin-panel" style={{ flex: 1 }} aria-labelledby="meetings-title">
          <div className="admin-heading">
            <h2 id="meetings-title">{t('workforce.deliberation.meetings')}</h2>
            <span className="muted" data-testid="meetings-total">
              {meetings.data ? t('workforce.deliberation.total', { total: meetings.data.total }) : ''}
            </span>
            <div className="admin-heading-end">
              {canManage && (
                <button
                  type="button"
                  className="admin-button admin-button-primary"
                  onClick={() => {
                    setRecording(true);
                    setSelected(null);
                  }}
                  data-testid="meeting-new"
                >
                  + {t('workforce.deliberation.record')}
                </button>
              )}
            </div>
          </div>
          {towns.length > 1 && (
            <div className="admin-filters">
              <TownSelect towns={towns} value={town} onChange={setTown} className="admin-field" />
            </div>
          )}
          {meetings.isError ? (
            <ReadFailed error={meetings.error} retry={() => void meetings.refetch()} />
          ) : (
            <div className="admin-table-wrap">
              <table className="admin-table" data-testid="meetings-table" aria-label={t('workforce.deliberation.meetings')}>
                <thead>
                  <tr>
                    <th scope="col">{t('workforce.deliberation.heldOn')}</th>
                    <th scope="col">{t('workforce.deliberation.grid')}</th>
                    <th scope="col">{t('workforce.deliberation.host')}</th>
                    <th scope="col">{t('workforce.deliberation.tasks')}</th>
                    <th scope="col">{t('workforce.deliberation.notice')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((m) => (
                    <tr
                      key={m.id}
                      data-selectable="true"
                      aria-selected={m.id === selected}
                      onClick={() => {
                        setSelected(m.id);
                        setRecording(false);
                      }}
                      data-testid="meeting-row"
                    >
                      <td className="num">
                        <button
                          type="button"
                          className="admin-row-link"
                          onClick={() => {
                            setSelected(m.id);
                            setRecording(false);
                          }}
                        >
                          {m.heldOn}
                        </button>
                      </td>
                      <td>
                        {m.town.name} › {m.grid.name}
                      </td>
                      <td>{m.host}</td>
                      <td>
                        <TaskSummary meeting={m} />
                      </td>
                      <td>{m.publishedAt ? `✓ ${dayText(m.publishedAt, '')}` : <span className="muted">{t('workforce.deliberation.unpublished')}</span>}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {meetings.data && items.length === 0 && <p className="admin-empty">{t('workforce.deliberation.empty')}</p>}
              {meetings.isPending && (
                <p className="admin-empty" aria-busy="true">
                  <span className="spinner" aria-hidden="true" /> {t('workforce.loading')}
                </p>
              )}
            </div>
          )}
        </section>
      </div>
      <div className="admin-column workforce-side">
        {recording ? (
          <MeetingForm
            user={user}
            today={today}
            onCancel={() => setRecording(false)}
            onSaved={(m) => {
              setRecording(false);
              setSelected(m.id);
            }}
          />
        ) : selected ? (
          <MeetingDetail key={selected} id={selected} canManage={canManage} />
        ) : (
          <section className="admin-panel">
            <p className="admin-empty">{t('workforce.deliberation.select')}</p>
          </section>
        )}
      </div>
    </div>
  );
}

function TaskSummary({ meeting }: { meeting: DeliberationMeetingView }) {
  const { t } = useTranslation();
  const s = meeting.summary;
  return (
    <span className="workforce-task-summary">
      {t('workforce.deliberation.taskCount', { count: s.tasks })}
      {s.tasks > 0 && (
        <>
          {' · '}
          <span data-tone="ok">✓ {t('workforce.deliberation.closedCount', { count: s.closed })}</span>
          {' · '}
          <span>◷ {t('workforce.deliberation.openCount', { count: s.open })}</span>
          {s.overdue > 0 && <span data-tone="bad"> · ⚠ {t('workforce.deliberation.overdueCount', { count: s.overdue })}</span>}
        </>
      )}
    </span>
  );
}

function MeetingDetail({ id, canManage }: { id: string; canManage: boolean }) {
  const { t } = useTranslation();
  const { api, selection, platform } = useServices();
  const meeting = useQuery(meetingQuery(api, id));
  const openCase = (eventId: string) => {
    selectEvent(selection, eventId, 'link', true);
    navigate('console');
  };
  return (
    <DetailState query={meeting}>
      {(m) => (
        <section className="admin-panel admin-panel-scroll" aria-labelledby="meeting-title" data-testid="meeting-detail">
          <div className="admin-heading">
            <h2 id="meeting-title">
              {m.grid.name} · {m.heldOn}
            </h2>
            <TaskSummary meeting={m} />
          </div>
          <dl className="workforce-fields">
            <div className="workforce-field">
              <dt>{t('workforce.deliberation.place')}</dt>
              <dd>{m.place}</dd>
            </div>
            <div className="workforce-field">
              <dt>{t('workforce.deliberation.host')}</dt>
              <dd>{m.host}</dd>
            </div>
            <div className="workforce-field workforce-field-wide">
              <dt>{t('workforce.deliberation.participants')}</dt>
              <dd>{m.participants.map((p) => (p.role ? `${p.name}（${p.role}）` : p.name)).join('、')}</dd>
            </div>
          </dl>
          <h3>{t('workforce.deliberation.agenda')}</h3>
          {m.agenda.length === 0 && <p className="muted">{t('workforce.deliberation.noAgenda')}</p>}
          <ol className="workforce-agenda">
            {m.agenda.map((a, i) => (
              <li key={i}>
                <span className="admin-chip">{t(`workforce.deliberation.source.${a.source}`)}</span> {a.title}
              </li>
            ))}
          </ol>
          <h3>{t('workforce.deliberation.decisions')}</h3>
          <ol className="workforce-agenda">
            {m.decisions.map((d, i) => (
              <li key={i}>{d}</li>
            ))}
          </ol>
          <h3>{t('workforce.deliberation.tasks')}</h3>
          <ul className="workforce-tasks" data-testid="meeting-tasks">
            {m.tasks.map((task) => (
              <li key={task.seq} className="workforce-task" data-open={taskIsOpen(task.status)} data-overdue={task.overdue} data-testid="meeting-task">
                <div className="workforce-task-head">
                  <strong>
                    {task.seq}. {task.title}
                  </strong>
                  <span className="workforce-case-status" data-testid="meeting-task-status">
                    {task.overdue ? '⚠ ' : taskIsOpen(task.status) ? '◷ ' : '✓ '}
                    {t(`status.${task.status}`, { defaultValue: task.status })}
                  </span>
                </div>
                <div className="workforce-task-meta muted">
                  <span className="mono">{task.eventId}</span> · {task.itemName}
                  {task.closedAt
                    ? ` · ${t('workforce.deliberation.closedAt', { time: dayText(task.closedAt, '') })}`
                    : task.dueAt
                      ? ` · ${t('workforce.deliberation.due', { time: dayText(task.dueAt, '') })}`
                      : ''}
                  <button type="button" className="admin-button admin-button-small" onClick={() => openCase(task.eventId)} data-testid="meeting-task-open">
                    {t('workforce.deliberation.openCase')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
          <h3>{t('workforce.deliberation.notice')}</h3>
          {m.notice ? (
            <>
              <p className="workforce-notice">{m.notice}</p>
              <p className="muted">
                {t('workforce.deliberation.published', { time: dayText(m.publishedAt, '') })} ·{' '}
                <a href={new URL(`/public/deliberation/${encodeURIComponent(m.id)}`, platform.serverUrl || window.location.origin).href} target="_blank" rel="noopener noreferrer" data-testid="meeting-public-page">
                  {t('workforce.deliberation.publicPage')}
                </a>
              </p>
            </>
          ) : (
            <p className="muted">{t('workforce.deliberation.unpublished')}</p>
          )}
          {canManage && <NoticeForm meeting={m} />}
        </section>
      )}
    </DetailState>
  );
}

/** 公示: the notice residents read on the meeting's public page; publishing again replaces it. */
function NoticeForm({ meeting }: { meeting: DeliberationMeetingView }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const queryClient = useQueryClient();
  const noticeId = useId();
  const [text, setText] = useState(meeting.notice ?? '');
  const publish = useMutation({
    mutationFn: (notice: string) => api.post<DeliberationMeetingView>(`/deliberation/meetings/${encodeURIComponent(meeting.id)}/notice`, { notice }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(meetingQuery(api, meeting.id).queryKey, saved);
      await queryClient.invalidateQueries({ queryKey: [...WORKFORCE_KEY, 'meetings'] });
    },
  });
  return (
    <form
      className="admin-form"
      onSubmit={(e) => {
        e.preventDefault();
        if (text.trim()) publish.mutate(text.trim());
      }}
      data-testid="meeting-notice-form"
    >
      <div className="admin-field admin-field-wide">
        <label htmlFor={noticeId}>{t('workforce.deliberation.noticeHint')}</label>
        <textarea id={noticeId} rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} data-testid="meeting-notice" />
      </div>
      {publish.error && (
        <p className="admin-field-error" role="alert">
          {t('workforce.deliberation.failed', { message: publish.error.message })}
        </p>
      )}
      <div className="admin-actions">
        <button type="submit" className="admin-button" disabled={publish.isPending || !text.trim()} data-testid="meeting-publish">
          {publish.isPending ? t('workforce.deliberation.publishing') : meeting.notice ? t('workforce.deliberation.republish') : t('workforce.deliberation.publish')}
        </button>
      </div>
    </form>
  );
}
