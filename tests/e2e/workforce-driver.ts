import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Locator } from '@playwright/test';
import type {
  TrainingProgressResponse,
  TrainingSessionDetail,
  TrainingSessionList,
  TrainingSubject,
  WorkerCertificateList,
} from '../../shared/contracts/training.js';
import type { WorkerActivityResponse, WorkerListResponse, WorkerRecord } from '../../shared/contracts/workforce.js';
import type { ConsoleDriver, DemoUser } from './driver';

/** Where the workforce screenshots go, to be looked at (besides test-results/screens). */
const SHOTS = process.env.GRIDCOMMAND_SHOTS_DIR ?? resolve(import.meta.dirname, '../../test-results/screens');

/**
 * 网格队伍 as the grid office uses it: the worker list, a worker's record, activity and
 * coverage, the edit form; the API's own answers to hold the screen against.
 */
export class WorkforceDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  // ---------- the API ----------

  workers(query: Record<string, string>, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerListResponse> {
    return this.gc.api<WorkerListResponse>(`/workforce/workers?${new URLSearchParams(query)}`, as);
  }

  worker(id: string, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerRecord> {
    return this.gc.api<WorkerRecord>(`/workforce/workers/${id}`, as);
  }

  townActivity(period: { from: string; to: string }, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerActivityResponse> {
    return this.gc.api<WorkerActivityResponse>(`/workforce/activity?${new URLSearchParams(period)}`, as);
  }

  activity(id: string, period: { from: string; to: string }, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerActivityResponse> {
    return this.gc.api<WorkerActivityResponse>(`/workforce/workers/${id}/activity?${new URLSearchParams(period)}`, as);
  }

  // ---------- when ----------

  /** Opens the console at `/` and signs in: the grid office lands on its home, the workforce. */
  async whenISignInAt(path: string, as: DemoUser): Promise<void> {
    await this.page.goto(`${this.gc.server.url.replace(/\/$/, '')}${path}`);
    await this.gc.whenISignIn(as);
  }

  async whenIOpenTheWorker(id: string): Promise<void> {
    await this.row(id).getByRole('button').click();
    await expect(this.detail).toHaveAttribute('data-worker-id', id);
  }

  /** Types the period's days into the activity panel's date fields. */
  async whenIChooseThePeriod(period: { from: string; to: string }): Promise<void> {
    await this.page.getByTestId('activity-from').locator('input').fill(period.from);
    await this.page.getByTestId('activity-to').locator('input').fill(period.to);
    await this.page.getByTestId('activity-to').locator('input').press('Enter');
  }

  async whenIChangeTheGradeTo(grade: number, reason: string): Promise<void> {
    await this.page.getByTestId('worker-edit').click();
    const form = this.page.getByTestId('worker-edit-form');
    await expect(form).toBeVisible();
    await form.getByTestId('worker-edit-grade').selectOption(String(grade));
    await form.getByTestId('worker-edit-reason').fill(reason);
    await form.getByTestId('worker-edit-save').click();
  }

  async whenIOpenTheSection(id: 'workers' | 'composition' | 'training' | 'deliberation'): Promise<void> {
    await this.page.getByTestId(`admin-section-${id}`).click();
    await expect(this.page.getByTestId('workforce-screen')).toHaveAttribute('data-tab', id);
  }

  async screenshot(name: string, target?: { screenshot(options: { path: string }): Promise<unknown> }): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    await (target ?? this.page).screenshot({ path: resolve(SHOTS, name) });
  }

  // ---------- then ----------

  get screen(): Locator {
    return this.page.getByTestId('workforce-screen');
  }

  get rows(): Locator {
    return this.page.getByTestId('worker-row');
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="worker-row"][data-worker-id="${id}"]`);
  }

  get detail(): Locator {
    return this.page.getByTestId('worker-detail');
  }

  figure(id: string): Locator {
    return this.page.getByTestId(`activity-${id}`);
  }

  /** The period the activity panel shows, as its date fields say. */
  async shownPeriod(): Promise<{ from: string; to: string }> {
    return { from: await this.page.getByTestId('activity-from').locator('input').inputValue(), to: await this.page.getByTestId('activity-to').locator('input').inputValue() };
  }

  /** The charts of the open section have drawn (or say they have nothing to draw). */
  async thenTheChartsHaveDrawn(): Promise<void> {
    for (const chart of await this.page.locator('.chart-card .chart:not(.chart-state)').all()) {
      await expect(chart).toHaveAttribute('data-chart-ready', 'true');
    }
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
  }
}

/** A new training session as the grid office fills it in, with a course made on the spot. */
export interface NewTrainingSession {
  course: { subject: TrainingSubject; title: string; hours: number };
  mode: 'online' | 'offline';
  heldOn: string;
  place: string;
  trainer: string;
  hours: number;
}

/**
 * 网格队伍 › 培训 as the grid office records training: the year's sessions, the new-session
 * dialog, a session's attendance form and the certificate dialog; the training API to hold the
 * screen against.
 */
export class TrainingDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  // ---------- the API ----------

  progress(query: Record<string, string>, as: DemoUser = 'demo-town-gridoffice'): Promise<TrainingProgressResponse> {
    return this.gc.api<TrainingProgressResponse>(`/training/progress?${new URLSearchParams(query)}`, as);
  }

  sessions(query: Record<string, string>, as: DemoUser = 'demo-town-gridoffice'): Promise<TrainingSessionList> {
    return this.gc.api<TrainingSessionList>(`/training/sessions?${new URLSearchParams(query)}`, as);
  }

  session(id: string, as: DemoUser = 'demo-town-gridoffice'): Promise<TrainingSessionDetail> {
    return this.gc.api<TrainingSessionDetail>(`/training/sessions/${id}`, as);
  }

  certificates(query: Record<string, string>, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerCertificateList> {
    return this.gc.api<WorkerCertificateList>(`/training/certificates?${new URLSearchParams(query)}`, as);
  }

  // ---------- when ----------

  /** Signs in at the training section and shows the sessions of `year`. */
  async whenIOpenTrainingOf(year: number, as: DemoUser): Promise<void> {
    await this.page.goto(`${this.gc.server.url.replace(/\/$/, '')}/workforce?tab=training`);
    await this.gc.whenISignIn(as);
    await expect(this.page.getByTestId('workforce-screen')).toHaveAttribute('data-tab', 'training');
    await this.page.getByTestId('training-year').selectOption(String(year));
    await expect(this.page.getByTestId('training-sessions-total')).toContainText(String(year));
  }

  /** Opens the new-session dialog and fills it in, a new course included; does not confirm. */
  async whenIFillInANewSession(s: NewTrainingSession): Promise<void> {
    await this.page.getByTestId('training-session-new').click();
    const form = this.dialog;
    await expect(form).toBeVisible();
    await expect(form.getByTestId('training-form-course').locator('option')).not.toHaveCount(2);
    await form.getByTestId('training-form-course').selectOption('new');
    await form.getByTestId('training-form-subject').selectOption(s.course.subject);
    await form.getByTestId('training-form-course-title').fill(s.course.title);
    await form.getByTestId('training-form-course-hours').fill(String(s.course.hours));
    await form.getByTestId('training-form-mode').selectOption(s.mode);
    await form.getByTestId('training-form-held-on').locator('input').fill(s.heldOn);
    await form.getByTestId('training-form-held-on').locator('input').press('Tab');
    await form.getByTestId('training-form-place').fill(s.place);
    await form.getByTestId('training-form-trainer').fill(s.trainer);
    await form.getByTestId('training-form-hours').fill(String(s.hours));
  }

  async whenIConfirmTheDialog(): Promise<void> {
    await this.page.getByTestId('admin-confirm-ok').click();
  }

  async whenIOpenTheSession(id: string): Promise<void> {
    await this.sessionRow(id).getByRole('button').click();
    await expect(this.detail).toHaveAttribute('data-session-id', id);
  }

  /** Finds the worker by id in the attendance form and adds them to the rows to save. */
  async whenIAddTheAttendee(workerId: string): Promise<void> {
    await this.detail.getByTestId('training-attendance-search').fill(workerId);
    const candidate = this.detail.locator(`[data-testid="training-attendance-candidate"][data-worker-id="${workerId}"]`);
    await candidate.getByTestId('training-attendance-add').click();
    await expect(this.draftRow(workerId)).toBeVisible();
  }

  async whenIGiveTheAttendee(workerId: string, hours: number, result: 'passed' | 'failed' | 'none'): Promise<void> {
    await this.draftRow(workerId).getByTestId('training-draft-hours').fill(String(hours));
    await this.draftRow(workerId).getByTestId('training-draft-passed').selectOption(result);
  }

  async whenISaveTheAttendance(): Promise<void> {
    await this.detail.getByTestId('training-attendance-save').click();
  }

  /** Opens the certificate dialog from the worker's attendance row and fills it in (earned at the session); does not confirm. */
  async whenIFillInACertificate(workerId: string, c: { title: string; number: string; issuedOn: string }): Promise<void> {
    await this.attendanceRow(workerId).getByTestId('training-certificate-new').click();
    const form = this.page.getByTestId('training-certificate-form');
    await expect(form).toBeVisible();
    await form.getByTestId('certificate-title').fill(c.title);
    await form.getByTestId('certificate-number').fill(c.number);
    await form.getByTestId('certificate-issued-on').locator('input').fill(c.issuedOn);
    await form.getByTestId('certificate-issued-on').locator('input').press('Tab');
    await expect(form.getByTestId('certificate-from-session')).toBeChecked();
  }

  // ---------- then ----------

  get dialog(): Locator {
    return this.page.getByTestId('training-session-form');
  }

  get sessionRows(): Locator {
    return this.page.getByTestId('training-session-row');
  }

  sessionRow(id: string): Locator {
    return this.page.locator(`[data-testid="training-session-row"][data-session-id="${id}"]`);
  }

  get detail(): Locator {
    return this.page.getByTestId('training-session-detail');
  }

  draftRow(workerId: string): Locator {
    return this.page.locator(`[data-testid="training-draft-row"][data-worker-id="${workerId}"]`);
  }

  attendanceRow(workerId: string): Locator {
    return this.page.locator(`[data-testid="training-attendance-row"][data-worker-id="${workerId}"]`);
  }

  behindRow(workerId: string): Locator {
    return this.page.locator(`[data-testid="training-behind-row"][data-worker-id="${workerId}"]`);
  }
}
