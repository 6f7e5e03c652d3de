import { useTranslation } from 'react-i18next';
import type { CatalogDiffResponse, CatalogEntryChange } from '../../../../shared/contracts/catalog-diff.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import { formatLimit } from '../admin/format';
import { fieldLabel, fieldValue } from './diff-format';

function ChangedEntries({ entries, kind }: { entries: readonly CatalogEntryChange[]; kind: 'item' | 'referral' }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  return (
    <>
      {entries.map((entry) => (
        <article key={entry.code} className="catalog-change" data-testid={`diff-changed-${kind}`} data-code={entry.code}>
          <h4>
            <span className="admin-chip" data-tone="warn">
              ～ {t('admin.catalog.changed')}
            </span>
            <span className="mono">{entry.code}</span> {en ? entry.nameEn : entry.name}
          </h4>
          <table className="admin-table catalog-field-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.catalog.fieldCol')}</th>
                <th scope="col">{t('admin.catalog.before')}</th>
                <th scope="col" aria-hidden="true" />
                <th scope="col">{t('admin.catalog.after')}</th>
              </tr>
            </thead>
            <tbody>
              {entry.fields.map((f) => (
                <tr key={f.path} data-path={f.path}>
                  <td className="catalog-field-name">{fieldLabel(t, f.path)}</td>
                  <td className="catalog-before">{fieldValue(t, f.path, f.before)}</td>
                  <td className="catalog-arrow" aria-label={t('admin.catalog.becomes')}>
                    →
                  </td>
                  <td className="catalog-after">{fieldValue(t, f.path, f.after)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </article>
      ))}
    </>
  );
}

function ItemList({ items, kind }: { items: readonly CatalogItem[]; kind: 'added' | 'removed' }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  if (items.length === 0) return null;
  return (
    <table className="admin-table catalog-item-table" data-testid={`diff-${kind}-items`} data-kind={kind}>
      <thead>
        <tr>
          <th scope="col">{t('admin.catalog.code')}</th>
          <th scope="col">{t('admin.catalog.field.name')}</th>
          <th scope="col">{t('admin.catalog.field.categoryName')}</th>
          <th scope="col">{t('admin.catalog.field.teamType')}</th>
          <th scope="col">{t('admin.catalog.field.urgencies')}</th>
          <th scope="col">{t('admin.catalog.handleAtDefault')}</th>
          <th scope="col">{t('admin.catalog.field.department')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((item) => (
          <tr key={item.code} data-code={item.code}>
            <td className="mono">
              <span className="admin-chip" data-tone={kind === 'added' ? 'ok' : 'bad'}>
                {kind === 'added' ? '＋' : '－'} {t(`admin.catalog.${kind}`)}
              </span>{' '}
              {item.code}
            </td>
            <td className="admin-strong">{en ? item.nameEn : item.name}</td>
            <td>{en ? item.categoryNameEn : item.categoryName}</td>
            <td>{t(`teamType.${item.teamType}`)}</td>
            <td>{item.urgencies.join(t('list.separator'))}</td>
            <td>{formatLimit(t, item.handleLimit)}</td>
            <td>{item.department}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** What a version changes: counts first, then changed items field by field, added and removed items, referrals. */
export function DiffView({ diff }: { diff: CatalogDiffResponse }) {
  const { t } = useTranslation();
  const { items, referrals } = diff;
  const nothing = items.added.length + items.removed.length + items.changed.length + referrals.added.length + referrals.removed.length + referrals.changed.length === 0;
  return (
    <div className="catalog-diff" data-testid="catalog-diff">
      <p className="catalog-diff-summary" data-testid="diff-summary">
        {diff.against === null ? t('admin.catalog.againstNone') : t('admin.catalog.against', { version: diff.against })}
        <span className="admin-chip" data-tone="ok">
          ＋ {t('admin.catalog.addedCount', { count: items.added.length })}
        </span>
        <span className="admin-chip" data-tone="bad">
          － {t('admin.catalog.removedCount', { count: items.removed.length })}
        </span>
        <span className="admin-chip" data-tone="warn">
          ～ {t('admin.catalog.changedCount', { count: items.changed.length })}
        </span>
        <span className="admin-chip" data-tone="muted">
          = {t('admin.catalog.unchangedCount', { count: items.unchanged })}
        </span>
      </p>
      {nothing && <p className="admin-info">{t('admin.catalog.noChange')}</p>}
      {items.changed.length > 0 && <h3>{t('admin.catalog.changedItems', { count: items.changed.length })}</h3>}
      <ChangedEntries entries={items.changed} kind="item" />
      {items.added.length > 0 && <h3>{t('admin.catalog.addedItems', { count: items.added.length })}</h3>}
      <ItemList items={items.added} kind="added" />
      {items.removed.length > 0 && <h3>{t('admin.catalog.removedItems', { count: items.removed.length })}</h3>}
      {items.removed.length > 0 && <p className="admin-hint">{t('admin.catalog.removedHint')}</p>}
      <ItemList items={items.removed} kind="removed" />
      {referrals.added.length + referrals.removed.length + referrals.changed.length > 0 && (
        <>
          <h3>{t('admin.catalog.referrals')}</h3>
          <ul className="catalog-referrals">
            {referrals.added.map((r) => (
              <li key={`a${r.code}`}>
                <span className="admin-chip" data-tone="ok">
                  ＋ {t('admin.catalog.added')}
                </span>{' '}
                <span className="mono">{r.code}</span> {r.name} → {r.receivingBody}
              </li>
            ))}
            {referrals.removed.map((r) => (
              <li key={`r${r.code}`}>
                <span className="admin-chip" data-tone="bad">
                  － {t('admin.catalog.removed')}
                </span>{' '}
                <span className="mono">{r.code}</span> {r.name} → {r.receivingBody}
              </li>
            ))}
          </ul>
          <ChangedEntries entries={referrals.changed} kind="referral" />
        </>
      )}
    </div>
  );
}
