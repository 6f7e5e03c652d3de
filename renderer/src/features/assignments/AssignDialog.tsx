import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import { MAX_ASSIGNMENT_DAYS, type AssignmentRequest } from '../../../../shared/contracts/assignments.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import { ApiRequestError } from '../../app/api-client';
import { useServices } from '../../app/services';
import { AddressField, useAddressHits } from '../../app/ui/AddressField';
import { ItemSelect, UrgencySelect, urgencyOf } from '../../app/ui/ItemFields';
import { useNow } from '../../app/use-now';
import { Dialog, DialogFooter, DialogProblem } from '../case-actions/dialogs/Dialog';
import type { ActionProblem } from '../case-actions/wording';
import { defaultDueLocal, dueFromLocal, parsePoint, type CountyChoice } from './assignment-rules';
import { assignDown } from './queries';

/** A county the dialog offers, with its towns: an address found elsewhere is not offered. */
export interface AssignableCounty extends CountyChoice {
  towns: ReadonlySet<string>;
}

type Place = { kind: 'address'; hit: AddressHit } | { kind: 'point'; lon: number; lat: number };

/**
 * 交办新案件: the city's dialog, keyboard first (the county has focus; Tab moves on; Enter in a
 * one-line field or a list assigns, Ctrl+Enter in a text box; Esc cancels). The place is a
 * household's unified address in the chosen county, or coordinates typed as "lon, lat". One
 * Idempotency-Key per opening: a second press, or a retry after a lost answer, assigns once.
 */
export function AssignDialog({ counties, catalog, onClose, onAssigned }: { counties: readonly AssignableCounty[]; catalog: readonly CatalogItem[]; onClose(): void; onAssigned(id: string): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const now = useNow();
  const [key] = useState(() => `assign-${crypto.randomUUID()}`);
  const [countyId, setCountyId] = useState(counties.length === 1 ? counties[0]!.id : '');
  const [itemCode, setItemCode] = useState('');
  const [urgencyChosen, setUrgency] = useState<Urgency | null>(null);
  const [description, setDescription] = useState('');
  const [placeQuery, setPlaceQuery] = useState('');
  const [place, setPlace] = useState<Place | null>(null);
  const [due, setDue] = useState(() => defaultDueLocal(now, 3));
  const [note, setNote] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ActionProblem | null>(null);

  const county = counties.find((c) => c.id === countyId) ?? null;
  const item = catalog.find((i) => i.code === itemCode) ?? null;
  const urgency = urgencyOf(urgencyChosen, item);
  const typedPoint = place ? null : parsePoint(placeQuery);
  // typed coordinates are no address to look up; 20 asked so that six of the county's remain
  const hits = useAddressHits(place || typedPoint ? '' : placeQuery, { limit: 20, keep: county ? (h) => county.towns.has(h.townId) : undefined });
  const dueAt = dueFromLocal(due);
  // an address of another county no longer fits once the county changes
  const placeOutside = place?.kind === 'address' && county !== null && !county.towns.has(place.hit.townId);

  const missing = {
    county: !county,
    item: !item,
    description: description.trim() === '',
    place: !place && !typedPoint,
    due: dueAt === null || Date.parse(dueAt) <= now,
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const at = place ?? (typedPoint ? ({ kind: 'point', ...typedPoint } as const) : null);
    if (Object.values(missing).some(Boolean) || placeOutside || !county || !item || !urgency || !at || !dueAt) return;
    const body: AssignmentRequest = {
      countyId: county.id,
      itemCode: item.code,
      description: description.trim(),
      location: at.kind === 'address' ? { addressCode: at.hit.code } : { lon: at.lon, lat: at.lat },
      urgency,
      dueAt,
      ...(note.trim() ? { note: note.trim() } : {}),
    };
    setBusy(true);
    setProblem(null);
    try {
      const created = await assignDown(api, body, key);
      onAssigned(created.id);
    } catch (err) {
      setProblem({ title: t('assignments.dialog.failed'), message: err instanceof ApiRequestError || err instanceof Error ? err.message : String(err), hint: null });
    } finally {
      setBusy(false);
    }
  };

  // Enter assigns from a one-line field or a list, Ctrl+Enter from a text box (where Enter is a new line)
  const onKeyDown = (e: KeyboardEvent<HTMLFormElement>) => {
    if (e.key !== 'Enter' || e.nativeEvent.isComposing) return;
    const target = e.target as HTMLElement;
    if (target.tagName === 'BUTTON' || (target.tagName === 'TEXTAREA' && !(e.ctrlKey || e.metaKey))) return;
    e.preventDefault();
    e.currentTarget.requestSubmit();
  };

  const required = (field: string) => <em className="field-error">{t('dialog.required', { field })}</em>;
  return (
    <Dialog title={t('assignments.dialog.title')} subtitle={t('assignments.dialog.subtitle')} onClose={onClose} size="wide" testId="dialog-assign">
      <form className="dialog-body" onSubmit={(e) => void onSubmit(e)} onKeyDown={onKeyDown} noValidate>
        <div className="dialog-row">
          <label className="dialog-field">
            <span>{t('assignments.dialog.county')}</span>
            <select data-autofocus value={countyId} onChange={(e) => setCountyId(e.target.value)} aria-invalid={touched && missing.county} data-testid="assign-county">
              <option value="">{t('assignments.dialog.countyNone')}</option>
              {counties.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
            {touched && missing.county && required(t('assignments.dialog.county'))}
          </label>
          <ItemSelect
            testId="assign-item"
            labels={{ label: t('assignments.dialog.item'), none: t('assignments.dialog.itemNone') }}
            items={catalog}
            value={itemCode}
            onChange={setItemCode}
            invalid={touched && missing.item}
          >
            {touched && missing.item && required(t('assignments.dialog.item'))}
          </ItemSelect>
          <UrgencySelect testId="assign-urgency" label={t('assignments.dialog.urgency')} item={item} value={urgency} onChange={setUrgency} />
        </div>
        <label className="dialog-field">
          <span>{t('assignments.dialog.description')}</span>
          <textarea
            rows={3}
            maxLength={4000}
            value={description}
            placeholder={t('assignments.dialog.descriptionPlaceholder')}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={touched && missing.description}
            data-testid="assign-description"
          />
          {touched && missing.description && required(t('assignments.dialog.description'))}
        </label>
        <AddressField
          testId="assign-place"
          labels={{ label: t('assignments.dialog.place'), placeholder: t('assignments.dialog.placePlaceholder'), change: t('assignments.dialog.placeChange') }}
          query={placeQuery}
          onQueryChange={setPlaceQuery}
          picked={place === null ? null : place.kind === 'address' ? place.hit.address : t('assignments.dialog.placePoint', { lon: place.lon, lat: place.lat })}
          hits={hits}
          onPick={(hit) => setPlace({ kind: 'address', hit })}
          onClear={() => {
            setPlace(null);
            setPlaceQuery('');
          }}
          invalid={touched && missing.place}
        >
          {typedPoint && <span className="muted">{t('assignments.dialog.placePoint', typedPoint)}</span>}
          {placeOutside && <em className="field-error">{t('assignments.dialog.placeOutside')}</em>}
          {touched && missing.place && required(t('assignments.dialog.place'))}
        </AddressField>
        <div className="dialog-row">
          <label className="dialog-field" style={{ flex: '0 0 16rem' }}>
            <span>{t('assignments.dialog.due')}</span>
            <input type="datetime-local" value={due} onChange={(e) => setDue(e.target.value)} aria-invalid={touched && missing.due} data-testid="assign-due" />
            {touched && missing.due ? <em className="field-error">{t('assignments.dialog.duePast')}</em> : <span className="muted">{t('assignments.dialog.dueHint', { days: MAX_ASSIGNMENT_DAYS })}</span>}
          </label>
          <label className="dialog-field">
            <span>{t('assignments.dialog.note')}</span>
            <textarea rows={2} maxLength={1000} value={note} placeholder={t('assignments.dialog.notePlaceholder')} onChange={(e) => setNote(e.target.value)} data-testid="assign-note" />
          </label>
        </div>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('assignments.dialog.submit')} busy={busy} hint={t('assignments.dialog.keysHint')} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
