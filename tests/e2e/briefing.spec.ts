import { BRIEFING_COUNT_FIELDS } from '../../shared/contracts/briefing.js';
import { BRIEFING_COUNT_LABELS, KPI_RATE_FIELDS, KPI_RATE_LABELS } from '../../shared/domain/briefing-words.js';
import { BriefingDriver, type BriefingPeriod } from './briefing-driver';
import type { ShiftSchedule } from '../../shared/contracts/settings.js';
import type { ConsoleDriver } from './driver';
import { expect, test } from './fixtures';

/**
 * The shift briefing as the shift lead files it: the print page for a day shift of the e2e
 * county's seeded history (it is past, so its figures are fixed whatever runs before), printed
 * to PDF by Chromium, read back, and held against the JSON the API gives the shift lead.
 */
const DAY = '2026-10-31';

/**
 * The first shift of the schedule on that day, as it is set when the spec runs (another spec
 * may have moved its hours), with its name and the file name its exports get.
 */
async function dayShift(gc: ConsoleDriver): Promise<{ period: BriefingPeriod; name: string; start: string; end: string; fileName: string }> {
  const { shifts } = await gc.api<ShiftSchedule>('/settings/shifts', 'demo-lead');
  const shift = shifts[0]!;
  const period = { from: `${DAY}T${shift.start}:00+08:00`, to: `${DAY}T${shift.end}:00+08:00` };
  const compact = (hhmm: string) => hhmm.replace(':', '');
  return { period, name: shift.name, start: shift.start, end: shift.end, fileName: `交班简报_20261031_${compact(shift.start)}-20261031_${compact(shift.end)}` };
}

const HEADINGS = ['交班简报', '一、总体情况', '二、各镇街情况', '三、超期、临期和督办案件', '四、高发事项和热点网格', '五、重点事件', '六、队伍工作情况', '七、事件分布图'];

/** Cells of one table row in the PDF's text: pdf.js separates them by tabs or spaces. */
const row = (...cells: Array<string | number>) => new RegExp(cells.map((c) => String(c).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('\\s+'));
const rate = (r: number | null) => (r === null ? '—' : r.toFixed(2));

test('the briefing printed to PDF has the Chinese headings and exactly the JSON\'s figures', async ({ gc }) => {
  const briefing = new BriefingDriver(gc);
  const day = await dayShift(gc);
  await briefing.whenIOpenTheBriefingSignedInAs(day.period, 'demo-lead');
  const json = await briefing.json(day.period, 'demo-lead');
  expect(json.shift?.name).toBe(day.name);
  expect(json.counts.reported).toBeGreaterThan(0);
  await briefing.saveScreenshot('briefing-page-1920.png');

  const pdf = await briefing.whenIPrintItToPdf();
  const { text, pages } = await briefing.pdfText(pdf);
  await briefing.savePdfPages(pdf, 'briefing-pdf-page');

  // headings as set (the masthead is letter-spaced, so without the spaces)
  const flat = text.replace(/\s+/g, '');
  for (const heading of [...HEADINGS, `${day.name}交班情况`]) expect(flat, heading).toContain(heading);
  expect(flat).toContain(`${json.issue!.year}年第${json.issue!.number}期`);
  expect(text).toContain('— 1 —');
  expect(pages).toBeGreaterThan(1);
  expect(text).toContain(`— ${pages} —`);

  // the overview sentence, whatever the line breaks
  const c = json.counts;
  expect(flat).toContain(`本班次共接报事件${c.reported}件，其中不予受理${c.notAdmitted}件；立案${c.filed}件，派遣${c.dispatched}件，结案${c.closed}件（按期结案${c.closedOnTime}件）`);
  expect(flat).toContain(`在办事件${c.open}件，其中超期未结${c.overdueOpen}件、临期${c.nearDeadline}件`);

  // Table 1: this shift, the shift before, the same shift a week before
  const figures = [json, json.comparison.previous, json.comparison.weekAgo];
  for (const k of BRIEFING_COUNT_FIELDS) expect(text, k).toMatch(row(BRIEFING_COUNT_LABELS[k]['zh-CN'], '件', ...figures.map((f) => f.counts[k])));
  for (const k of KPI_RATE_FIELDS) expect(text, k).toMatch(row(KPI_RATE_LABELS[k]['zh-CN'], '%', ...figures.map((f) => rate(f.kpis[k]))));

  // Table 2: each town and the total
  const townRow = (name: string, t: typeof json.counts, onTime: number | null) =>
    row(name, t.reported, t.filed, t.dispatched, t.closed, t.open, t.overdueOpen, t.nearDeadline, t.supervisedOpen, rate(onTime));
  expect(json.byArea.length).toBeGreaterThan(1);
  for (const town of json.byArea) expect(text, town.name).toMatch(townRow(town.name, town.counts, town.kpis.onTimeClosureRate));
  expect(text).toMatch(townRow('合计', json.counts, json.kpis.onTimeClosureRate));

  // the map picture's town names are text in the PDF (a vector drawing, not a bitmap)
  for (const town of json.byArea) expect(text.split(town.name).length - 1, town.name).toBeGreaterThanOrEqual(2);
});

test('the export buttons download the XLSX and the CSV of the same period, with their names', async ({ gc }) => {
  const briefing = new BriefingDriver(gc);
  const day = await dayShift(gc);
  await briefing.whenIOpenTheBriefingSignedInAs(day.period, 'demo-lead');

  const xlsx = await briefing.whenIExport('xlsx');
  expect(xlsx.suggestedFilename()).toBe(`${day.fileName}.xlsx`);
  await briefing.thenTheExportSays(new RegExp(`已下载：${day.fileName}\\.xlsx`));

  const csv = await briefing.whenIExport('csv');
  expect(csv.suggestedFilename()).toBe(`${day.fileName}.csv`);
  const bytes = await (await csv.createReadStream()).toArray();
  const body = Buffer.concat(bytes as Buffer[]);
  expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  const json = await briefing.json(day.period, 'demo-lead');
  expect(body.toString('utf8')).toContain(`合计,,${DAY} ${day.start},${DAY} ${day.end},${DAY} ${day.end},${json.counts.reported},`);
});

test('the shift lead lands on the shift screen: the figures, the briefing preview of a picked shift, its PDF and the way to the other screens', async ({ gc }) => {
  const briefing = new BriefingDriver(gc);
  await gc.page.goto(gc.server.url);
  await gc.whenISignIn('demo-lead');
  await expect(gc.page.getByTestId('nav-shift')).toHaveAttribute('aria-current', 'page');
  await expect(gc.page.locator('.shift-panel')).toBeVisible();

  // The shift before the running one, whichever it is on the server's clock.
  const [from, to] = (await gc.page.getByTestId('shift-picker').locator('option').nth(1).getAttribute('value'))!.split('|') as [string, string];
  await briefing.whenIPickTheShift({ from, to });
  const json = await briefing.json({ from, to }, 'demo-lead');
  await expect(gc.page.getByTestId('briefing-preview')).toContainText(`本班次共接报事件${json.counts.reported}件`);

  const tab = await briefing.whenIExportThePanelPdf();
  expect(new URL(tab.url()).pathname).toBe('/briefing');
  await tab.close();

  await gc.page.getByTestId('nav-console').click();
  await expect(gc.page).toHaveURL(/\/console$/);
  await expect(gc.page.getByTestId('county-name')).not.toHaveText('…');
  await expect(gc.page.getByTestId('nav-console')).toHaveAttribute('aria-current', 'page');
  await gc.page.goBack();
  await expect(gc.page.locator('.shift-panel')).toBeVisible();
});
