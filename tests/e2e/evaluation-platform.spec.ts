import ExcelJS from 'exceljs';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import { SMALL_PLATFORM_ARGS } from '../integration/platform-fixture';
import { AnalysisDriver } from './analysis-driver';
import { BriefingDriver } from './briefing-driver';
import { expect } from './fixtures';
import { platformTest } from './platform-driver';

/**
 * The evaluation screen and the shift briefing of a city's platform (three counties), on its
 * seeded history: the days before its "as of" (2026-11-02), so the figures never move.
 */
const HISTORY = { from: '2026-10-31', to: '2026-11-01' };

const test = platformTest(SMALL_PLATFORM_ARGS);

const count = (n: number) => n.toLocaleString('zh-CN');

test('evaluation on a city platform: the counties first, a county drilled down to its towns, exported, and back', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const regions = await gc.api<RegionsResponse>('/regions', 'demo-lead');
  expect(regions.root.level).toBe('city');
  const counties = await gc.api<{ groups: Array<{ key: string; name: string; counts: { accepted: number } }>; total: { counts: { accepted: number } } }>(
    `/kpis?${new URLSearchParams({ ...HISTORY, groupBy: 'county' })}`,
    'demo-lead',
  );
  expect(counties.groups).toHaveLength(3);

  await a.whenIOpenSignedInAs('/evaluation', HISTORY, 'demo-lead');
  // the county table is the first tab, and the one open
  await expect(page.getByRole('tab').first()).toHaveAttribute('data-testid', 'evaluation-tab-county');
  await expect(page.getByTestId('evaluation-tab-county')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('evaluation-tab-city')).toHaveCount(0);
  await a.thenTheTableLists(
    counties.groups.map((g) => g.key),
    'county',
  );
  await expect(page.getByTestId('evaluation-crumbs')).toContainText(regions.root.name);
  await expect(page.getByTestId('evaluation-total-accepted')).toHaveText(count(counties.total.counts.accepted));
  await a.saveScreenshot('evaluation-platform-counties-1920x1080.png');

  // the export follows the tab: the counties' sheet
  const byCounty = await a.whenIExportTheTable();
  expect(byCounty.name).toBe('kpi-county-2026-10-31-2026-11-01.xlsx');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(byCounty.bytes as unknown as ArrayBuffer);
  expect(wb.getWorksheet('按县（市、区）考评')!.rowCount).toBe(counties.groups.length + 2);

  // a county's row drills down to its towns, under a breadcrumb back to the city
  const county = counties.groups[1]!;
  const towns = await gc.api<{ groups: Array<{ key: string }>; total: { counts: { accepted: number } } }>(
    `/kpis?${new URLSearchParams({ ...HISTORY, groupBy: 'town', area: county.key })}`,
    'demo-lead',
  );
  const countyNode = regions.root.children!.find((c) => c.id === county.key)!;
  expect(towns.groups.map((g) => g.key).sort()).toEqual(countyNode.children!.map((t) => t.id).sort());
  await a.evaluationRow(county.key).click();
  await a.thenTheTableLists(
    towns.groups.map((g) => g.key),
    'town',
  );
  await expect(page.getByTestId('evaluation-tab-town')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('evaluation-crumb')).toHaveText([regions.root.name, county.name]);
  await expect(page.getByTestId('evaluation-back')).toContainText(regions.root.name);
  await expect(page.getByTestId('evaluation-total-accepted')).toHaveText(count(county.counts.accepted));
  await a.saveScreenshot('evaluation-platform-county-towns-1920x1080.png');

  const byTown = await a.whenIExportTheTable();
  expect(byTown.name).toBe('kpi-town-2026-10-31-2026-11-01.xlsx');
  const townBook = new ExcelJS.Workbook();
  await townBook.xlsx.load(byTown.bytes as unknown as ArrayBuffer);
  expect(townBook.getWorksheet('按镇街考评')!.rowCount).toBe(towns.groups.length + 2);

  // one level further: a town's grids, the breadcrumb city › county › town; the county's crumb goes back up one
  const town = towns.groups[0]!.key;
  await a.whenIDrillInto(town);
  await expect(page.getByTestId('evaluation-table')).toHaveAttribute('data-tab', 'grid');
  await expect(page.getByTestId('evaluation-crumb')).toHaveText([regions.root.name, county.name, countyNode.children!.find((t) => t.id === town)!.name]);
  await page.locator(`[data-testid="evaluation-crumb"][data-id="${county.key}"]`).click();
  await a.thenTheTableLists(
    towns.groups.map((g) => g.key),
    'town',
  );

  // back to the counties
  await page.getByTestId('evaluation-back').click();
  await a.thenTheTableLists(
    counties.groups.map((g) => g.key),
    'county',
  );
  await expect(page.getByTestId('evaluation-back')).toHaveCount(0);
});

test('the shift briefing of a city platform is the city’s, its table the counties', async ({ gc }) => {
  const briefing = new BriefingDriver(gc);
  const period = { from: `${HISTORY.to}T08:30:00+08:00`, to: `${HISTORY.to}T17:30:00+08:00` };
  await briefing.whenIOpenTheBriefingSignedInAs(period, 'demo-lead');
  const json = await briefing.json(period, 'demo-lead');
  expect(json.area.level).toBe('city');
  await expect(briefing.document).toContainText(`${json.area.name}社会治理综合指挥中心`);
  const table = briefing.document.locator('[data-section="areas"]');
  await expect(table).toHaveAttribute('data-level', 'county');
  await expect(table.locator('h2')).toHaveText('二、各县（市、区）情况');
  await expect(table.locator('tbody tr[data-area]')).toHaveCount(json.byArea.length);
  expect(await table.locator('tbody tr[data-area]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-area')))).toEqual(json.byArea.map((x) => x.id));
  await expect(briefing.document.getByTestId('briefing-map').locator('[data-county]')).toHaveCount(json.byArea.length);
  await briefing.saveScreenshot('briefing-platform-city-1920x1080.png');
  // a notable case is placed by its county and town (a city's towns repeat names across counties)
  const notable = json.notable[0]!.case;
  expect(notable.countyName).not.toBeNull();
  await expect(briefing.document.locator(`.bd-notable[data-case="${notable.id}"] h3`)).toContainText(`${notable.countyName} › ${notable.townName}`);
  await table.scrollIntoViewIfNeeded();
  await briefing.saveScreenshot('briefing-platform-city-counties-1920x1080.png');
  await briefing.document.locator('[data-section="map"]').scrollIntoViewIfNeeded();
  await briefing.saveScreenshot('briefing-platform-city-map-1920x1080.png');
});

test('analysis on a city platform: the charts over its counties’ towns, and the agenda titled after the city', async ({ gc, page }) => {
  const a = new AnalysisDriver(gc);
  const regions = await gc.api<RegionsResponse>('/regions', 'demo-lead');
  await a.whenIOpenSignedInAs('/analysis', { ...HISTORY, unit: 'day' }, 'demo-lead');
  await a.thenTheChartsHaveDrawn();
  const trend = await a.trend(HISTORY);
  await expect(a.figure('reported')).toHaveText(count(trend.total.reported));
  await a.saveScreenshot('analysis-platform-city-1920x1080.png');

  await page.getByTestId('analysis-open-agenda').click();
  await expect(page.getByTestId('agenda-doc')).toContainText(`${regions.root.name}社会治理综合指挥中心`);
});
