import { mkdir, writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, type Download, type Locator, type Page } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import type { BriefingResponse } from '../../shared/contracts/briefing.js';
import type { ConsoleDriver, DemoUser } from './driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const document: { fonts: { ready: Promise<unknown> } };

/** A period of the briefing as the URL and the API take it. */
export interface BriefingPeriod {
  from: string;
  to: string;
}

const query = (p: BriefingPeriod) => new URLSearchParams({ from: p.from, to: p.to }).toString();

/**
 * Chromium writes a PDF's text map from the font's character map, and Noto CJK maps many common
 * characters' glyphs from a radical's code point too (一 from U+2F00 ⼀, 马 from U+2EE2 ⻢): the
 * text reads back with radicals. NFKC folds the Kangxi radicals (and only those: it would also
 * turn full-width punctuation into ASCII); the simplified radicals of the supplement, which it
 * leaves, are folded here.
 */
const RADICALS: Record<string, string> = {
  '\u2EA0': '民', '\u2EC4': '西', '\u2EC5': '见', '\u2EC6': '角', '\u2EC8': '讠', '\u2EC9': '贝', '\u2ECB': '车', '\u2ED4': '门', '\u2ED6': '阝',
  '\u2ED7': '雨', '\u2ED8': '青', '\u2EDA': '页', '\u2EDB': '风', '\u2EDC': '飞', '\u2EDD': '食', '\u2EE0': '饣', '\u2EE2': '马', '\u2EE3': '骨',
  '\u2EE4': '鬼', '\u2EE5': '鱼', '\u2EE6': '鸟', '\u2EE7': '卤', '\u2EE8': '麦', '\u2EE9': '黄', '\u2EEA': '黾', '\u2EEC': '齐', '\u2EEE': '齿',
  '\u2EF0': '龙', '\u2EF3': '龟',
};
export const foldRadicals = (text: string): string =>
  text.replace(/[\u2F00-\u2FDF]/g, (c) => c.normalize('NFKC')).replace(/[\u2E80-\u2EFF]/g, (c) => RADICALS[c] ?? c);

/**
 * The shift briefing (交班简报) as a shift lead uses it: the print page at `/briefing`, printed
 * with Chromium's print path (the same as the shell's printToPDF), its export buttons, and the
 * briefing's JSON as the API gives it.
 */
export class BriefingDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  get document(): Locator {
    return this.page.getByTestId('briefing-document');
  }

  /** `GET /api/v1/briefings` for the period, as `as`. */
  async json(period: BriefingPeriod, as: DemoUser): Promise<BriefingResponse> {
    return this.gc.api<BriefingResponse>(`/briefings?${query(period)}`, as);
  }

  // ---------- when ----------

  /** Opens `/briefing` for the period with no session, signs in at the login it shows, and waits for the document, its map and its fonts. */
  async whenIOpenTheBriefingSignedInAs(period: BriefingPeriod, as: DemoUser): Promise<void> {
    await this.page.goto(`${this.gc.server.url}/briefing?${query(period)}`);
    await this.gc.whenISignIn(as);
    await this.thenTheBriefingIsReady();
  }

  /** Prints the page as Chromium prints it (print media, the page's own A4 size and margins). */
  async whenIPrintItToPdf(): Promise<Buffer> {
    await this.page.emulateMedia({ media: 'print' });
    try {
      return await this.page.pdf({ preferCSSPageSize: true, printBackground: true });
    } finally {
      await this.page.emulateMedia({ media: 'screen' });
    }
  }

  /** Clicks an export button and waits for the download it starts. */
  async whenIExport(format: 'xlsx' | 'csv'): Promise<Download> {
    const download = this.page.waitForEvent('download');
    await this.page.locator(`.briefing-toolbar [data-export="${format}"]`).click();
    return download;
  }

  /**
   * On the shift lead's screen (ShiftPanel): the PDF button in a browser opens the print page in
   * a new tab that shares the session; resolves with that tab once its briefing is ready.
   */
  async whenIExportThePanelPdf(): Promise<Page> {
    const popup = this.page.context().waitForEvent('page');
    await this.page.locator('.shift-panel [data-export="pdf"]').click();
    const tab = await popup;
    await expect(tab.getByTestId('briefing-page')).toHaveAttribute('data-ready', 'true');
    return tab;
  }

  /** On the shift lead's screen: picks the briefing of a shift (`from|to` as ISO instants). */
  async whenIPickTheShift(period: BriefingPeriod): Promise<void> {
    await this.page.getByTestId('shift-picker').selectOption(`${new Date(period.from).toISOString()}|${new Date(period.to).toISOString()}`);
    await expect(this.page.getByTestId('briefing-preview').getByTestId('briefing-document')).toBeVisible();
  }

  // ---------- then ----------

  async thenTheBriefingIsReady(): Promise<void> {
    await expect(this.page.getByTestId('briefing-page')).toHaveAttribute('data-ready', 'true');
    await expect(this.document).toBeVisible();
    await expect(this.page.getByTestId('briefing-map').locator('svg')).toBeVisible();
    await this.page.evaluate(() => document.fonts.ready.then(() => undefined));
  }

  async thenTheExportSays(text: RegExp): Promise<void> {
    await expect(this.page.locator('.briefing-toolbar .briefing-export-status')).toHaveText(text);
  }

  // ---------- reading a PDF ----------

  /** The PDF's text (pdf-parse, pdf.js underneath) and its number of pages. */
  async pdfText(pdf: Buffer): Promise<{ text: string; pages: number }> {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const result = await parser.getText({ pageJoiner: '\n-- page_number --' });
      return { text: foldRadicals(result.text), pages: result.total };
    } finally {
      await parser.destroy();
    }
  }

  /** Saves pictures of the PDF's pages (rendered by pdf.js, on white paper) into test-results/screens as `<prefix>-<n>.png`. */
  async savePdfPages(pdf: Buffer, prefix: string): Promise<void> {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const shots = await parser.getScreenshot({ scale: 1.5, imageDataUrl: false });
      await mkdir(SCREENS, { recursive: true });
      for (const page of shots.pages) {
        const png = await sharp(Buffer.from(page.data)).flatten({ background: '#ffffff' }).png().toBuffer();
        await writeFile(resolve(SCREENS, `${prefix}-${page.pageNumber}.png`), png);
      }
    } finally {
      await parser.destroy();
    }
  }

  /** A screenshot of the whole page (the A4 sheet on screen) into test-results/screens. */
  async saveScreenshot(name: string): Promise<void> {
    await mkdir(SCREENS, { recursive: true });
    await this.page.screenshot({ path: resolve(SCREENS, name), fullPage: false });
  }
}
