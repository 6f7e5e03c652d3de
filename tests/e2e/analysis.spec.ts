import ExcelJS from 'exceljs';
import { AnalysisDriver, type DayPeriod } from './analysis-driver';
import { expect, test } from './fixtures';

/**
 * The analysis (研判) and evaluation (考评) screens on the e2e county's seeded history: its three
 * days are past, so every figure is fixed whatever ran before or whenever this runs.
 */
const HISTORY: DayPeriod = { from: '2026-10-30', to: '2026-11-01' };
/** The history's reports and every closing deadline they had (all before 2026-11-27): what the evaluation ranks. */
const MONTH: DayPeriod = { from: '2026-10-30', to: '2026-11-30' };
const count = (n: number) => n.toLocaleString('en-US');

test('the analysis screen draws the period\'s figures and charts, and a town filter changes them', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const county = await a.trend(HISTORY);
  expect(county.total.reported).toBeGreaterThan(0);
  await a.whenIOpenSignedInAs('/analysis', { ...HISTORY }, 'demo-lead');
  await expect(a.figure('reported')).toHaveText(count(county.total.reported));
  await expect(a.figure('closed')).toHaveText(count(county.total.closed));
  await a.thenTheChartsHaveDrawn();
  await expect(page.getByTestId('hours-peak')).toBeVisible();
  await a.saveScreenshot('analysis-1920x1080.png');
  await a.whenIScrollToTheEnd();
  await a.saveScreenshot('analysis-1920x1080-lower.png');

  const hotSpots = await a.hotSpots(HISTORY);
  const town = hotSpots.hotSpots[0]!.place.townId;
  const inTown = await a.trend(HISTORY, town);
  expect(inTown.total.reported).not.toBe(county.total.reported);
  await a.whenIChooseTheTown('analysis', town);
  await expect(a.figure('reported')).toHaveText(count(inTown.total.reported));
  await expect(a.hotSpotRows).toHaveCount(hotSpots.hotSpots.filter((h) => h.place.townId === town).length);
  await a.thenTheChartsHaveDrawn();
});

test('a hot spot clicked in the ranked list is shown on the map', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const { hotSpots } = await a.hotSpots(HISTORY);
  expect(hotSpots.length).toBeGreaterThan(0);
  await a.whenIOpenSignedInAs('/analysis', { ...HISTORY }, 'demo-dispatcher');
  await expect(a.hotSpotRows).toHaveCount(hotSpots.length);
  await expect(a.hotSpotRows.first()).toContainText(hotSpots[0]!.placeName);
  await expect(page.getByTestId('hot-spot-map')).toHaveAttribute('data-focus', '');
  await a.thenTheChartsHaveDrawn();

  await a.whenIClickTheHotSpot(1);
  await expect(page.getByTestId('hot-spot-map')).toHaveAttribute('data-focus', hotSpots[0]!.gridId);
  await expect(page.getByTestId('hot-spot-map-focus')).toContainText(hotSpots[0]!.placeName);
  await expect(a.hotSpotRows.first()).toHaveAttribute('aria-current', 'true');
  await expect(a.hotSpotRows.first()).toContainText(hotSpots[0]!.caseIds[0]!);
  await a.thenTheChartsHaveDrawn();
  await a.saveScreenshot('analysis-hot-spot-1920x1080.png');
  await page.getByTestId('hot-spots').screenshot({ path: 'test-results/screens/analysis-hot-spot-list.png' });
  await page.getByTestId('hot-spot-map').screenshot({ path: 'test-results/screens/analysis-hot-spot-map.png' });
});

test('a chart saved as an image downloads a PNG of it', async ({ gc }) => {
  const a = new AnalysisDriver(gc);
  await a.whenIOpenSignedInAs('/analysis', { ...HISTORY, unit: 'day' }, 'demo-lead');
  await a.thenTheChartsHaveDrawn();
  const { name, bytes } = await a.whenISaveTheChartImage('事件趋势 · 按日');
  expect(name).toBe('trend_day_2026-10-30_2026-11-01.png');
  expect(bytes.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  expect(bytes.length).toBeGreaterThan(5_000);
});

test('evaluation: the towns ranked, a town drilled down to its grids and back, the table exported to Excel', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const towns = await a.kpis(MONTH, 'town');
  await a.whenIOpenSignedInAs('/evaluation', { ...MONTH }, 'demo-lead');
  await a.thenTheTableLists(
    towns.groups.map((g) => g.key),
    'town',
  );
  await expect(page.getByTestId('evaluation-total-accepted')).toHaveText(count(towns.total.counts.accepted));
  await a.saveScreenshot('evaluation-towns-1920x1080.png');

  const first = towns.groups[0]!;
  const grids = await a.kpis(MONTH, 'grid', first.key);
  await a.whenIDrillInto(first.key);
  await a.thenTheTableLists(
    grids.groups.map((g) => g.key),
    'grid',
  );
  await expect(page.getByTestId('evaluation-crumbs')).toContainText(first.name);
  await expect(page.getByTestId('evaluation-total-accepted')).toHaveText(count(first.counts.accepted));
  await a.saveScreenshot('evaluation-drill-1920x1080.png');

  const { name, bytes } = await a.whenIExportTheTable();
  expect(name).toBe('kpi-grid-2026-10-30-2026-11-30.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = wb.getWorksheet('按网格考评')!;
  expect(sheet.rowCount).toBe(grids.groups.length + 2);
  expect(sheet.getRow(2).getCell(2).value).toBe(grids.groups[0]!.name);
  await expect(page.getByTestId('evaluation-export-status')).toContainText(name);

  await a.whenIGoBackToTheCounty();
  await a.thenTheTableLists(
    towns.groups.map((g) => g.key),
    'town',
  );
});

test('evaluation: the grid workers ranked by reports per 100 households, full-time and part-time apart', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const workers = await gc.api<{ workers: Array<{ id: string; reported: number }>; employment: Array<{ employment: string; workers: number }> }>(
    `/kpis/grid-workers?${new URLSearchParams(HISTORY)}`,
    'demo-lead',
  );
  await a.whenIOpenSignedInAs('/evaluation', { ...HISTORY, tab: 'gridWorker' }, 'demo-lead');
  await expect(page.getByTestId('evaluation-worker-row')).toHaveCount(Math.min(100, workers.workers.length));
  await expect(page.getByTestId('evaluation-worker-row').first()).toHaveAttribute('data-key', workers.workers[0]!.id);
  await expect(page.getByTestId('evaluation-split')).toContainText(`${workers.employment[0]!.workers} 人`);
  await a.saveScreenshot('evaluation-workers-1920x1080.png');
});

test('the daily analysis meeting\'s agenda is a page to print', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  await a.whenIOpenSignedInAs('/agenda', { date: HISTORY.to }, 'demo-lead');
  const doc = page.getByTestId('agenda-doc');
  await expect(doc).toContainText('日常研判分析会议程');
  await expect(doc).toContainText('2026年11月1日（星期日）');
  for (const heading of ['一、当日概况', '二、高发点位', '三、重复事项', '四、超期未结案件', '五、督办案件', '六、研判意见']) await expect(doc).toContainText(heading);
  await a.saveScreenshot('agenda-1920x1080.png');
  const pdf = await page.pdf({ preferCSSPageSize: true, printBackground: true });
  expect(pdf.subarray(0, 4).toString()).toBe('%PDF');
  expect(await a.savePdfFirstPage(pdf, 'agenda-pdf-page-1.png')).toBeGreaterThanOrEqual(1);
});
