import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { TimelineEntry, TimelineMaster } from '../../../../shared/contracts/workflow.js';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { useNow } from '../../app/use-now';
import { isLanguage } from '../../i18n/i18n';
import { timelineQuery } from '../case-actions/queries';
import type { Translate } from '../case-actions/wording';
import type { RegionIndex } from '../regions/region-index';
import { AttachmentThumbs } from './Attachments';
import { detailRows, entryLabel, entryTone, timelineStamp } from './timeline-format';

function Entry({ entry, event, now }: { entry: TimelineEntry; event: EventRecord; now: number }) {
  const { t, i18n } = useTranslation();
  const tr = t as unknown as Translate;
  const teamName =
    entry.teamId === null ? null : typeof entry.details.teamName === 'string' ? entry.details.teamName : entry.teamId === event.teamId ? (event.teamName ?? entry.teamId) : entry.teamId;
  const who = entry.actor ? `${entry.actor.displayName}${entry.actor.role ? ` · ${t(`roles.${entry.actor.role}`)}` : ''}` : t('timeline.machine');
  const forTeam = teamName && entry.action !== 'dispatch' ? (entry.actor?.role === 'field_worker' ? teamName : t('timeline.onBehalf', { team: teamName })) : null;
  const moved = entry.from !== null && entry.from !== entry.to;
  const rows = detailRows(tr, entry);
  const stamp = timelineStamp(entry.at, now, isLanguage(i18n.language) ? i18n.language : 'zh-CN');
  return (
    <li className="tl-entry" data-tone={entryTone(entry)} data-action={entry.action} data-seq={entry.seq}>
      <time className="tl-time" dateTime={entry.at} title={formatDateTime(entry.at)} data-earlier={stamp.date !== null}>
        {stamp.date && <span className="tl-date">{stamp.date}</span>}
        <span className="tl-clock">{stamp.time}</span>
      </time>
      <div className="tl-body">
        <div className="tl-head">
          <strong className="tl-label">{entryLabel(tr, entry)}</strong>
          {moved && <span className="tl-transition">{t('timeline.transition', { from: t(`status.${entry.from}`), to: t(`status.${entry.to}`) })}</span>}
        </div>
        <div className="tl-who">
          <span className="tl-actor" data-machine={entry.actor === null}>
            {who}
          </span>
          {entry.auto && entry.actor !== null && <span className="tag">{t('timeline.auto')}</span>}
          {forTeam && <span className="tl-team">{forTeam}</span>}
        </div>
        {entry.note && <p className="tl-note">{entry.note}</p>}
        {rows.length > 0 && (
          <dl className="tl-details">
            {rows.map((row) => (
              <div key={row.key} className="tl-detail">
                <dt>{row.label}</dt>
                <dd className={row.mono ? 'mono' : undefined}>{row.value}</dd>
              </div>
            ))}
          </dl>
        )}
        {entry.position && (
          <div className="tl-extra">
            {t('timeline.position')} <span className="mono">{`${entry.position.lon.toFixed(5)}, ${entry.position.lat.toFixed(5)}`}</span>
          </div>
        )}
        {entry.attachments.length > 0 && (
          <div className="tl-extra" title={entry.attachments.map((a) => a.name).join(t('list.separator'))}>
            {t('timeline.attachments', { count: entry.attachments.length })}
            <AttachmentThumbs attachments={entry.attachments} />
          </div>
        )}
      </div>
    </li>
  );
}

/** The master's timeline under a merged case, or, when it lies in a town outside the user's scope, where and in which state it is handled. */
function MasterPart({ master, event, index, now }: { master: TimelineMaster; event: EventRecord; index: RegionIndex; now: number }) {
  const { t } = useTranslation();
  if (master.withheld) {
    return (
      <div className="callout tl-master-withheld" data-tone="info" data-testid="master-withheld" data-master-id={master.eventId}>
        <strong>{t('detail.masterWithheld', { id: master.eventId, town: index.get(master.townId)?.name ?? master.townId, status: t(`status.${master.status}`) })}</strong>
        <span className="muted">{t('detail.masterWithheldHint')}</span>
      </div>
    );
  }
  return (
    <>
      <h4 className="detail-section-title tl-master-title">{t('detail.masterTimeline', { id: master.eventId })}</h4>
      <ol className="tl-list" data-master="true">
        {[...master.entries].reverse().map((entry) => (
          <Entry key={`m-${entry.seq}`} entry={entry} event={event} now={now} />
        ))}
      </ol>
    </>
  );
}

/**
 * The case's timeline, newest first: who (name, role, team), when, what, note and facts. It is
 * read again whenever the case changes (the query key carries its seq), so every console sees
 * each step as it lands; the previous answer stays on screen while the new one loads.
 */
export function CaseTimeline({ event, index }: { event: EventRecord; index: RegionIndex }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const now = useNow(60_000);
  const timeline = useQuery({
    ...timelineQuery(api, event.id, event.seq),
    placeholderData: (previous, query) => (query?.queryKey[1] === event.id ? previous : undefined),
  });

  return (
    <section className="detail-section timeline" aria-labelledby="timeline-title" data-testid="timeline" aria-busy={timeline.isFetching}>
      <h3 id="timeline-title" className="detail-section-title">
        {t('detail.timeline')}
      </h3>
      {timeline.isPending && <p className="muted">{t('detail.timelineLoading')}</p>}
      {timeline.isError && !timeline.data && (
        <p className="detail-problem" role="alert">
          {t('detail.timelineError', { message: timeline.error.message })}
        </p>
      )}
      {timeline.data && timeline.data.entries.length === 0 && <p className="muted">{t('detail.timelineEmpty')}</p>}
      {timeline.data && (
        <ol className="tl-list">
          {[...timeline.data.entries].reverse().map((entry) => (
            <Entry key={entry.seq} entry={entry} event={event} now={now} />
          ))}
        </ol>
      )}
      {timeline.data?.master && <MasterPart master={timeline.data.master} event={event} index={index} now={now} />}
    </section>
  );
}
