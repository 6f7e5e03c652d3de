import { expect, type Locator } from '@playwright/test';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { TeamStatus, TimelineResponse } from '../../shared/contracts/workflow.js';
import type { ConsoleDriver, DemoUser, ReportedCase } from './driver';

/** What the timeline shows of one entry, and where its parts lie on the page. */
export interface DrawnStamp {
  at: string;
  date: string | null;
  time: string;
  /** The stamp's text, the marker after it and the entry's body, left to right (px). */
  textRight: number;
  markerLeft: number;
  markerRight: number;
  bodyLeft: number;
  /** The stamp's text runs out of its box (so something else may be drawn over it). */
  cut: boolean;
}

/**
 * Dispatching, closing and voiding as a dispatcher does them at the keyboard, and the pieces of
 * the case panel those specs look at: the dispatch dialog's override panel, the close and void
 * confirmations, the action bar's notices and the timeline's stamps.
 */
export class DispatchDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  // ---------- given (the API) ----------

  /** Sets a team's duty status as a dispatcher (`POST /teams/{id}/status`). */
  async givenTheTeamIs(teamId: string, status: TeamStatus, as: DemoUser = 'demo-dispatcher'): Promise<void> {
    const { token } = await this.gc.restLogin(as);
    const response = await this.gc.page.request.post(`${this.gc.server.url}/api/v1/teams/${teamId}/status`, { data: { status }, headers: { Authorization: `Bearer ${token}` } });
    expect(response.status(), `team ${teamId} → ${status}: ${await response.text()}`).toBe(200);
  }

  /** A case of demo-field's team that it handled: filed and dispatched by `dispatchedBy`, accepted, started and reported by the team. */
  async givenAHandledCase(reportedBy: DemoUser, description: string): Promise<ReportedCase> {
    const reported = await this.gc.givenACaseForTheFieldTeam(reportedBy, description);
    const { event, teamId } = reported;
    await this.gc.actAs('demo-duty', event.id, { action: 'file' });
    await this.gc.actAs('demo-duty', event.id, { action: 'dispatch', teamId });
    await this.gc.actAs('demo-field', event.id, { action: 'accept' });
    await this.gc.actAs('demo-field', event.id, { action: 'start' });
    await this.gc.actAs('demo-field', event.id, { action: 'report', result: '已拆除飞线，告知住户到集中充电棚充电' });
    return reported;
  }

  /** The case as the API holds it now. */
  async caseNow(id: string): Promise<EventRecord> {
    return this.gc.api<EventRecord>(`/events/${id}`);
  }

  async timelineOf(id: string): Promise<TimelineResponse> {
    return this.gc.api<TimelineResponse>(`/events/${id}/timeline`);
  }

  /** Open cases of the demo history that are with a team (reported on earlier days). */
  async seededCasesWithATeam(): Promise<EventRecord[]> {
    return (await this.gc.api<EventListResponse>('/events?status=accepted,in_progress&pageSize=1000')).items;
  }

  // ---------- the page ----------

  get overridePanel(): Locator {
    return this.gc.dispatchDialog.getByTestId('dispatch-override');
  }

  get overrideReason(): Locator {
    return this.gc.dispatchDialog.getByTestId('override-reason');
  }

  get dispatchConfirm(): Locator {
    return this.gc.dispatchDialog.getByTestId('dialog-confirm');
  }

  get closeDialog(): Locator {
    return this.gc.page.getByTestId('dialog-close');
  }

  get voidDialog(): Locator {
    return this.gc.page.getByTestId('dialog-void');
  }

  /** The box a close or a void must have ticked, in the open dialog. */
  get confirmCheck(): Locator {
    return this.gc.page.getByTestId('confirm-check');
  }

  /** The action bar's "done" and "refused" notices. */
  get done(): Locator {
    return this.gc.detail.getByTestId('action-done');
  }

  get refused(): Locator {
    return this.gc.detail.getByTestId('action-problem');
  }

  /** Every entry's stamp in the case's own timeline, with the geometry around it. */
  async drawnStamps(): Promise<DrawnStamp[]> {
    return this.gc.detail.locator('[data-testid="timeline"] > .tl-list:not([data-master]) > .tl-entry').evaluateAll((entries) =>
      entries.map((entry) => {
        const time = entry.querySelector('.tl-time')!;
        const body = entry.querySelector('.tl-body')!;
        const range = entry.ownerDocument.createRange();
        range.selectNodeContents(time);
        const box = time.getBoundingClientRect();
        const marker = entry.ownerDocument.defaultView!.getComputedStyle(time, '::after');
        // the marker is placed by its right edge, outside the stamp's box
        const markerRight = box.right - parseFloat(marker.right);
        const text = range.getBoundingClientRect();
        return {
          at: time.getAttribute('datetime') ?? '',
          date: time.querySelector('.tl-date')?.textContent ?? null,
          time: time.querySelector('.tl-clock')?.textContent ?? '',
          textRight: text.right,
          markerLeft: markerRight - parseFloat(marker.width),
          markerRight,
          bodyLeft: body.getBoundingClientRect().left,
          // (not scrollWidth: the marker, placed outside the box, counts as overflow there)
          cut: text.left < box.left - 0.5 || text.right > box.right + 0.5,
        };
      }),
    );
  }
}
