import { writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { app, BrowserWindow, dialog, webContents } from 'electron';
import type { SavePdfResult } from '../../shared/contracts/ipc.js';

/**
 * Chromium's print path with the page's own stylesheet: its `@page` size (A4) and margins (GB/T
 * 9704's) and its page numbers, the same options the e2e test's `page.pdf()` uses, so the tested
 * PDF is the one the shell saves.
 */
export const PDF_OPTIONS = { pageSize: 'A4', preferCSSPageSize: true, printBackground: true, margins: { top: 0, bottom: 0, left: 0, right: 0 } } as const;

/**
 * The shift briefing's PDF export: asks where to save (offering `fileName` in the user's
 * documents folder), prints the calling page, writes the file. The page is the caller's own
 * (the briefing page, or the shift screen showing only the briefing while it prints); main never
 * loads a page of its own for it, so no session crosses to another window.
 */
export async function saveCallerAsPdf(contentsId: number, fileName: string): Promise<SavePdfResult> {
  const contents = webContents.fromId(contentsId);
  if (!contents || contents.isDestroyed()) throw new Error('the page that asked for the PDF is gone');
  const owner = BrowserWindow.fromWebContents(contents);
  const options = { title: '导出交班简报 PDF', defaultPath: join(app.getPath('documents'), fileName), filters: [{ name: 'PDF', extensions: ['pdf'] }] };
  const choice = owner ? await dialog.showSaveDialog(owner, options) : await dialog.showSaveDialog(options);
  if (choice.canceled || !choice.filePath) return { saved: false, reason: 'canceled' };
  const pdf = await contents.printToPDF(PDF_OPTIONS);
  await writeFile(choice.filePath, pdf);
  return { saved: true, fileName: basename(choice.filePath) };
}
