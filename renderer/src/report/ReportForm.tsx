import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { HONEYPOT_FIELD, type PublicItemsResponse } from '../../../shared/contracts/public-page.js';
import { phoneSchema } from '../../../shared/contracts/events.js';
import { clearDraft, loadDraft, saveDraft, type Draft, type DraftPhoto, type DraftPlace } from './draft';
import { placeNames, type PublicLayers } from './place';
import { preparePhoto } from './photo';
import { NetworkError, ReportApiError, type ReportApi } from './report-api';

// MapLibre (~300 KB over the wire) loads only when the resident opens the map: a slow link pays for it only then.
const MapPicker = lazy(() => import('./MapPicker').then((m) => ({ default: m.MapPicker })));

/** The report schema takes 6 photos. */
export const MAX_PHOTOS = 6;
const MIN_DESCRIPTION = 4;
const MAX_DESCRIPTION = 4000;
/** The classifier is asked once the resident pauses typing this long. */
const SUGGEST_AFTER_MS = 600;
/** Fewer characters than this say too little to suggest anything. */
const SUGGEST_MIN_CHARS = 4;

type FieldKey = 'description' | 'itemCode' | 'place' | 'photos' | 'name' | 'phone';
type Errors = Partial<Record<FieldKey, string>>;

/** A photo on the form: the draft's record, plus (while the page is open) the bytes, to upload again under a new form token. */
interface FormPhoto extends DraftPhoto {
  key: string;
  blob: Blob | null;
  state: 'uploading' | 'done' | 'failed';
  error?: string;
}

/** Which field of the form a server field error (`location.lon`, `reporter.phone`, `attachments.0.id`) belongs to. */
function fieldOf(path: string): FieldKey | null {
  if (path.startsWith('description')) return 'description';
  if (path.startsWith('itemCode')) return 'itemCode';
  if (path.startsWith('location')) return 'place';
  if (path.startsWith('attachments')) return 'photos';
  if (path.startsWith('reporter.name')) return 'name';
  if (path.startsWith('reporter.phone')) return 'phone';
  return null;
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The resident's report: what happened (with the classifier's suggestions as they type), the
 * item, photos, where, and an optional name and phone. Everything typed is kept in the draft
 * (sessionStorage) as it changes, so no error, reload or dropped connection loses it; field
 * errors, the page's and the server's, show at the field in the page's language.
 */
export function ReportForm({ api, storage, onSent }: { api: ReportApi; storage: Storage | null; onSent: (token: string) => void }) {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [initial] = useState(() => loadDraft(storage));
  const [description, setDescription] = useState(initial.description);
  const [itemCode, setItemCode] = useState(initial.itemCode);
  const [place, setPlace] = useState<DraftPlace | null>(initial.place);
  const [photos, setPhotos] = useState<FormPhoto[]>(() => initial.photos.filter((p) => p.id).map((p, i) => ({ ...p, key: `d${i}`, blob: null, state: 'done' as const })));
  const [name, setName] = useState(initial.name);
  const [phone, setPhone] = useState(initial.phone);
  const [bait, setBait] = useState('');
  const [formToken, setFormToken] = useState<string | null>(initial.formToken);
  const tokenFetchedAt = useRef<number | null>(null);
  const minFillMs = useRef(0);
  const [catalog, setCatalog] = useState<PublicItemsResponse | null>(null);
  const [catalogFailed, setCatalogFailed] = useState(false);
  const [suggestions, setSuggestions] = useState<string[]>([]);
  const [layers, setLayers] = useState<PublicLayers | null>(null);
  const [picking, setPicking] = useState(false);
  const [locating, setLocating] = useState(false);
  const [gpsProblem, setGpsProblem] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [banner, setBanner] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const summary = useRef<HTMLDivElement>(null);
  const photoInput = useRef<HTMLInputElement>(null);

  // The draft follows every change (photos without their bytes: sessionStorage holds text).
  useEffect(() => {
    const draft: Draft = {
      formToken,
      description,
      itemCode,
      place,
      photos: photos.filter((p) => p.state === 'done').map(({ id, name: n, preview }) => ({ id, name: n, preview })),
      name,
      phone,
    };
    saveDraft(storage, draft);
  }, [storage, formToken, description, itemCode, place, photos, name, phone]);

  const newFormToken = useCallback(
    () =>
      api.form().then((form) => {
        tokenFetchedAt.current = Date.now();
        minFillMs.current = form.minFillSeconds * 1000;
        setFormToken(form.formToken);
        return form.formToken;
      }),
    [api],
  );

  const fetchCatalog = useCallback(() => {
    api.items().then(setCatalog, () => setCatalogFailed(true));
  }, [api]);
  const retryCatalog = () => {
    setCatalogFailed(false);
    fetchCatalog();
  };

  useEffect(() => {
    fetchCatalog();
    // A form token from the draft (a reload) is kept: the photos uploaded under it go with it.
    if (!initial.formToken) void newFormToken().catch(() => undefined);
  }, [fetchCatalog, newFormToken, initial.formToken]);

  const ensureLayers = useCallback(async (): Promise<PublicLayers> => {
    if (layers) return layers;
    const [town, village, grid] = await Promise.all([api.mapLayer('town'), api.mapLayer('village'), api.mapLayer('grid')]);
    const loaded = { town, village, grid };
    setLayers(loaded);
    return loaded;
  }, [api, layers]);

  // The classifier's suggestions as the resident types (after a pause; the last answer wins).
  useEffect(() => {
    const text = description.trim();
    if (text.length < SUGGEST_MIN_CHARS) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      api.classify(text, controller.signal).then(
        (r) => setSuggestions(r.suggestions.map((s) => s.itemCode)),
        () => undefined, // suggestions are a help; the list below always works
      );
    }, SUGGEST_AFTER_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [api, description]);

  const itemsByCode = useMemo(() => new Map((catalog?.items ?? []).map((i) => [i.code, i])), [catalog]);
  const referralsByCode = useMemo(() => new Map((catalog?.referrals ?? []).map((r) => [r.code, r])), [catalog]);
  const categories = useMemo(() => {
    const groups = new Map<string, { label: string; items: PublicItemsResponse['items'] }>();
    for (const item of catalog?.items ?? []) {
      const group = groups.get(item.category) ?? { label: en ? item.categoryNameEn : item.categoryName, items: [] };
      group.items.push(item);
      groups.set(item.category, group);
    }
    return [...groups.values()];
  }, [catalog, en]);
  const itemLabel = (code: string) => {
    const item = itemsByCode.get(code);
    return item ? (en ? item.nameEn : item.name) : code;
  };

  const setField = (key: FieldKey) => setErrors((e) => ({ ...e, [key]: undefined }));

  // ---- photos ----
  /** Uploads one photo under `token`; the photo as it then stands (uploaded, with its id, or failed). */
  const upload = useCallback(
    async (photo: FormPhoto, token: string): Promise<FormPhoto> => {
      const update = (next: FormPhoto) => {
        setPhotos((ps) => ps.map((p) => (p.key === photo.key ? next : p)));
        return next;
      };
      update({ ...photo, state: 'uploading', error: undefined });
      try {
        const stored = await api.upload(photo.blob!, photo.name, token);
        return update({ ...photo, id: stored.id, name: stored.name, state: 'done', error: undefined });
      } catch (err) {
        return update({ ...photo, state: 'failed', error: err instanceof ReportApiError ? err.message : t('form.network') });
      }
    },
    [api, t],
  );

  const addPhotos = async (files: File[]) => {
    setField('photos');
    const room = MAX_PHOTOS - photos.length;
    for (const file of files.slice(0, Math.max(0, room))) {
      let prepared: Awaited<ReturnType<typeof preparePhoto>>;
      try {
        prepared = await preparePhoto(file);
      } catch {
        setErrors((e) => ({ ...e, photos: t('form.notAPhoto', { name: file.name }) }));
        continue;
      }
      const photo: FormPhoto = { key: `${Date.now()}-${Math.random()}`, id: null, name: prepared.name, preview: prepared.preview, blob: prepared.blob, state: 'uploading' };
      setPhotos((ps) => [...ps, photo]);
      const token = formToken ?? (await newFormToken().catch(() => null));
      if (token) void upload(photo, token);
      else setPhotos((ps) => ps.map((p) => (p.key === photo.key ? { ...p, state: 'failed', error: t('form.network') } : p)));
    }
  };

  // ---- place ----
  const choosePlace = async (lon: number, lat: number, from: 'gps' | 'map', accuracy: number | null) => {
    setField('place');
    let names: string[] = [];
    let known = false;
    try {
      names = placeNames(await ensureLayers(), lon, lat);
      known = true;
    } catch {
      // the names only help the resident recognise the place; the point is what counts
    }
    if (known && names.length === 0) setErrors((e) => ({ ...e, place: t('form.outside') }));
    setPlace({ lon, lat, from, accuracy, names });
  };

  const locate = () => {
    setGpsProblem(null);
    if (!('geolocation' in navigator) || !window.isSecureContext) {
      setGpsProblem('unsupported');
      return;
    }
    setLocating(true);
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        setLocating(false);
        // Browsers (WeChat's too) report WGS84, which is what the server expects.
        void choosePlace(Math.round(pos.coords.longitude * 1e6) / 1e6, Math.round(pos.coords.latitude * 1e6) / 1e6, 'gps', Math.round(pos.coords.accuracy));
      },
      (err) => {
        setLocating(false);
        setGpsProblem(err.code === err.PERMISSION_DENIED ? 'denied' : err.code === err.TIMEOUT ? 'timeout' : 'unavailable');
      },
      { enableHighAccuracy: true, timeout: 20_000, maximumAge: 60_000 },
    );
  };

  const openMap = () => {
    setGpsProblem(null);
    ensureLayers().then(
      () => setPicking(true),
      () => setBanner(t('loadFailed')),
    );
  };

  // ---- submit ----
  const check = (): Errors => {
    const found: Errors = {};
    if (description.trim().length < MIN_DESCRIPTION) found.description = t('errors.description');
    else if (description.length > MAX_DESCRIPTION) found.description = t('errors.tooLong');
    if (!itemCode) found.itemCode = t('errors.item');
    if (!place) found.place = t('errors.location');
    if (photos.some((p) => p.state === 'uploading' || p.state === 'failed')) found.photos = t('errors.photos');
    if (name.trim().length > 64) found.name = t('errors.name');
    if (phone.trim() && !phoneSchema.safeParse(phone).success) found.phone = t('errors.phone');
    return found;
  };

  const showErrors = (found: Errors, message: string | null) => {
    setErrors(found);
    setBanner(message);
    requestAnimationFrame(() => summary.current?.scrollIntoView({ block: 'start' }));
  };

  const send = async (token: string, sent: readonly FormPhoto[]) =>
    api.submit({
      itemCode,
      description: description.trim(),
      location: { lon: place!.lon, lat: place!.lat },
      ...(sent.length ? { attachments: sent.map((p) => ({ id: p.id!, name: p.name })) } : {}),
      ...(name.trim() || phone.trim() ? { reporter: { ...(name.trim() ? { name: name.trim() } : {}), ...(phone.trim() ? { phone: phone.trim() } : {}) } } : {}),
      formToken: token,
      [HONEYPOT_FIELD]: bait,
    });

  /** The form was refused for its token (expired, voided by a server restart, used): a new one, with the photos sent again under it. */
  const renewForm = async (): Promise<{ token: string; sent: FormPhoto[] }> => {
    const token = await newFormToken();
    const lost = photos.filter((p) => !p.blob);
    if (lost.length > 0) {
      // after a reload the photos' bytes are gone: the resident adds them again
      setPhotos((ps) => ps.filter((p) => p.blob));
      throw new ReportApiError(400, 'invalid_body', t('errors.photosAgain'), [{ field: 'attachments', code: 'form_expired', message: t('errors.photosAgain') }], null);
    }
    const sent = await Promise.all(photos.map((p) => upload(p, token)));
    if (sent.some((p) => p.state !== 'done')) throw new ReportApiError(400, 'invalid_body', t('errors.photos'), [{ field: 'attachments', code: 'upload', message: t('errors.photos') }], null);
    return { token, sent };
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (sending) return;
    const found = check();
    if (Object.values(found).some(Boolean)) {
      showErrors(found, null);
      return;
    }
    setSending(true);
    setBanner(null);
    try {
      let token = formToken ?? (await newFormToken());
      let sent: readonly FormPhoto[] = photos;
      // A person needs longer than the minimum fill time; a quick one waits the rest here
      // instead of being refused (the server checks it anyway).
      const waitMinFill = async () => {
        const rest = tokenFetchedAt.current === null ? 0 : minFillMs.current - (Date.now() - tokenFetchedAt.current);
        if (rest > 0) await wait(rest + 250);
      };
      await waitMinFill();
      let created;
      try {
        created = await send(token, sent);
      } catch (err) {
        if (!(err instanceof ReportApiError) || !err.fields.some((f) => f.field === 'formToken')) throw err;
        if (err.reason === 'form_too_fast') await wait(minFillMs.current || 8_000);
        else {
          ({ token, sent } = await renewForm());
          await waitMinFill();
        }
        created = await send(token, sent);
      }
      clearDraft(storage);
      onSent(created.token);
    } catch (err) {
      if (err instanceof ReportApiError) {
        const found: Errors = {};
        for (const f of err.fields) {
          const key = fieldOf(f.field);
          if (key) found[key] = f.message;
        }
        showErrors(found, `${t('form.refused', { message: err.message })} ${t('form.draftKept')}`);
      } else if (err instanceof NetworkError) {
        showErrors({}, t('form.network'));
      } else {
        showErrors({}, `${t('form.refused', { message: (err as Error).message })} ${t('form.draftKept')}`);
      }
    } finally {
      setSending(false);
    }
  };

  const errorList = (Object.entries(errors) as [FieldKey, string | undefined][]).filter(([, m]) => m);
  const selectedItem = itemsByCode.get(itemCode);
  const selectedReferral = referralsByCode.get(itemCode);

  return (
    <form className="r-form" onSubmit={(e) => void submit(e)} noValidate data-testid="report-form">
      <div ref={summary} className="r-summary-anchor" />
      {(banner || errorList.length > 0) && (
        <div className="r-alert" role="alert" data-testid="report-errors">
          {banner && <p>{banner}</p>}
          {errorList.length > 0 && (
            <>
              <p>{t('form.fixFields')}</p>
              <ul>
                {errorList.map(([key, message]) => (
                  <li key={key}>
                    <a href={`#r-${key}`}>{message}</a>
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}

      <section className="r-section">
        <label className="r-label" htmlFor="r-description">
          {t('form.describe')}
        </label>
        <p className="r-hint" id="r-description-hint">
          {t('form.describeHint')}
        </p>
        <textarea
          id="r-description"
          className="r-input r-textarea"
          rows={5}
          maxLength={MAX_DESCRIPTION}
          value={description}
          aria-invalid={Boolean(errors.description)}
          aria-describedby="r-description-hint"
          onChange={(e) => {
            setDescription(e.target.value);
            setField('description');
          }}
          data-testid="report-description"
        />
        {errors.description && <p className="r-field-error">{errors.description}</p>}
        {suggestions.length > 0 && catalog && description.trim().length >= SUGGEST_MIN_CHARS && (
          <div className="r-suggest" data-testid="report-suggestions">
            <p className="r-hint">{t('form.suggestions')}</p>
            <div className="r-chips">
              {suggestions
                .filter((code) => itemsByCode.has(code))
                .map((code) => (
                  <button
                    key={code}
                    type="button"
                    className={`r-chip${code === itemCode ? ' r-chip-on' : ''}`}
                    aria-pressed={code === itemCode}
                    onClick={() => {
                      setItemCode(code);
                      setField('itemCode');
                    }}
                    data-code={code}
                  >
                    {code === itemCode ? '✓ ' : ''}
                    {itemLabel(code)}
                  </button>
                ))}
            </div>
          </div>
        )}
      </section>

      <section className="r-section">
        <label className="r-label" htmlFor="r-itemCode">
          {t('form.item')}
        </label>
        {catalogFailed ? (
          <p className="r-field-error">
            {t('loadFailed')}{' '}
            <button type="button" className="r-btn r-btn-small" onClick={retryCatalog}>
              {t('retry')}
            </button>
          </p>
        ) : (
          <select
            id="r-itemCode"
            className="r-input r-select"
            value={itemCode}
            aria-invalid={Boolean(errors.itemCode)}
            disabled={!catalog}
            onChange={(e) => {
              setItemCode(e.target.value);
              setField('itemCode');
            }}
            data-testid="report-item"
          >
            <option value="">{catalog ? t('form.itemPick') : t('loading')}</option>
            {categories.map((group) => (
              <optgroup key={group.label} label={group.label}>
                {group.items.map((item) => (
                  <option key={item.code} value={item.code}>
                    {en ? item.nameEn : item.name}
                  </option>
                ))}
              </optgroup>
            ))}
            {catalog && catalog.referrals.length > 0 && (
              <optgroup label={t('form.itemOutside')}>
                {catalog.referrals.map((r) => (
                  <option key={r.code} value={r.code}>
                    {en ? r.nameEn : r.name}
                  </option>
                ))}
              </optgroup>
            )}
          </select>
        )}
        {selectedItem && <p className="r-hint">{t('form.itemHelp', { department: selectedItem.department })}</p>}
        {selectedReferral && <p className="r-hint r-hint-strong">{t('form.itemReferral', { body: selectedReferral.receivingBody })}</p>}
        {errors.itemCode && <p className="r-field-error">{errors.itemCode}</p>}
      </section>

      <section className="r-section" id="r-photos">
        <p className="r-label">{t('form.photos', { max: MAX_PHOTOS })}</p>
        <div className="r-photo-grid">
          {photos.map((p) => (
            <div key={p.key} className={`r-photo r-photo-${p.state}`} data-testid="report-photo" data-state={p.state}>
              {p.preview ? <img src={p.preview} alt={p.name} /> : <span className="r-photo-name">{p.name}</span>}
              {p.state === 'uploading' && <span className="r-photo-status">{t('form.uploading')}</span>}
              {p.state === 'failed' &&
                (p.blob && formToken ? (
                  <button type="button" className="r-photo-status r-photo-bad r-photo-retry" onClick={() => void upload(p, formToken)}>
                    {t('form.uploadFailed', { message: p.error ?? '' })} {t('form.uploadRetry')}
                  </button>
                ) : (
                  <span className="r-photo-status r-photo-bad">{t('form.uploadFailed', { message: p.error ?? '' })}</span>
                ))}
              <button type="button" className="r-photo-x" aria-label={t('form.removePhoto')} onClick={() => setPhotos((ps) => ps.filter((x) => x.key !== p.key))}>
                ×
              </button>
            </div>
          ))}
          {photos.length < MAX_PHOTOS && (
            <button type="button" className="r-btn r-photo-add" onClick={() => photoInput.current?.click()}>
              ＋ {t('form.addPhoto')}
            </button>
          )}
        </div>
        <input
          ref={photoInput}
          type="file"
          accept="image/*"
          multiple
          hidden
          data-testid="report-photo-input"
          onChange={(e) => {
            const files = Array.from(e.target.files ?? []);
            e.target.value = '';
            void addPhotos(files);
          }}
        />
        {errors.photos && <p className="r-field-error">{errors.photos}</p>}
      </section>

      <section className="r-section" id="r-place">
        <p className="r-label">{t('form.where')}</p>
        <div className="r-row">
          <button type="button" className="r-btn" onClick={locate} disabled={locating} data-testid="report-gps">
            <svg className="r-icon" viewBox="0 0 24 24" aria-hidden="true">
              <circle cx="12" cy="12" r="7" fill="none" stroke="currentColor" strokeWidth="2.2" />
              <circle cx="12" cy="12" r="2.6" fill="currentColor" />
              <path d="M12 1v4M12 19v4M1 12h4M19 12h4" stroke="currentColor" strokeWidth="2.2" />
            </svg>
            {locating ? t('form.locating') : t('form.useGps')}
          </button>
          <button type="button" className="r-btn" onClick={openMap} data-testid="report-pick-map">
            <svg className="r-icon" viewBox="0 0 24 24" aria-hidden="true">
              <path d="M12 22s7-7.2 7-12.5A7 7 0 0 0 5 9.5C5 14.8 12 22 12 22z" fill="none" stroke="currentColor" strokeWidth="2.2" />
              <circle cx="12" cy="9.5" r="2.6" fill="currentColor" />
            </svg>
            {t('form.pickOnMap')}
          </button>
        </div>
        {gpsProblem && <p className="r-field-error">{t(`form.gpsProblem.${gpsProblem}`)}</p>}
        {place && (
          <p className="r-place" data-testid="report-place">
            {t('form.chosen', { place: place.names.length ? place.names.join(' › ') : `${place.lon.toFixed(5)}, ${place.lat.toFixed(5)}` })}
            <small>{place.from === 'gps' ? t('form.chosenFrom.gps', { m: place.accuracy ?? '?' }) : t('form.chosenFrom.map')}</small>
          </p>
        )}
        {errors.place && <p className="r-field-error">{errors.place}</p>}
      </section>

      <section className="r-section">
        <p className="r-label">{t('form.contact')}</p>
        <p className="r-hint r-private">{t('form.contactNote')}</p>
        <label className="r-sublabel" htmlFor="r-name">
          {t('form.name')}
        </label>
        <input
          id="r-name"
          className="r-input"
          value={name}
          maxLength={64}
          autoComplete="name"
          placeholder={t('form.namePlaceholder')}
          aria-invalid={Boolean(errors.name)}
          onChange={(e) => {
            setName(e.target.value);
            setField('name');
          }}
          data-testid="report-name"
        />
        {errors.name && <p className="r-field-error">{errors.name}</p>}
        <label className="r-sublabel" htmlFor="r-phone">
          {t('form.phone')}
        </label>
        <input
          id="r-phone"
          className="r-input"
          type="tel"
          inputMode="tel"
          autoComplete="tel"
          value={phone}
          maxLength={20}
          placeholder={t('form.phonePlaceholder')}
          aria-invalid={Boolean(errors.phone)}
          onChange={(e) => {
            setPhone(e.target.value);
            setField('phone');
          }}
          data-testid="report-phone"
        />
        {errors.phone && <p className="r-field-error">{errors.phone}</p>}
      </section>

      {/* The honeypot: off screen, hidden from screen readers and the tab order; robots fill it in. */}
      <div className="r-hp" aria-hidden="true">
        <label>
          {t('form.honeypot')}
          <input name={HONEYPOT_FIELD} tabIndex={-1} autoComplete="off" value={bait} onChange={(e) => setBait(e.target.value)} />
        </label>
      </div>

      <button type="submit" className="r-btn r-btn-primary r-submit" disabled={sending} data-testid="report-submit">
        {sending ? t('form.submitting') : t('form.submit')}
      </button>

      {picking && layers && (
        <Suspense
          fallback={
            <div className="r-picker">
              <p className="r-picker-hint">{t('loading')}</p>
            </div>
          }
        >
          <MapPicker
            layers={layers}
            initial={place ? { lon: place.lon, lat: place.lat } : null}
            onClose={() => setPicking(false)}
            onPick={(p) => {
              setPicking(false);
              void choosePlace(p.lon, p.lat, 'map', null);
            }}
          />
        </Suspense>
      )}
    </form>
  );
}
