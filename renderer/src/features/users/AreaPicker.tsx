import './users.css';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GrantableArea } from '../../../../shared/contracts/user-admin.js';
import { areaMark, areaNames, areaSearch, toggleArea, type AreaTree } from './user-rules';

/**
 * The areas of a grant on a platform of several counties: the whole platform, its cities and
 * counties, and their towns, as a tree. Ticking a county grants the county: its towns show as
 * granted with it and are not ticked one by one. A county opens to its towns on demand (a province
 * holds ~1,300 towns), or by itself when some of its towns are ticked or a search finds them.
 */
export function AreaPicker({ tree, areas, onChange }: { tree: AreaTree; areas: readonly string[]; onChange(areas: string[]): void }) {
  const { t } = useTranslation();
  const searchId = useId();
  const [text, setText] = useState('');
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemo(() => areaSearch(tree, text), [tree, text]);
  const root = tree.root;
  if (!root) return null;
  const whole = areas.length === 0;
  const toggle = (id: string) => onChange(toggleArea(tree, areas, id));
  const flip = (id: string) =>
    setOpen((was) => {
      const next = new Set(was);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const row = (area: GrantableArea) => {
    if (shown && !shown.has(area.id)) return null;
    const mark = areaMark(tree, areas, area.id);
    const kids = tree.children.get(area.id) ?? [];
    const towns = kids.filter((k) => k.level === 'town');
    const upper = kids.filter((k) => k.level !== 'town');
    const expanded = shown !== null || open.has(area.id) || mark.kind === 'partial';
    return (
      <li key={area.id} className="area-node" data-level={area.level} data-mark={mark.kind}>
        <div className="area-row">
          <button
            type="button"
            className="area-expand"
            aria-expanded={expanded}
            aria-label={t(expanded ? 'admin.users.areaCollapse' : 'admin.users.areaExpand', { name: area.name })}
            onClick={() => flip(area.id)}
            disabled={shown !== null || mark.kind === 'partial'}
            data-testid="area-expand"
            data-area={area.id}
          >
            {expanded ? '▾' : '▸'}
          </button>
          <label className="admin-check area-check">
            <input type="checkbox" checked={mark.kind === 'ticked' || mark.kind === 'implied'} disabled={mark.kind === 'implied'} onChange={() => toggle(area.id)} data-area={area.id} />
            <span className="area-name">{area.name}</span>
          </label>
          <span className="area-note muted">
            {mark.kind === 'partial'
              ? t('admin.users.areaPartial', { count: mark.count })
              : mark.kind === 'implied'
                ? t('admin.users.areaImplied', { name: tree.byId.get(mark.by)?.name ?? mark.by })
                : area.level === 'county'
                  ? t('admin.users.areaTowns', { count: towns.length })
                  : t('admin.users.areaCounties', { count: upper.length })}
          </span>
        </div>
        {expanded && upper.length > 0 && <ul className="area-list">{upper.map(row)}</ul>}
        {expanded && towns.length > 0 && (
          <div className="admin-checks area-towns">
            {towns
              .filter((town) => !shown || shown.has(town.id))
              .map((town) => {
                const townMark = areaMark(tree, areas, town.id);
                return (
                  <label key={town.id} className="admin-check" data-disabled={townMark.kind === 'implied' || undefined} data-mark={townMark.kind}>
                    <input
                      type="checkbox"
                      checked={townMark.kind !== 'none'}
                      disabled={townMark.kind === 'implied'}
                      onChange={() => toggle(town.id)}
                      data-town={town.id}
                      title={townMark.kind === 'implied' ? t('admin.users.areaImplied', { name: tree.byId.get(townMark.by)?.name ?? townMark.by }) : undefined}
                    />
                    {town.name}
                  </label>
                );
              })}
          </div>
        )}
      </li>
    );
  };

  const top = tree.children.get(root.id) ?? [];
  const wholeName = root.level === 'province' ? t('admin.users.areaWholeProvince', { name: root.name }) : t('admin.users.areaWholeCity', { name: root.name });
  return (
    <div className="area-picker" data-testid="area-picker">
      <div className="area-tools">
        <label className="admin-check area-whole">
          <input type="checkbox" checked={whole} disabled={whole} onChange={() => toggle(root.id)} data-area={root.id} data-testid="area-whole" />
          <strong>{wholeName}</strong>
        </label>
        <label htmlFor={searchId} className="sr-only">
          {t('admin.users.areaSearch')}
        </label>
        <input
          id={searchId}
          type="search"
          className="admin-input area-search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={t('admin.users.areaSearch')}
          autoComplete="off"
          data-testid="area-search"
        />
      </div>
      <ul className="area-list area-scroll" aria-label={t('admin.users.scope')}>
        {top.map(row)}
      </ul>
      {shown?.size === 0 && <p className="admin-empty">{t('admin.users.areaNoMatch', { text: text.trim() })}</p>}
      <p className="admin-hint" data-testid="area-summary">
        {whole ? t('admin.users.areaWholeHint', { name: root.name }) : t('admin.users.areaGranted', { names: areaNames(tree, areas).join(t('list.separator')) })}
      </p>
    </div>
  );
}
