import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { deflateSync } from 'node:zlib';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { Attachment } from '../../shared/contracts/workflow.js';
import { DEMO_PASSWORD, type ConsoleDriver, type DemoUser } from './driver';
import type { RunningServer } from './server-process';

/** A phone: 390×844 CSS pixels, touch, Chinese, China time, a GPS fix. */
export const PHONE = { width: 390, height: 844 };

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** Console messages a phone that goes offline on purpose is expected to log. */
const NETWORK_NOISE = [/ERR_INTERNET_DISCONNECTED/, /ERR_CONNECTION_RESET/, /ERR_FAILED/, /Failed to load resource/, /WebSocket connection to .* failed/];

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const localStorage: { getItem(key: string): string | null };

/**
 * The field app (`/field`) on a phone, in its own browser context (its own session), driven by
 * touch. Console errors are collected and checked by `close`.
 */
export class PhoneDriver {
  readonly errors: string[] = [];
  /** Closing tears the socket down mid-request: what the page logs then is not the app's fault. */
  private closing = false;

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly server: RunningServer,
    private readonly tolerateNetworkNoise: boolean,
  ) {
    page.on('console', (message) => {
      const text = `${message.text()} (${message.location().url ?? ''})`;
      if (message.type() !== 'error' || this.closing) return;
      if (this.tolerateNetworkNoise && NETWORK_NOISE.some((re) => re.test(text))) return;
      this.errors.push(text);
    });
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
  }

  /**
   * `at`: where the phone's GPS puts it. `locationAllowed: false`: the worker has not allowed the
   * page its position (the browser answers PERMISSION_DENIED).
   */
  static async open(
    browser: Browser,
    server: RunningServer,
    at: { lon: number; lat: number },
    opts: { tolerateNetworkNoise?: boolean; locationAllowed?: boolean } = {},
  ): Promise<PhoneDriver> {
    const context = await browser.newContext({
      viewport: PHONE,
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 1,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
      geolocation: { longitude: at.lon, latitude: at.lat, accuracy: 15 },
      permissions: opts.locationAllowed === false ? [] : ['geolocation'],
    });
    const page = await context.newPage();
    return new PhoneDriver(context, page, server, opts.tolerateNetworkNoise ?? false);
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.context.close();
    expect(this.errors, 'console errors of the field app').toEqual([]);
  }

  // ---------- when ----------

  async whenISignIn(username: DemoUser): Promise<void> {
    await this.page.goto(new URL('/field', this.server.url).href);
    const login = this.page.getByTestId('field-login');
    await expect(login).toBeVisible();
    // by role in the form, not by words: the worker may have switched the language first
    await login.locator('input[autocomplete="username"]').fill(username);
    await login.locator('input[autocomplete="current-password"]').fill(DEMO_PASSWORD);
    await login.locator('button[type="submit"]').tap();
    await expect(this.page.getByTestId('field-status-bar')).toBeVisible();
    await expect(this.page.getByTestId('field-link')).toHaveAttribute('data-link', 'connected');
  }

  async whenIOpenTheTask(eventId: string): Promise<void> {
    await this.task(eventId).tap();
    await expect(this.taskScreen).toHaveAttribute('data-event-id', eventId);
  }

  /** Taps the big button, which must be offering `step`. */
  async whenITapTheNextStep(step: string): Promise<void> {
    await expect(this.primary).toHaveAttribute('data-step', step);
    await this.primary.tap();
  }

  async whenIReportTheResult(result: string, photo: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.whenITapTheNextStep('report');
    const form = this.page.getByTestId('field-report-form');
    await expect(form).toBeVisible();
    await form.getByTestId('field-photo-input').setInputFiles(photo);
    await expect(form.getByTestId('field-photo')).toHaveCount(1);
    await form.getByTestId('field-result').fill(result);
  }

  async whenISubmit(): Promise<void> {
    await this.page.getByTestId('field-submit').tap();
  }

  async whenIGoBack(): Promise<void> {
    await this.page.getByRole('button', { name: '‹ 返回' }).tap();
  }

  /** A screenshot of the phone's screen (390×844), or of the whole page when `fullPage`. */
  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    mkdirSync(SCREENS, { recursive: true });
    await this.page.screenshot({ path: resolve(SCREENS, `field-${name}-390x844.png`), fullPage: opts.fullPage ?? false });
  }

  // ---------- then ----------

  task(eventId: string): Locator {
    return this.page.locator(`[data-testid="field-task"][data-event-id="${eventId}"]`);
  }

  get taskScreen(): Locator {
    return this.page.getByTestId('field-task-screen');
  }

  get primary(): Locator {
    return this.page.getByTestId('field-primary');
  }

  get outbox(): Locator {
    return this.page.getByTestId('field-outbox');
  }

  /** The refusals on screen (the task screen shows its case's; the list shows all). */
  get refusals(): Locator {
    return this.page.getByTestId('field-refusal');
  }

  async thenTheTaskIs(status: string): Promise<void> {
    await expect(this.taskScreen).toHaveAttribute('data-status', status);
  }

  /** The outbox as stored on the phone (localStorage). */
  async storedOutbox(): Promise<{ key: string; label: string; attempts: number; body: Record<string, unknown> }[]> {
    return this.page.evaluate(() => JSON.parse(localStorage.getItem('gridcommand.field.outbox.v1') ?? '[]') as { key: string; label: string; attempts: number; body: Record<string, unknown> }[]);
  }
}

/** `POST /api/v1/attachments` as a demo user: a photo to attach to an action they take. */
export async function uploadPhotoAs(gc: ConsoleDriver, as: DemoUser, photo: { name: string; mimeType: string; buffer: Buffer }): Promise<Attachment> {
  const { token } = await gc.restLogin(as);
  const response = await gc.page.request.post(`${gc.server.url}/api/v1/attachments`, {
    data: photo.buffer,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': photo.mimeType, 'X-Filename': encodeURIComponent(photo.name) },
  });
  // 201 stored; 200 the same bytes this user uploaded before
  expect([200, 201], `upload as ${as}: ${await response.text()}`).toContain(response.status());
  const stored = (await response.json()) as { id: string; name: string };
  return { id: stored.id, name: stored.name };
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const byte of buf) c = CRC_TABLE[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A small valid PNG (RGB, `size`×`size`, a diagonal stripe) made here: no file from anywhere. */
export function makePng(size = 32): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  const rows: number[] = [];
  for (let y = 0; y < size; y++) {
    rows.push(0); // filter: none
    for (let x = 0; x < size; x++) rows.push(...(Math.abs(x - y) < 3 ? [200, 30, 30] : [240, 240, 240]));
  }
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(Buffer.from(rows))), chunk('IEND', Buffer.alloc(0))]);
}
