import { useQuery } from '@tanstack/react-query';
import { useRef, useState, type FormEvent, type KeyboardEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { useItemNames } from '../../catalog/use-item-names';
import type { EventRecord } from '../../../../../shared/contracts/events.js';
import type { Recommendation } from '../../../../../shared/contracts/workflow.js';
import { ineligibility } from '../../../../../shared/domain/recommend.js';
import { useServices } from '../../../app/services';
import { recommendationsQuery } from '../queries';
import { pointsLabel, reasonLabel, reasonTone, type Translate } from '../wording';
import { Dialog, DialogProblem } from './Dialog';
import { defaultChoice, listKeyChoice } from './list-keys';
import { optional, useDialogSubmit, type ActionDialogProps } from './use-submit';

const hasReturned = (rec: Recommendation) => rec.reasons.some((r) => r.code === 'returned_before');

function RecommendationRow({ rec, index, chosen, top, current, onPick }: { rec: Recommendation; index: number; chosen: boolean; top: boolean; current: boolean; onPick(): void }) {
  const { t } = useTranslation();
  const tr = t as unknown as Translate;
  const returned = hasReturned(rec);
  return (
    <div
      id={`rec-${rec.teamId}`}
      role="option"
      aria-selected={chosen}
      className="rec"
      data-team-id={rec.teamId}
      data-eligible={rec.eligible}
      onClick={onPick}
    >
      <span className="choice-key" aria-hidden="true">
        {index < 9 ? index + 1 : ''}
      </span>
      <div className="rec-main">
        <div className="rec-head">
          <strong className="rec-name">{rec.teamName}</strong>
          <span className="rec-type">{t(`teamType.${rec.teamType}`, { defaultValue: rec.teamType })}</span>
          {top && <span className="tag tag-top">{t('dialog.dispatch.top')}</span>}
          {returned && <span className="tag tag-warn">{t('dialog.dispatch.returned')}</span>}
          {current && <span className="tag">{t('dialog.dispatch.current')}</span>}
          {!rec.eligible && <span className="tag tag-bad">{t('dialog.dispatch.ineligible')}</span>}
          <span className="rec-facts">
            <span className="team-status" data-status={rec.status}>
              {t(`teamStatus.${rec.status}`)}
            </span>
            <span>{t('dialog.dispatch.distance', { km: rec.distanceKm.toFixed(1) })}</span>
            <span>{t('dialog.dispatch.load', { count: rec.openCases })}</span>
            <span className="rec-score">{t('dialog.dispatch.score', { score: Math.round(rec.score * 10) / 10 })}</span>
          </span>
        </div>
        <ul className="reason-chips" aria-label={rec.teamName}>
          {rec.reasons.map((reason, i) => (
            <li key={`${reason.code}-${i}`} className="reason-chip" data-tone={reasonTone(reason)}>
              {reasonLabel(tr, reason)}
              <span className="reason-points">{pointsLabel(reason.points)}</span>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}

/**
 * Why the chosen team is not eligible, and either the written reason that sends it anyway (off
 * duty, another team type) or that no reason can (separation of duties): the server applies the
 * same rule (shared/domain/recommend.ts `INELIGIBILITY_OVERRIDABLE`).
 */
function OverridePanel({
  rec,
  overridable,
  reason,
  showMissing,
  inputRef,
  onReason,
}: {
  rec: Recommendation;
  overridable: boolean;
  reason: string;
  showMissing: boolean;
  inputRef: RefObject<HTMLInputElement | null>;
  onReason(value: string): void;
}) {
  const { t } = useTranslation();
  const tr = t as unknown as Translate;
  const why = rec.reasons.filter((r) => r.code === 'off_duty' || r.code === 'type_mismatch' || r.code === 'reporter_only_member');
  return (
    <div className="dispatch-override" data-overridable={overridable} data-testid="dispatch-override" role="group" aria-label={t('dialog.dispatch.whyIneligible', { team: rec.teamName })}>
      <strong>{t('dialog.dispatch.whyIneligible', { team: rec.teamName })}</strong>
      <ul className="dispatch-override-why">
        {why.map((r) => (
          <li key={r.code}>{reasonLabel(tr, r)}</li>
        ))}
      </ul>
      {overridable ? (
        <label className="dialog-field">
          <span>{t('dialog.dispatch.overrideReason')}</span>
          <input
            ref={inputRef}
            value={reason}
            maxLength={500}
            onChange={(e) => onReason(e.target.value)}
            placeholder={t('dialog.dispatch.overridePlaceholder')}
            aria-invalid={showMissing}
            required
            data-testid="override-reason"
          />
          {showMissing && <em className="field-error">{t('dialog.dispatch.overrideRequired')}</em>}
        </label>
      ) : (
        <p className="dispatch-override-never">{t('dialog.dispatch.notOverridable')}</p>
      )}
    </div>
  );
}

/**
 * 派遣: the teams ranked for the case with their reasons, the machine's choice preselected;
 * ↑/↓ or 1–9 choose, Enter dispatches. A case dropped on a team opens with that team chosen. The micro-grid's "5包1" roster is beside it, to call.
 * A team marked ineligible is sent only with a written reason where the rule allows one: Enter
 * on it moves to the reason field first, so a reflex Enter never sends an off-duty team.
 */
export function DispatchDialog({ event, place, preselectTeamId, submit, onClose }: ActionDialogProps & { event: EventRecord; place: string; preselectTeamId?: string }) {
  const { t } = useTranslation();
  const { name: itemName } = useItemNames();
  const { api } = useServices();
  const recs = useQuery(recommendationsQuery(api, event.id));
  const { busy, problem, setProblem, run } = useDialogSubmit(submit);
  const [picked, setPicked] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const [overrideReason, setOverrideReason] = useState('');
  const [touched, setTouched] = useState(false);
  const reasonRef = useRef<HTMLInputElement>(null);
  const list = recs.data?.recommendations ?? [];
  const top = defaultChoice(list);
  // A case dropped on a team comes with that team chosen; the keys still move the choice.
  const preselected = preselectTeamId ? list.findIndex((r) => r.teamId === preselectTeamId) : -1;
  const chosen = picked ?? (preselected >= 0 ? preselected : top);
  const choice = chosen === null ? undefined : list[chosen];
  const why = choice ? ineligibility(choice) : null;
  const reasonMissing = overrideReason.trim().length === 0;

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    if (!choice) {
      setProblem({ title: t('dialog.dispatch.choose'), message: recs.isPending ? t('dialog.dispatch.loading') : t('dialog.dispatch.none'), hint: null });
      return;
    }
    if (why && !why.overridable) return;
    if (why && reasonMissing) {
      setTouched(true);
      reasonRef.current?.focus();
      return;
    }
    const override = why ? { override: { reason: overrideReason.trim() } } : {};
    // A refusal may come from a change since the list was read (a team went off duty): read it again.
    void run({ action: 'dispatch', teamId: choice.teamId, note: optional(note), ...override }).then((refused) => refused && recs.refetch());
  };

  const onListKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const next = listKeyChoice(e.key, chosen ?? -1, list.length);
    if (next !== null) {
      e.preventDefault();
      setPicked(next);
      document.getElementById(`rec-${list[next]?.teamId}`)?.scrollIntoView({ block: 'nearest' });
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.currentTarget.closest('form')?.requestSubmit();
    }
  };

  return (
    <Dialog title={t('dialog.dispatch.title')} subtitle={t('dialog.dispatch.subtitle', { item: itemName(event), place })} onClose={onClose} size="wide" testId="dialog-dispatch">
      <form className="dialog-body" onSubmit={onSubmit} noValidate>
        {preselectTeamId && recs.isSuccess && preselected < 0 && (
          <p className="dialog-problem" role="alert">
            {t('teams.notRecommended')}
          </p>
        )}
        {recs.data && (
          <p className="dialog-hint">{t('dialog.dispatch.itemNeeds', { type: t(`teamType.${recs.data.itemTeamType}`, { defaultValue: recs.data.itemTeamType }) })}</p>
        )}
        <div className="dispatch-grid">
          <div
            className="choice-list rec-list"
            role="listbox"
            tabIndex={0}
            data-autofocus
            aria-label={t('dialog.dispatch.title')}
            aria-busy={recs.isPending}
            aria-activedescendant={choice ? `rec-${choice.teamId}` : undefined}
            onKeyDown={onListKey}
            data-testid="recommendations"
          >
            {recs.isPending && <p className="dialog-hint">{t('dialog.dispatch.loading')}</p>}
            {recs.isError && (
              <p className="dialog-problem" role="alert">
                {t('dialog.dispatch.error', { message: recs.error.message })}
              </p>
            )}
            {recs.isSuccess && list.length === 0 && <p className="dialog-hint">{t('dialog.dispatch.none')}</p>}
            {list.map((rec, i) => (
              <RecommendationRow
                key={rec.teamId}
                rec={rec}
                index={i}
                chosen={i === chosen}
                top={i === top && rec.eligible && !hasReturned(rec)}
                current={rec.teamId === event.teamId}
                onPick={() => setPicked(i)}
              />
            ))}
          </div>
          <aside className="roster" aria-label={t('dialog.dispatch.roster')}>
            <h3>{t('dialog.dispatch.roster')}</h3>
            {recs.data && recs.data.roster.length === 0 && <p className="muted">{t('dialog.dispatch.rosterNone')}</p>}
            <ul>
              {recs.data?.roster.map((p, i) => (
                <li key={`${p.role}-${i}`}>
                  <span className="roster-role">{t(`rosterRole.${p.role}`, { defaultValue: p.role })}</span>
                  <span className="roster-name">{p.name}</span>
                  <span className="roster-phone mono">{p.phone}</span>
                </li>
              ))}
            </ul>
          </aside>
        </div>
        {choice && why && (
          <OverridePanel rec={choice} overridable={why.overridable} reason={overrideReason} showMissing={touched && reasonMissing} inputRef={reasonRef} onReason={setOverrideReason} />
        )}
        {choice && hasReturned(choice) && <p className="dialog-callout">{t('dialog.dispatch.returnedHint', { team: choice.teamName })}</p>}
        <label className="dialog-field">
          <span>{t('dialog.note')}</span>
          <input value={note} maxLength={2000} onChange={(e) => setNote(e.target.value)} />
        </label>
        <DialogProblem problem={problem} />
        <footer className="dialog-footer">
          <span className="dialog-keys">{t('dialog.dispatch.keysHint')}</span>
          <button type="button" className="secondary-button" onClick={onClose}>
            {t('dialog.cancel')}
          </button>
          <button
            type="submit"
            className="primary-button dialog-confirm"
            data-tone={why ? 'danger' : undefined}
            disabled={busy || !choice || (why !== null && !why.overridable)}
            data-testid="dialog-confirm"
          >
            {busy
              ? t('dialog.submitting')
              : !choice
                ? t('dialog.dispatch.choose')
                : why
                  ? t(why.overridable ? 'dialog.dispatch.confirmOverride' : 'dialog.dispatch.cannot', { team: choice.teamName })
                  : t('dialog.dispatch.confirm', { team: choice.teamName })}
          </button>
        </footer>
      </form>
    </Dialog>
  );
}
