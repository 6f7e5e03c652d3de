import type { Polygon } from 'geojson';
import { AdminDriver } from './admin-driver';
import { expect, test } from './fixtures';

interface GeoLevel {
  features: Array<{ geometry: Polygon; properties: { code: string; name: string; parentId: string } }>;
}

/** A level of the running county as a county's GIS office sends it: GeoJSON with Chinese attribute names. */
const asFile = (level: GeoLevel, spoil: (features: Array<{ type: 'Feature'; geometry: Polygon; properties: Record<string, string> }>) => void = () => undefined) => {
  const features = level.features.map((f) => ({ type: 'Feature' as const, geometry: f.geometry, properties: { 编码: f.properties.code, 名称: f.properties.name, 上级编码: f.properties.parentId } }));
  spoil(features);
  return Buffer.from(JSON.stringify({ type: 'FeatureCollection', features }));
};

test('the system administrator sees a faulty boundary file refused feature by feature, then checks and writes a valid one', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  const microGrids = await gc.api<GeoLevel>('/geo/microgrid');
  const grids = await gc.api<GeoLevel>('/geo/grid');
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  await admin.whenIOpenTheSection('import');

  // a micro-grid whose parent code is wrong and one whose boundary crosses itself
  const faulty = asFile(microGrids, (features) => {
    features[2]!.properties['上级编码'] = '330899999999999';
    const ring = features[6]!.geometry.coordinates[0]!;
    const xs = ring.map((p) => p[0]!);
    const ys = ring.map((p) => p[1]!);
    features[6]!.geometry = { type: 'Polygon', coordinates: [[[Math.min(...xs), Math.min(...ys)], [Math.max(...xs), Math.max(...ys)], [Math.max(...xs), Math.min(...ys)], [Math.min(...xs), Math.max(...ys)], [Math.min(...xs), Math.min(...ys)]]] };
  });
  await page.getByTestId('import-level').selectOption('microgrid');
  await page.getByTestId('import-file').setInputFiles({ name: '微网格边界.geojson', mimeType: 'application/geo+json', buffer: faulty });
  await page.getByTestId('import-validate').click();

  const verdict = page.getByTestId('import-verdict');
  await expect(verdict).toHaveAttribute('data-tone', 'bad');
  await expect(verdict).toContainText('不能写入');
  const problems = page.getByTestId('import-problem');
  await expect(problems.and(page.locator('[data-problem="parent_unknown"]'))).toHaveAttribute('data-feature', '3');
  await expect(problems.and(page.locator('[data-problem="self_intersection"]'))).toHaveAttribute('data-feature', '7');
  await expect(problems.and(page.locator('[data-problem="self_intersection"]'))).toContainText('边界自相交');
  await expect(page.locator('.import-shape[data-faulty="true"][data-feature="7"]')).toHaveCount(1);
  await expect(page.getByTestId('import-write')).toBeDisabled();
  // one kind of problem at a time
  await page.getByTestId('import-filter').selectOption('self_intersection');
  await expect(problems).toHaveCount(1);
  await page.getByTestId('import-filter').selectOption('');
  await problems.and(page.locator('[data-problem="self_intersection"]')).click();
  // the preview zooms to the feature the row names
  await expect(page.locator('.import-shape-selected')).toHaveCount(1);
  await expect(page.locator('.import-preview-svg')).toHaveAttribute('data-zoomed', 'true');
  await admin.screenshot('data-import-refused');
  await page.getByTestId('import-preview-all').click();
  await expect(page.locator('.import-preview-svg')).toHaveAttribute('data-zoomed', 'false');

  // the county's grids as they stand: clean, so the progress runs to the end and it can be written
  await page.getByTestId('import-level').selectOption('grid');
  await page.getByTestId('import-file').setInputFiles({ name: '网格边界.geojson', mimeType: 'application/geo+json', buffer: asFile(grids) });
  await page.getByTestId('import-validate').click();
  const progress = page.getByTestId('import-progress');
  await expect(progress).toHaveAttribute('data-state', 'ready');
  await expect(progress.getByRole('progressbar')).toHaveAttribute('aria-valuenow', '100');
  await expect(verdict).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('import-counts')).toHaveText(`新增 0 · 更新 ${grids.features.length} · 删除 0`);
  await expect(page.getByTestId('import-no-problems')).toBeVisible();
  await admin.screenshot('data-import-ready');

  await page.getByTestId('import-write').click();
  const confirm = page.getByTestId('import-confirm');
  await expect(confirm).toContainText(`更新 ${grids.features.length}`);
  await expect(confirm).toContainText('审计');
  await admin.screenshot('data-import-confirm');
  await confirm.getByTestId('admin-confirm-ok').click();
  await admin.thenTheNoticeSays('ok', '已写入：网格边界.geojson');
  await expect(progress).toHaveAttribute('data-state', 'written');
  // what the dispatchers' map serves is what was written
  const after = await gc.api<GeoLevel>('/geo/grid');
  expect(after.features.map((f) => [f.properties.code, f.geometry])).toEqual(grids.features.map((f) => [f.properties.code, f.geometry]));
});

test('the system administrator sees a roster refused row by row, with the spreadsheet’s row numbers', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  const grids = await gc.api<GeoLevel>('/geo/grid');
  const grid = grids.features[0]!.properties.code;
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  await admin.whenIOpenTheSection('import');
  await page.getByTestId('import-kind-roster').check();
  const csv = ['工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码', `W70001,钱桂芳,女,1966,初中,13905710051,兼职,${grid}`, `W70002,冯建军,男,1979,高中,1390571,专职,${grid}`, 'W70003,褚红梅,女,1988,大专,13905710053,兼职,999'].join('\n');
  await page.getByTestId('import-file').setInputFiles({ name: '网格员名册.csv', mimeType: 'text/csv', buffer: Buffer.from(`\uFEFF${csv}`) });
  await page.getByTestId('import-validate').click();
  await expect(page.getByTestId('import-verdict')).toHaveAttribute('data-tone', 'bad');
  await expect(page.getByTestId('import-verdict')).toContainText('UTF-8 (BOM)');
  const rows = page.getByTestId('import-problem');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toContainText('3');
  await expect(rows.nth(0)).toContainText('取值无效');
  await expect(rows.nth(1)).toContainText('区域编码不存在');
  await expect(page.getByTestId('import-write')).toBeDisabled();
  await admin.screenshot('data-import-roster-refused');
});
