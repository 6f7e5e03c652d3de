import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../shared/contracts/events.js';
import { offlineMadeAt } from '../../../shared/contracts/made-at.js';
import type { Attachment, TimelineEntry, TimelineResponse } from '../../../shared/contracts/workflow.js';
import { formatWhen } from '../app/time-format';
import { useNow } from '../app/use-now';
import { useField } from './field-context';

type TimelineState = { data: TimelineResponse | null; error: string | null; loading: boolean };

/**
 * The case's timeline, read again whenever the case changes (its seq); the last one read stays
 * on the phone for this session, so a screen reopened offline still shows it.
 */
export function useTimeline(event: Pick<EventRecord, 'id' | 'seq'>): TimelineState {
  const { api, timelines } = useField();
  const key = `${event.id}@${event.seq}`;
  const [answer, setAnswer] = useState<{ key: string; data: TimelineResponse | null; error: string | null } | null>(null);
  useEffect(() => {
    let cancelled = false;
    api
      .get<TimelineResponse>(`/events/${event.id}/timeline`)
      .then((data) => {
        timelines.set(event.id, data);
        if (!cancelled) setAnswer({ key, data, error: null });
      })
      .catch((err: unknown) => {
        if (!cancelled) setAnswer({ key, data: null, error: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      cancelled = true;
    };
  }, [api, timelines, event.id, key]);
  const data = (answer?.key === key ? answer.data : null) ?? timelines.get(event.id) ?? null;
  return { data, error: answer?.key === key ? answer.error : null, loading: answer?.key !== key };
}

/** A stored photo read with the session's token (an `<img src>` cannot send it), shown through an object URL. */
function Photo({ attachment, size, onOpen }: { attachment: Attachment; size: 'thumb' | 'full'; onOpen?: () => void }) {
  const { t } = useTranslation();
  const { api } = useField();
  const [blob, setBlob] = useState<Blob | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let cancelled = false;
    api
      .getBlob(`/attachments/${encodeURIComponent(attachment.id)}${size === 'thumb' ? '/thumb' : ''}`)
      .then((b) => !cancelled && setBlob(b))
      .catch(() => !cancelled && setFailed(true));
    return () => {
      cancelled = true;
    };
  }, [api, attachment.id, size]);
  const attach = useCallback(
    (img: HTMLImageElement | null) => {
      if (!img || !blob) return;
      const url = URL.createObjectURL(blob);
      img.src = url;
      return () => URL.revokeObjectURL(url);
    },
    [blob],
  );
  const body = blob ? <img ref={attach} alt={attachment.name} data-testid={size === 'thumb' ? 'field-handling-photo' : 'field-photo-full'} /> : <span className="f-photo-wait">{failed ? t('task.handling.photoOffline') : '…'}</span>;
  if (!onOpen) return body;
  return (
    <button type="button" className="f-photo f-photo-button" onClick={onOpen} aria-label={attachment.name} data-attachment-id={attachment.id}>
      {body}
    </button>
  );
}

/**
 * 处置情况 on the verifier's screen: what the handling team reported back (result, when, who) and
 * its photos, from the case's timeline, so the verifier checks the work against it on site.
 */
export function HandlingReport({ event }: { event: EventRecord }) {
  const { t } = useTranslation();
  const timeline = useTimeline(event);
  const now = useNow(60_000);
  const [open, setOpen] = useState<Attachment | null>(null);
  const report = [...(timeline.data?.entries ?? [])].reverse().find((e) => e.action === 'report');
  const result = typeof report?.details.result === 'string' ? report.details.result : event.result;
  const photos = report?.attachments ?? [];
  return (
    <section className="f-handling" data-testid="field-handling">
      <h2 className="f-h2">{t('task.handling.title')}</h2>
      {timeline.loading && !timeline.data && <p className="f-note">{t('task.handling.loading')}</p>}
      {timeline.error && !timeline.data && <p className="f-note">{t('task.handling.failed', { message: timeline.error })}</p>}
      <dl className="f-facts f-facts-tight">
        <dt>{t('task.handling.team')}</dt>
        <dd>{event.teamName ?? '—'}</dd>
        <dt>{t('task.handling.result')}</dt>
        <dd className="f-handling-result" data-testid="field-handling-result">
          {result ?? '—'}
        </dd>
        {report && (
          <>
            <dt>{t('task.handling.at')}</dt>
            <dd>
              <EntryTime entry={report} now={now} />
            </dd>
          </>
        )}
      </dl>
      {report && (
        <>
          <h3 className="f-h3">{photos.length > 0 ? t('task.handling.photos', { count: photos.length }) : t('task.handling.noPhotos')}</h3>
          {photos.length > 0 && (
            <div className="f-photo-grid">
              {photos.map((a) => (
                <Photo key={a.id} attachment={a} size="thumb" onOpen={() => setOpen(a)} />
              ))}
            </div>
          )}
        </>
      )}
      {open && (
        <div className="f-viewer" role="dialog" aria-label={open.name} data-testid="field-photo-viewer">
          <Photo attachment={open} size="full" />
          <button type="button" className="f-btn f-btn-primary f-btn-huge" onClick={() => setOpen(null)}>
            {t('task.handling.close')}
          </button>
        </div>
      )}
    </section>
  );
}

/** When a step was recorded; for one made on a phone offline, when it was made there and when it arrived. */
function EntryTime({ entry, now }: { entry: TimelineEntry; now: number }) {
  const { t } = useTranslation();
  const made = offlineMadeAt(entry.details, entry.at);
  if (!made) return <>{formatWhen(entry.at, now)}</>;
  return (
    <span className="f-made" data-testid="field-made-received" data-made-at={made} data-at={entry.at}>
      {t('task.madeReceived', { made: formatWhen(made, now), received: formatWhen(entry.at, now) })}
    </span>
  );
}

/** 办理记录: the case's steps, newest first: when, what, who. */
export function CaseHistory({ event }: { event: EventRecord }) {
  const { t } = useTranslation();
  const timeline = useTimeline(event);
  const now = useNow(60_000);
  const entries = [...(timeline.data?.entries ?? [])].reverse();
  if (entries.length === 0) return null;
  const label = (e: TimelineEntry) => t(`actions.${e.action}`, { defaultValue: t(`systemEntry.${e.action}`, { defaultValue: e.action }) });
  return (
    <section className="f-history" data-testid="field-history">
      <h2 className="f-h2">{t('task.history')}</h2>
      <ol className="f-history-list">
        {entries.map((e) => (
          <li key={e.seq} data-action={e.action}>
            <span className="f-history-time">
              <EntryTime entry={e} now={now} />
            </span>
            <span className="f-history-what">
              <strong>{label(e)}</strong> {e.actor ? e.actor.displayName : t('task.machine')}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
