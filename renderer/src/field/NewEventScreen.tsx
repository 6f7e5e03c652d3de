import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { SessionUser } from '../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../shared/contracts/catalog.js';
import { phoneSchema, type EventIntake, type Urgency } from '../../../shared/contracts/events.js';
import { useStore } from '../app/store';
import { useField } from './field-context';
import { queueIntake } from './field-actions';
import { PhotoPicker } from './PhotoPicker';
import { locate, toWgs84, type PositionProblem, type PositionResult } from './position';
import { filterCatalog } from './catalog-filter';
import { useFieldCatalog } from './field-catalog';
import { ItemSuggestions } from './ItemSuggestions';

const PHONE_KEY = 'gridcommand.field.phone';

export function NewEventScreen({ user, onDone }: { user: SessionUser; onDone: () => void }) {
  const { t } = useTranslation();
  const { catalog, failed } = useFieldCatalog();
  const [item, setItem] = useState<CatalogItem | null>(null);
  // Written before the item is picked (the suggestions read it) and kept when the item changes.
  const [description, setDescription] = useState('');
  if (!item) return <ItemPicker items={catalog?.items ?? []} failed={failed && !catalog} description={description} onDescription={setDescription} onPick={setItem} onBack={onDone} />;
  return (
    <EventForm user={user} item={item} description={description} onDescription={setDescription} onChangeItem={() => setItem(null)} onDone={onDone} key={item.code} title={t('newEvent.title')} />
  );
}

function ItemPicker({
  items,
  failed,
  description,
  onDescription,
  onPick,
  onBack,
}: {
  items: CatalogItem[];
  failed: boolean;
  description: string;
  onDescription: (text: string) => void;
  onPick: (item: CatalogItem) => void;
  onBack: () => void;
}) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [query, setQuery] = useState('');
  const [category, setCategory] = useState<string | null>(null);
  const categories = useMemo(() => {
    const seen = new Map<string, string>();
    for (const i of items) if (!seen.has(i.category)) seen.set(i.category, en ? i.categoryNameEn : i.categoryName);
    return [...seen];
  }, [items, en]);
  const shown = useMemo(() => filterCatalog(items, query, category), [items, query, category]);
  return (
    <main className="f-main" data-testid="field-item-picker">
      <button type="button" className="f-btn f-back" onClick={onBack}>
        {t('task.back')}
      </button>
      <h1 className="f-h1">{t('newEvent.pickItem')}</h1>
      {failed && (
        <p className="f-error" role="alert">
          {t('newEvent.catalogFailed')}
        </p>
      )}
      <label className="f-field">
        <span>{t('itemSuggest.describe')}</span>
        <textarea rows={2} maxLength={4000} value={description} placeholder={t('newEvent.descriptionPlaceholder')} onChange={(e) => onDescription(e.target.value)} data-testid="field-suggest-description" />
      </label>
      <ItemSuggestions text={description} items={items} onPick={onPick} />
      <input className="f-search" type="search" placeholder={t('newEvent.search')} value={query} onChange={(e) => setQuery(e.target.value)} aria-label={t('newEvent.search')} />
      <div className="f-cats">
        <button type="button" className={`f-btn f-btn-small${category === null ? ' f-on' : ''}`} aria-pressed={category === null} onClick={() => setCategory(null)}>
          {t('newEvent.all')}
        </button>
        {categories.map(([key, name]) => (
          <button key={key} type="button" className={`f-btn f-btn-small${category === key ? ' f-on' : ''}`} aria-pressed={category === key} onClick={() => setCategory(key)}>
            {name}
          </button>
        ))}
      </div>
      <ul className="f-list">
        {shown.map((i) => (
          <li key={i.code}>
            <button type="button" className="f-card f-item" data-testid="field-item" data-code={i.code} onClick={() => onPick(i)}>
              <span className="f-card-item">{en ? i.nameEn : i.name}</span>
              <span className="f-card-address">
                {en ? i.categoryNameEn : i.categoryName}
                {i.selfHandle ? ` · ${t('newEvent.selfHandleShort')}` : ''}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </main>
  );
}

type Where = { kind: 'phone' | 'team'; lon: number; lat: number; accuracy?: number } | null;

function EventForm({
  user,
  item,
  title,
  description,
  onDescription: setDescription,
  onChangeItem,
  onDone,
}: {
  user: SessionUser;
  item: CatalogItem;
  title: string;
  description: string;
  onDescription: (text: string) => void;
  onChangeItem: () => void;
  onDone: () => void;
}) {
  const { t, i18n } = useTranslation();
  const services = useField();
  const { team } = useStore(services.team);
  const [urgency, setUrgency] = useState<Urgency>(item.defaultUrgency);
  const [photos, setPhotos] = useState<File[]>([]);
  const [where, setWhere] = useState<Where>(null);
  const [locating, setLocating] = useState(true);
  const [positionProblem, setPositionProblem] = useState<PositionProblem | null>(null);
  const [phoneTyped, setPhone] = useState<string | null>(() => {
    try {
      return window.localStorage.getItem(PHONE_KEY);
    } catch {
      return null;
    }
  });
  // Until the worker types one: the number used last time, else the team leader's.
  const phone = phoneTyped ?? (team?.leader.phone && phoneSchema.safeParse(team.leader.phone).success ? team.leader.phone : '');
  const [selfHandled, setSelfHandled] = useState(false);
  const [result, setResult] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const applyFix = (result: PositionResult) => {
    setLocating(false);
    setPositionProblem(result.problem);
    if (result.fix) setWhere({ kind: 'phone', ...toWgs84(result.fix) });
  };
  const locateAgain = () => {
    setLocating(true);
    void locate(8_000).then(applyFix);
  };
  useEffect(() => {
    let cancelled = false;
    void locate(8_000).then((result) => !cancelled && applyFix(result));
    return () => {
      cancelled = true;
    };
    // once, when the form opens
  }, []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setProblem(null);
    if (!description.trim()) return setProblem(t('newEvent.needDescription'));
    if (selfHandled && !result.trim()) return setProblem(t('newEvent.needResult'));
    if (!phoneSchema.safeParse(phone).success) return setProblem(t('newEvent.badPhone'));
    if (!where) return setProblem(t('newEvent.noFix'));
    const intake: EventIntake = {
      itemCode: item.code,
      description: description.trim(),
      location: { lon: where.lon, lat: where.lat },
      source: 'grid_patrol',
      urgency,
      reporter: { name: user.displayName, phone: phone.trim() },
      ...(selfHandled ? { selfHandled: true, result: result.trim() } : {}),
    };
    setBusy(true);
    try {
      window.localStorage.setItem(PHONE_KEY, phone.trim());
    } catch {
      // not kept
    }
    try {
      await queueIntake(services, intake, photos, i18n.language === 'en' ? item.nameEn : item.name);
      onDone();
    } finally {
      setBusy(false);
    }
  };

  const en = i18n.language === 'en';
  return (
    <main className="f-main" data-testid="field-event-form">
      <button type="button" className="f-btn f-back" onClick={onDone}>
        {t('task.back')}
      </button>
      <h1 className="f-h1">{title}</h1>
      <div className="f-picked">
        <strong data-testid="field-picked-item">{en ? item.nameEn : item.name}</strong>
        <button type="button" className="f-btn f-btn-small" onClick={onChangeItem}>
          {t('newEvent.change')}
        </button>
      </div>
      <form className="f-form" onSubmit={submit}>
        <label className="f-field">
          <span>{t('newEvent.description')}</span>
          <textarea rows={3} maxLength={4000} value={description} placeholder={t('newEvent.descriptionPlaceholder')} onChange={(e) => setDescription(e.target.value)} data-testid="field-description" />
        </label>
        <fieldset className="f-field">
          <legend>{t('newEvent.urgency')}</legend>
          <div className="f-seg">
            {item.urgencies.map((u) => (
              <button key={u} type="button" className={`f-btn f-urg-btn f-urg-${u}${urgency === u ? ' f-on' : ''}`} aria-pressed={urgency === u} onClick={() => setUrgency(u)}>
                {t(`urgency.${u}`)}
              </button>
            ))}
          </div>
        </fieldset>
        <fieldset className="f-field">
          <legend>{t('newEvent.location')}</legend>
          <div className="f-seg">
            <button type="button" className={`f-btn${where?.kind === 'phone' ? ' f-on' : ''}`} aria-pressed={where?.kind === 'phone'} onClick={locateAgain} disabled={locating}>
              {locating ? t('newEvent.locating') : t('newEvent.usePhone')}
            </button>
            <button
              type="button"
              className={`f-btn${where?.kind === 'team' ? ' f-on' : ''}`}
              aria-pressed={where?.kind === 'team'}
              data-testid="field-use-team-position"
              disabled={!team}
              onClick={() => team && setWhere({ kind: 'team', lon: team.location.lon, lat: team.location.lat })}
            >
              {t('newEvent.useTeam')}
            </button>
          </div>
          <p className="f-mono" data-testid="field-where">
            {where ? `${where.lon.toFixed(6)}, ${where.lat.toFixed(6)}${where.accuracy ? ` · ${t('position.accuracy', { m: where.accuracy })}` : ''}` : t('position.none')}
          </p>
          {positionProblem && where?.kind !== 'phone' && (
            <p className="f-position-problem" role="status" data-testid="field-position-problem" data-problem={positionProblem}>
              {t(`position.problem.${positionProblem}`)}
            </p>
          )}
        </fieldset>
        <label className="f-field">
          <span>{t('newEvent.phone')}</span>
          <input type="tel" inputMode="tel" value={phone} onChange={(e) => setPhone(e.target.value)} data-testid="field-phone" />
        </label>
        <PhotoPicker label={t('newEvent.photo')} photos={photos} onChange={setPhotos} />
        {item.selfHandle && (
          <label className="f-check">
            <input type="checkbox" checked={selfHandled} onChange={(e) => setSelfHandled(e.target.checked)} data-testid="field-self-handled" />
            <span>{t('newEvent.selfHandle')}</span>
          </label>
        )}
        {selfHandled && (
          <label className="f-field">
            <span>{t('newEvent.result')}</span>
            <textarea rows={3} maxLength={2000} value={result} onChange={(e) => setResult(e.target.value)} data-testid="field-self-result" />
          </label>
        )}
        {problem && (
          <p className="f-error" role="alert" data-testid="field-form-problem">
            {problem}
          </p>
        )}
        <button type="submit" className="f-btn f-btn-primary f-btn-huge" disabled={busy} data-testid="field-submit">
          {t('newEvent.submit')}
        </button>
      </form>
    </main>
  );
}
