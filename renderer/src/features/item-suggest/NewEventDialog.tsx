import { useCallback, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { AddressHit } from '../../../../shared/contracts/addresses.js';
import type { CatalogItem, CatalogResponse } from '../../../../shared/contracts/catalog.js';
import type { ClassifyResponse, ItemSuggestion } from '../../../../shared/contracts/classify.js';
import { EVENT_SOURCES, reporterPhoneSchema, type EventCreated, type EventIntake, type EventSource, type Urgency } from '../../../../shared/contracts/events.js';
import { ApiRequestError } from '../../app/api-client';
import { effectiveItem, useItemSuggestions, type SuggestionFetcher } from '../../app/item-suggest';
import { useServices } from '../../app/services';
import { AddressField, useAddressHits } from '../../app/ui/AddressField';
import { ItemSelect, UrgencySelect, urgencyOf } from '../../app/ui/ItemFields';
import { Dialog, DialogFooter, DialogProblem, submitOnCtrlEnter } from '../case-actions/dialogs/Dialog';
import type { ActionProblem } from '../case-actions/wording';
import { useItemNames } from '../catalog/use-item-names';
import { ItemSuggestStrip } from './ItemSuggestStrip';

/**
 * 登记事件: a case taken on the phone (12345, 110 hand-over, a walk-in) or from another system,
 * keyboard first. The operator writes down what the caller says; the item suggestion under the
 * description fills the item while nobody has chosen one (marked as suggested) and Alt+1/2/3 or
 * a click picks one of the three; a choice made by hand is never replaced. The place is a
 * household's unified address. The case goes through the one intake (`POST /api/v1/events`).
 */
export function NewEventDialog({ catalog, onClose, onCreated }: { catalog: CatalogResponse | undefined; onClose(): void; onCreated(id: string): void }) {
  const { t } = useTranslation();
  const { api } = useServices();
  const { name: itemNamer } = useItemNames();
  const items = useMemo(() => catalog?.items ?? [], [catalog]);
  const byCode = useMemo(() => new Map(items.map((i) => [i.code, i])), [items]);
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const [urgencyChosen, setUrgency] = useState<Urgency | null>(null);
  const [source, setSource] = useState<EventSource>('hotline_12345');
  const [addressQuery, setAddressQuery] = useState('');
  const [address, setAddress] = useState<AddressHit | null>(null);
  const [reporterName, setReporterName] = useState('');
  const [phone, setPhone] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ActionProblem | null>(null);

  const fetcher = useCallback<SuggestionFetcher>((text, signal) => api.post<ClassifyResponse>('/classify', { text }, { signal }), [api]);
  const suggestions = useItemSuggestions(fetcher, description);
  const { code, auto } = effectiveItem(chosen, suggestions);
  const item: CatalogItem | null = code ? (byCode.get(code) ?? null) : null;
  const urgency = urgencyOf(urgencyChosen, item);
  const hits = useAddressHits(address ? '' : addressQuery);
  const pick = useCallback((s: ItemSuggestion) => setChosen(s.itemCode), []);

  const phoneOk = phone.trim() === '' || reporterPhoneSchema.safeParse(phone.trim()).success;
  const missing = {
    description: description.trim() === '',
    item: !item,
    address: !address,
    reporter: reporterName.trim() === '',
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(missing).some(Boolean) || !phoneOk || !item || !address || !urgency) return;
    const intake: EventIntake = {
      itemCode: item.code,
      description: description.trim(),
      location: { addressCode: address.code },
      source,
      urgency,
      reporter: { name: reporterName.trim(), ...(phone.trim() ? { phone: phone.trim() } : {}) },
    };
    setBusy(true);
    setProblem(null);
    try {
      const created = await api.post<EventCreated>('/events', intake);
      onCreated(created.id);
    } catch (err) {
      setProblem({ title: t('newEventDialog.failed'), message: err instanceof ApiRequestError || err instanceof Error ? err.message : String(err), hint: null });
    } finally {
      setBusy(false);
    }
  };

  const required = (field: string) => <em className="field-error">{t('dialog.required', { field })}</em>;
  return (
    <Dialog title={t('newEventDialog.title')} subtitle={t('newEventDialog.subtitle')} onClose={onClose} size="wide" testId="dialog-new-event">
      <form className="dialog-body" onSubmit={(e) => void onSubmit(e)} onKeyDown={submitOnCtrlEnter} noValidate>
        <label className="dialog-field">
          <span>{t('newEventDialog.description')}</span>
          <textarea
            data-autofocus
            rows={3}
            maxLength={4000}
            value={description}
            placeholder={t('newEventDialog.descriptionPlaceholder')}
            onChange={(e) => setDescription(e.target.value)}
            aria-invalid={touched && missing.description}
            data-testid="new-event-description"
          />
          {touched && missing.description && required(t('newEventDialog.description'))}
        </label>
        <ItemSuggestStrip state={suggestions} chosenCode={code} itemName={(s) => itemNamer(s)} onPick={pick} />
        <div className="dialog-row">
          <ItemSelect
            testId="new-event-item"
            labels={{ label: t('newEventDialog.item'), none: t('newEventDialog.itemNone') }}
            labelNote={
              auto && (
                <span className="suggest-auto" data-testid="new-event-item-auto">
                  {' · '}
                  {t('newEventDialog.itemAuto')}
                </span>
              )
            }
            items={items}
            value={code ?? ''}
            onChange={(value) => setChosen(value || null)}
            invalid={touched && missing.item}
          >
            {touched && missing.item && required(t('newEventDialog.item'))}
          </ItemSelect>
          <UrgencySelect testId="new-event-urgency" label={t('newEventDialog.urgency')} item={item} value={urgency} onChange={setUrgency} />
          <label className="dialog-field" style={{ flex: '0 0 11rem' }}>
            <span>{t('newEventDialog.source')}</span>
            <select value={source} onChange={(e) => setSource(e.target.value as EventSource)} data-testid="new-event-source">
              {EVENT_SOURCES.map((s) => (
                <option key={s} value={s}>
                  {t(`source.${s}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        <AddressField
          testId="new-event-address"
          labels={{ label: t('newEventDialog.address'), placeholder: t('newEventDialog.addressPlaceholder'), change: t('newEventDialog.addressChange') }}
          query={addressQuery}
          onQueryChange={setAddressQuery}
          picked={address?.address ?? null}
          hits={hits}
          onPick={setAddress}
          onClear={() => {
            setAddress(null);
            setAddressQuery('');
          }}
          invalid={touched && missing.address}
        >
          {touched && missing.address && required(t('newEventDialog.address'))}
        </AddressField>
        <div className="dialog-row">
          <label className="dialog-field">
            <span>{t('newEventDialog.reporter')}</span>
            <input value={reporterName} maxLength={64} onChange={(e) => setReporterName(e.target.value)} aria-invalid={touched && missing.reporter} data-testid="new-event-reporter" />
            {touched && missing.reporter && required(t('newEventDialog.reporter'))}
          </label>
          <label className="dialog-field">
            <span>{t('newEventDialog.phone')}</span>
            <input value={phone} maxLength={20} inputMode="tel" placeholder={t('newEventDialog.phonePlaceholder')} onChange={(e) => setPhone(e.target.value)} aria-invalid={touched && !phoneOk} />
            {touched && !phoneOk && <em className="field-error">{t('newEventDialog.badPhone')}</em>}
          </label>
        </div>
        <DialogProblem problem={problem} />
        <DialogFooter confirmLabel={t('newEventDialog.submit')} busy={busy} hint={t('newEventDialog.keysHint')} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
