import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';
import type { CatalogVersionStatus, CatalogVersionSummary } from '../../../../shared/contracts/catalog.js';
import { useServices } from '../../app/services';
import { formatDateTime } from '../../app/time-format';
import { AdminFrame } from '../admin/AdminFrame';
import { ConfirmDialog } from '../admin/ConfirmDialog';
import { Notice, type NoticeValue } from '../admin/Notice';
import { problemOf, type Problem } from '../admin/problem';
import { DiffView } from './DiffView';
import { diffQuery, useDecision, versionsQuery } from './queries';
import './catalog-approval.css';

type Section = 'drafts' | 'history';

const STATUS_TONE: Record<CatalogVersionStatus, string> = { draft: 'info', active: 'ok', superseded: 'muted', rejected: 'bad' };
const STATUS_MARK: Record<CatalogVersionStatus, string> = { draft: '✎', active: '●', superseded: '○', rejected: '✕' };

export function VersionStatus({ status }: { status: CatalogVersionStatus }) {
  const { t } = useTranslation();
  return (
    <span className="admin-chip" data-tone={STATUS_TONE[status]} data-status={status}>
      {STATUS_MARK[status]} {t(`admin.catalog.status.${status}`)}
    </span>
  );
}

/**
 * The catalog approver's screen (事项清单审核): drafts waiting for a decision, each shown as what
 * it would change against the active catalog, field by field, with approve and reject (with a
 * reason); and the history of every version with what each changed. Nobody decides their own
 * draft: the screen says so before the server would refuse it.
 */
export function CatalogApprovalScreen({ user }: { user: SessionUser }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const versions = useQuery(versionsQuery(api));
  const [section, setSection] = useState<Section>('drafts');
  const [selected, setSelected] = useState<number | null>(null);
  const [notice, setNotice] = useState<NoticeValue | null>(null);
  const all = versions.data?.items ?? [];
  const drafts = all.filter((v) => v.status === 'draft');
  const list = section === 'drafts' ? drafts : all;
  const current = list.find((v) => v.version === selected) ?? list[0] ?? null;

  return (
    <AdminFrame
      user={user}
      title={t('admin.catalog.screenTitle')}
      screen="catalog"
      sections={[
        { id: 'drafts', label: t('admin.catalog.sectionDrafts'), badge: drafts.length },
        { id: 'history', label: t('admin.catalog.sectionHistory') },
      ]}
      current={section}
      onSection={(s) => {
        setSection(s);
        setSelected(null);
      }}
    >
      <div className="admin-split" data-wide-side="true">
        <div className="admin-column">
          <Notice notice={notice} onDismiss={() => setNotice(null)} />
          <section className="admin-panel" style={{ flex: 1 }} aria-labelledby="versions-title">
            <div className="admin-heading">
              <h2 id="versions-title">{section === 'drafts' ? t('admin.catalog.draftsTitle') : t('admin.catalog.historyTitle')}</h2>
              <span className="muted">{t('admin.catalog.count', { count: list.length })}</span>
            </div>
            {versions.isError && (
              <p className="admin-field-error" role="alert">
                {t('admin.common.loadFailed', { message: versions.error.message })}
              </p>
            )}
            {versions.data && list.length === 0 && <p className="admin-empty" data-testid="no-drafts">{section === 'drafts' ? t('admin.catalog.noDrafts') : t('admin.catalog.noVersions')}</p>}
            <ul className="catalog-versions" data-testid="catalog-versions">
              {list.map((v) => (
                <li key={v.version}>
                  <button
                    type="button"
                    className="catalog-version"
                    aria-current={v.version === current?.version ? 'true' : undefined}
                    onClick={() => setSelected(v.version)}
                    data-testid="catalog-version"
                    data-version={v.version}
                  >
                    <span className="catalog-version-head">
                      <span className="admin-strong">{t('admin.catalog.versionN', { version: v.version })}</span>
                      <VersionStatus status={v.status} />
                      <span className="muted catalog-version-items">{t('admin.catalog.items', { count: v.itemCount })}</span>
                    </span>
                    <span className="catalog-version-note">{v.note}</span>
                    <span className="muted catalog-version-meta">
                      {t('admin.catalog.draftedBy', { who: v.createdBy, at: formatDateTime(v.createdAt) })}
                      {v.decidedBy && ` · ${t(v.status === 'rejected' ? 'admin.catalog.rejectedBy' : 'admin.catalog.approvedBy', { who: v.decidedBy, at: formatDateTime(v.decidedAt) })}`}
                    </span>
                  </button>
                </li>
              ))}
            </ul>
          </section>
        </div>
        <div className="admin-column">
          {current ? (
            <VersionPanel key={current.version} version={current} onNotice={setNotice} />
          ) : (
            <section className="admin-panel">
              <p className="admin-empty">{section === 'drafts' ? t('admin.catalog.nothingToDecide') : t('admin.catalog.pick')}</p>
            </section>
          )}
        </div>
      </div>
    </AdminFrame>
  );
}

function VersionPanel({ version: v, onNotice }: { version: CatalogVersionSummary; onNotice(n: NoticeValue): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const diff = useQuery(diffQuery(api, v.version));
  const decide = useDecision();
  const reasonId = useId();
  const [dialog, setDialog] = useState<null | 'approve' | 'reject'>(null);
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const own = diff.data?.authoredByYou ?? false;
  const close = () => {
    setDialog(null);
    setProblem(null);
  };
  const confirm = () => {
    if (!dialog) return;
    decide.mutate(
      { version: v.version, decision: dialog, reason: reason.trim() },
      {
        onSuccess: () => {
          onNotice({ tone: 'ok', text: t(dialog === 'approve' ? 'admin.catalog.approved' : 'admin.catalog.rejected', { version: v.version }) });
          close();
        },
        onError: (err) => {
          const p = problemOf(err, t);
          // Refused outright (own draft, decided meanwhile): nothing to correct in the dialog.
          if (p.code === 'catalog_own_draft' || p.code === 'catalog_version_state') {
            onNotice({ tone: 'bad', text: t('admin.catalog.decisionRefused', { version: v.version }), detail: p.message });
            close();
          } else setProblem(p);
        },
      },
    );
  };

  return (
    <section className="admin-panel admin-panel-scroll" aria-labelledby="version-title" data-testid="version-panel" data-version={v.version}>
      <div className="admin-heading">
        <h2 id="version-title">{t('admin.catalog.versionN', { version: v.version })}</h2>
        <VersionStatus status={v.status} />
        {v.status === 'draft' && (
          <div className="admin-heading-end">
            <button type="button" className="admin-button admin-button-primary" disabled={own || !diff.data} onClick={() => setDialog('approve')} data-testid="catalog-approve">
              ✓ {t('admin.catalog.approve')}
            </button>
            <button type="button" className="admin-button" data-tone="danger" disabled={own || !diff.data} onClick={() => setDialog('reject')} data-testid="catalog-reject">
              ✕ {t('admin.catalog.reject')}
            </button>
          </div>
        )}
      </div>
      <dl className="admin-facts">
        <dt>{t('admin.catalog.note')}</dt>
        <dd data-testid="version-note">{v.note}</dd>
        <dt>{t('admin.catalog.author')}</dt>
        <dd>
          {v.createdBy} · <span className="mono">{formatDateTime(v.createdAt)}</span>
        </dd>
        {v.decidedBy && (
          <>
            <dt>{v.status === 'rejected' ? t('admin.catalog.rejecter') : t('admin.catalog.approver')}</dt>
            <dd>
              {v.decidedBy} · <span className="mono">{formatDateTime(v.decidedAt)}</span>
            </dd>
          </>
        )}
        {v.decisionReason && (
          <>
            <dt>{t('admin.catalog.reason')}</dt>
            <dd data-testid="version-reason">{v.decisionReason}</dd>
          </>
        )}
        {v.activatedAt && (
          <>
            <dt>{t('admin.catalog.activatedAt')}</dt>
            <dd className="mono">{formatDateTime(v.activatedAt)}</dd>
          </>
        )}
      </dl>
      {own && v.status === 'draft' && (
        <p className="admin-rule" data-testid="catalog-own-draft">
          {t('admin.catalog.ownDraft')}
        </p>
      )}
      {diff.isError && (
        <p className="admin-field-error" role="alert">
          {t('admin.common.loadFailed', { message: diff.error.message })}
        </p>
      )}
      {diff.isPending && <p className="admin-empty">{t('admin.common.loading')}</p>}
      {diff.data && <DiffView diff={diff.data} />}

      {dialog && diff.data && (
        <ConfirmDialog
          title={t(dialog === 'approve' ? 'admin.catalog.approveTitle' : 'admin.catalog.rejectTitle', { version: v.version })}
          confirmLabel={t(dialog === 'approve' ? 'admin.catalog.approve' : 'admin.catalog.reject')}
          tone={dialog === 'reject' ? 'danger' : undefined}
          busy={decide.isPending}
          error={problem?.message}
          confirmDisabled={dialog === 'reject' && reason.trim() === ''}
          onConfirm={confirm}
          onCancel={close}
        >
          {dialog === 'approve' ? (
            <p>
              {t('admin.catalog.approveBody', {
                version: v.version,
                against: diff.data.against ?? '—',
                added: diff.data.items.added.length,
                removed: diff.data.items.removed.length,
                changed: diff.data.items.changed.length,
              })}
            </p>
          ) : (
            <div className="admin-field">
              <label htmlFor={reasonId} className="admin-required">
                {t('admin.catalog.reason')}
              </label>
              <textarea id={reasonId} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} placeholder={t('admin.catalog.reasonPlaceholder')} data-testid="catalog-reject-reason" />
            </div>
          )}
        </ConfirmDialog>
      )}
    </section>
  );
}
