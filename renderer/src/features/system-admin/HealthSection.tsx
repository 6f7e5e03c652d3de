import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SystemHealthResponse } from '../../../../shared/contracts/system.js';
import { useServices } from '../../app/services';
import { formatDateTime, formatDuration } from '../../app/time-format';
import { currentLanguage } from '../../i18n/i18n';
import { formatBytes } from '../admin/format';
import { systemHealthQuery } from './queries';

/** A backup older than this is flagged: a county's day of cases is more than anyone wants to lose. */
const BACKUP_STALE_MS = 26 * 3_600_000;
/**
 * SQLite folds the write-ahead log into the database every ~4 MB and then reuses the file, so a
 * WAL far beyond that means checkpoints cannot finish (a reader that never lets go).
 */
const WAL_LARGE_BYTES = 64 * 1024 * 1024;
/** The anchor writer runs every minute when the trail grew; three minutes behind means it is not running. */
const ANCHOR_STALE_MS = 3 * 60_000;

type Tone = 'ok' | 'warn' | 'bad' | 'muted';

function Card({ title, tone, state, children, testId }: { title: string; tone: Tone; state: string; children: ReactNode; testId: string }) {
  return (
    <section className="health-card" data-tone={tone} data-testid={testId} aria-label={title}>
      <header className="health-card-head">
        <h3>{title}</h3>
        <span className="admin-chip" data-tone={tone}>
          {tone === 'ok' ? '●' : tone === 'muted' ? '○' : '▲'} {state}
        </span>
      </header>
      <dl className="admin-facts">{children}</dl>
    </section>
  );
}

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </>
  );
}

/**
 * How the server is doing, at a glance: service, database, connections, last backup, audit
 * anchors and retention, each with a state word. Ages are counted on the server's clock (its
 * answer carries it), so a console with a wrong clock still reads them right.
 */
export function HealthSection() {
  const { t } = useTranslation();
  const { api } = useServices();
  const health = useQuery(systemHealthQuery(api));
  if (health.isError) {
    return (
      <p className="admin-field-error" role="alert">
        {t('admin.common.loadFailed', { message: health.error.message })}
      </p>
    );
  }
  if (!health.data) return <p className="admin-empty">{t('admin.common.loading')}</p>;
  return <HealthCards h={health.data} refreshing={health.isFetching} onRefresh={() => void health.refetch()} />;
}

function HealthCards({ h, refreshing, onRefresh }: { h: SystemHealthResponse; refreshing: boolean; onRefresh(): void }) {
  const { t } = useTranslation();
  const lang = currentLanguage();
  const now = Date.parse(h.serverTime);
  const age = (iso: string) => formatDuration(now - Date.parse(iso), lang);
  const backupAge = h.lastBackup ? now - Date.parse(h.lastBackup.at) : null;
  const backupTone: Tone = backupAge === null ? 'bad' : backupAge > BACKUP_STALE_MS ? 'warn' : 'ok';
  const anchorBehind = h.audit.unanchored > 0 && h.audit.lastAnchorAt !== null && now - Date.parse(h.audit.lastAnchorAt) > ANCHOR_STALE_MS;
  const anchorTone: Tone = h.audit.lastAnchorAt === null || anchorBehind ? 'warn' : 'ok';
  const walLarge = h.database.walBytes > WAL_LARGE_BYTES;
  const run = h.retention.lastRun;
  return (
    <div className="health" data-testid="system-health">
      <div className="admin-heading">
        <h2>{t('admin.system.healthTitle')}</h2>
        <span className="muted">{t('admin.system.asOf', { time: formatDateTime(h.serverTime) })}</span>
        <div className="admin-heading-end">
          <button type="button" className="admin-button" onClick={onRefresh} disabled={refreshing} data-testid="health-refresh">
            {refreshing ? t('admin.common.working') : t('admin.system.refresh')}
          </button>
        </div>
      </div>
      <div className="health-grid">
        <Card title={t('admin.system.service')} tone="ok" state={t('admin.system.running')} testId="health-service">
          <Fact label={t('admin.system.version')} testId="health-version">
            {h.version}
          </Fact>
          <Fact label={t('admin.system.uptime')} testId="health-uptime">
            {formatDuration(h.uptimeSeconds * 1000, lang)}
          </Fact>
          <Fact label={t('admin.system.startedAt')}>{formatDateTime(h.startedAt)}</Fact>
          <Fact label={t('admin.system.runtime')}>Node {h.node}</Fact>
          <Fact label={t('admin.system.mode')}>{h.demo ? t('admin.system.demoMode') : t('admin.system.liveMode')}</Fact>
        </Card>
        <Card title={t('admin.system.database')} tone={walLarge ? 'warn' : 'ok'} state={walLarge ? t('admin.system.walLarge') : t('admin.system.healthy')} testId="health-database">
          <Fact label={t('admin.system.dbSize')} testId="health-db-size">
            {formatBytes(h.database.fileBytes)}
          </Fact>
          <Fact label={t('admin.system.walSize')} testId="health-wal-size">
            {formatBytes(h.database.walBytes)}
          </Fact>
          <Fact label={t('admin.system.freeSpace')}>{formatBytes(h.database.freeBytes)}</Fact>
          <Fact label={t('admin.system.events')}>{t('admin.system.eventsValue', { events: h.database.events.toLocaleString(), open: h.database.openEvents.toLocaleString() })}</Fact>
          <Fact label={t('admin.system.seq')}>{h.database.seq.toLocaleString()}</Fact>
        </Card>
        <Card title={t('admin.system.connections')} tone="ok" state={t('admin.system.socketsState', { count: h.sockets })} testId="health-sockets">
          <Fact label={t('admin.system.sockets')} testId="health-socket-count">
            {h.sockets}
          </Fact>
          <Fact label={t('admin.system.socketsWho')}>{t('admin.system.socketsWhoValue')}</Fact>
        </Card>
        <Card
          title={t('admin.system.backup')}
          tone={backupTone}
          state={h.lastBackup ? (backupTone === 'ok' ? t('admin.system.backupRecent') : t('admin.system.backupOld')) : t('admin.system.backupNone')}
          testId="health-backup"
        >
          {h.lastBackup ? (
            <>
              <Fact label={t('admin.system.backupAt')} testId="health-backup-at">
                {formatDateTime(h.lastBackup.at)} ({t('admin.system.ago', { age: age(h.lastBackup.at) })})
              </Fact>
              <Fact label={t('admin.system.backupFile')}>
                <span className="mono">{h.lastBackup.file}</span>
              </Fact>
              <Fact label={t('admin.system.backupSize')}>{formatBytes(h.lastBackup.bytes)}</Fact>
              <Fact label={t('admin.system.backupSince')}>{t('admin.system.changesSince', { count: Math.max(0, h.database.seq - h.lastBackup.lastSeq) })}</Fact>
            </>
          ) : (
            <Fact label={t('admin.system.backupAt')} testId="health-backup-at">
              {t('admin.system.backupNoneHint')}
            </Fact>
          )}
        </Card>
        <Card title={t('admin.system.audit')} tone={anchorTone} state={anchorTone === 'ok' ? t('admin.system.anchored') : t('admin.system.anchorBehind')} testId="health-audit">
          <Fact label={t('admin.system.auditRecords')} testId="health-audit-records">
            {h.audit.records.toLocaleString()}
          </Fact>
          <Fact label={t('admin.system.lastAnchor')}>
            {h.audit.lastAnchorAt ? `${formatDateTime(h.audit.lastAnchorAt)} · #${h.audit.anchoredSeq}` : t('admin.system.noAnchor')}
          </Fact>
          <Fact label={t('admin.system.unanchored')}>{h.audit.unanchored}</Fact>
          <Fact label={t('admin.system.anchorFile')}>
            <span className="mono">{h.audit.anchorFile}</span>
          </Fact>
          <Fact label={t('admin.system.syslog')}>{h.audit.syslog ?? t('admin.system.syslogNone')}</Fact>
        </Card>
        <Card title={t('admin.system.retention')} tone={run?.error ? 'bad' : 'ok'} state={run?.error ? t('admin.system.pruneFailed') : t('admin.system.pruneOk')} testId="health-retention">
          <Fact label={t('admin.system.positions')}>
            {t('admin.system.keptRows', { rows: h.retention.positions.rows.toLocaleString(), days: h.retention.settings.positionTrailDays })}
          </Fact>
          <Fact label={t('admin.system.keys')}>
            {t('admin.system.keptRows', { rows: h.retention.idempotencyKeys.rows.toLocaleString(), days: h.retention.settings.idempotencyKeyDays })}
          </Fact>
          <Fact label={t('admin.system.lastPrune')}>
            {run ? t('admin.system.lastPruneValue', { at: formatDateTime(run.at), count: run.deleted.positions + run.deleted.intakeKeys + run.deleted.actionKeys }) : '—'}
          </Fact>
          <Fact label={t('admin.system.auditKept')}>{t('admin.system.auditNeverPruned')}</Fact>
        </Card>
      </div>
    </div>
  );
}
