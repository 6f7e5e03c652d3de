import { useMutation } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { rolesAllow, type SessionUser } from '../../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { Action, ActionRequest } from '../../../../shared/contracts/workflow.js';
import { useServices } from '../../app/services';
import { offeredActions, verificationRequiredFor } from './offer';
import { caseActionMutation } from './queries';
import { CASE_ACTIONS } from './registry';
import { describeActionError, type ActionProblem, type Translate } from './wording';

export interface OpenActionDialog {
  /** The action whose dialog is open (its dialog is the registry's). */
  action: Action;
  /** The case the dialog acts on, whatever is selected meanwhile. */
  event: EventRecord;
  /** The team chosen beforehand (a case dropped on a team): the dispatch dialog preselects it. */
  teamId?: string;
}

/** Where a case stood when a notice was made of it: once it stands elsewhere, the notice is old news. */
export type CaseStand = Pick<EventRecord, 'status' | 'teamId'>;

const standOf = (event: CaseStand): CaseStand => ({ status: event.status, teamId: event.teamId });

/**
 * The outcome of the last action started from this console, shown in the action bar while the
 * case stands where the outcome left it (`stood`) and stays selected.
 */
export type ActionNotice =
  | { tone: 'ok'; eventId: string; action: Action; text: string; stood: CaseStand }
  | { tone: 'error'; eventId: string; action: Action; problem: ActionProblem; stood: CaseStand };

export interface CaseActions {
  /** The user's roles act on cases at all (the wall and read-only roles do not: no action bar). */
  canAct: boolean;
  /** Actions offered on the selected case to this user, in the state machine's order. */
  offered: Action[];
  dialog: OpenActionDialog | null;
  /** The action being sent, if any (one at a time). */
  pending: Action | null;
  notice: ActionNotice | null;
  /** Runs the action on the selected case, or opens the dialog that asks for its fields. */
  start(action: Action): void;
  /**
   * Opens the dispatch dialog for `event` (not necessarily the selected case) with `teamId`
   * chosen, as when a queue row is dropped on a team; says plainly when the case cannot be
   * dispatched by this user now (false: the notice says why, in the case's action bar).
   */
  dispatchTo(event: EventRecord, teamId: string): boolean;
  /** Sends a dialog's request; resolves to the problem to show in it, or null once done (the dialog closes). */
  submit(request: ActionRequest): Promise<ActionProblem | null>;
  closeDialog(): void;
}

/**
 * The selected case's actions for this console: which to offer, their dialogs, and sending
 * them. The answer is shown at once (the feed applies it without moving its seq, so the push
 * that follows is not applied twice); every other console learns of it from the push.
 */
export function useCaseActions(event: EventRecord | undefined, user: SessionUser, catalogItems: readonly CatalogItem[] | undefined): CaseActions {
  const { t } = useTranslation();
  const { api, feed } = useServices();
  const mutation = useMutation(caseActionMutation(api));
  const [dialog, setDialog] = useState<OpenActionDialog | null>(null);
  const [notice, setNotice] = useState<ActionNotice | null>(null);
  const [pending, setPending] = useState<Action | null>(null);

  // The notice clears when the case moves on: another case selected (so coming back never shows
  // an old outcome), or this one pushed to another state or team by someone else. Adjusted while
  // rendering, so the stale words are never drawn for a frame.
  const [noticeFor, setNoticeFor] = useState(event?.id);
  if (noticeFor !== event?.id) {
    setNoticeFor(event?.id);
    if (notice) setNotice(null);
  } else if (notice && event && notice.eventId === event.id && (notice.stood.status !== event.status || notice.stood.teamId !== event.teamId)) {
    setNotice(null);
  }
  // A refusal is stamped with where the case stands when it comes back (a push may have moved it meanwhile).
  const latest = useRef(event);
  useEffect(() => {
    latest.current = event;
  });
  const standNow = useCallback((target: EventRecord) => standOf(latest.current?.id === target.id ? latest.current : target), []);

  const offered = useMemo(
    () => (event ? offeredActions(event, { id: user.id, roles: user.roles, teamId: user.teamId }, verificationRequiredFor(event.itemCode, catalogItems)) : []),
    [event, user.id, user.roles, user.teamId, catalogItems],
  );

  const { mutateAsync } = mutation;
  const send = useCallback(
    async (target: EventRecord, request: ActionRequest): Promise<ActionProblem | null> => {
      setPending(request.action);
      setNotice(null);
      try {
        const result = await mutateAsync({ eventId: target.id, request });
        feed.applyOwn(result.event);
        setNotice({
          tone: 'ok',
          eventId: target.id,
          action: request.action,
          text: t('actions.done', { action: t(`actions.${request.action}`), id: target.id }),
          stood: standOf(result.event),
        });
        return null;
      } catch (err) {
        return describeActionError(t as unknown as Translate, request.action, err);
      } finally {
        setPending(null);
      }
    },
    [mutateAsync, feed, t],
  );

  const start = useCallback(
    (action: Action) => {
      if (!event || pending || !offered.includes(action)) return;
      CASE_ACTIONS[action].perform({
        openDialog: () => {
          setNotice(null);
          setDialog({ action, event });
        },
        send: (request) =>
          void send(event, request).then((problem) => {
            if (problem) setNotice({ tone: 'error', eventId: event.id, action, problem, stood: standNow(event) });
          }),
      });
    },
    [event, pending, offered, send, standNow],
  );

  const dispatchTo = useCallback(
    (target: EventRecord, teamId: string) => {
      if (pending) return false;
      const actor = { id: user.id, roles: user.roles, teamId: user.teamId };
      if (!offeredActions(target, actor, verificationRequiredFor(target.itemCode, catalogItems)).includes('dispatch')) {
        setNotice({
          tone: 'error',
          eventId: target.id,
          action: 'dispatch',
          problem: { title: t('actions.failed', { action: t('actions.dispatch') }), message: t('teams.cannotDispatch', { status: t(`status.${target.status}`) }), hint: null },
          stood: standOf(target),
        });
        return false;
      }
      setNotice(null);
      setDialog({ action: 'dispatch', event: target, teamId });
      return true;
    },
    [pending, user.id, user.roles, user.teamId, catalogItems, t],
  );

  const submit = useCallback(
    async (request: ActionRequest) => {
      if (!dialog) return null;
      const problem = await send(dialog.event, request);
      if (!problem) setDialog(null);
      return problem;
    },
    [dialog, send],
  );

  const closeDialog = useCallback(() => setDialog(null), []);
  return { canAct: rolesAllow(user.roles, 'case:act'), offered, dialog, pending, notice: notice && event && notice.eventId === event.id ? notice : null, start, dispatchTo, submit, closeDialog };
}
