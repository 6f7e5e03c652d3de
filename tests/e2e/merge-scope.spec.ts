import { resolve } from 'node:path';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { EventIntake } from '../../shared/contracts/events.js';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

interface Regions<P> {
  features: { properties: P }[];
}

test("a town's dispatcher sees a case merged into another town's master as handled there, not how", async ({ gc, page }) => {
  const { user } = await gc.restLogin('demo-town-dispatcher');
  const town = user.scope.kind === 'towns' ? user.scope.towns[0]! : '';
  const microGrids = (await gc.api<Regions<{ id: string; labelLon: number; labelLat: number }>>('/geo/microgrid')).features.map((f) => f.properties);
  const here = microGrids.find((m) => m.id.startsWith(town));
  const elsewhere = microGrids.find((m) => !m.id.startsWith(town));
  const catalog = await gc.api<CatalogResponse>('/catalog');
  const item = catalog.items.find((i) => !i.autoDispatch?.urgencies.includes(i.defaultUrgency));
  if (!here || !elsewhere || !item) throw new Error('the demo county needs two towns and an item dispatched by hand');
  const at = (m: typeof here, description: string): EventIntake => ({
    itemCode: item.code,
    description,
    location: { lon: m.labelLon, lat: m.labelLat },
    source: 'hotline_12345',
    urgency: item.defaultUrgency,
    reporter: { name: '端到端', phone: '13800138000' },
  });
  const masterNote = '端到端测试：主件立案备注，仅主件所在乡镇可见';
  const master = await gc.reportAs('demo-dispatcher', at(elsewhere, '端到端测试：他镇主件'));
  await gc.actAs('demo-dispatcher', master.id, { action: 'file', note: masterNote });
  const child = await gc.reportAs('demo-dispatcher', at(here, '端到端测试：本镇重复件，跨镇并入'));

  await gc.givenLoggedIn('demo-town-dispatcher');
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(child.id);
  await gc.actAs('demo-dispatcher', child.id, { action: 'merge', intoId: master.id });

  await gc.thenTheCaseIs('merged');
  const withheld = gc.detail.getByTestId('master-withheld');
  await expect(withheld).toBeVisible();
  const towns = (await gc.api<Regions<{ id: string; name: string }>>('/geo/town')).features.map((f) => f.properties);
  const masterTown = towns.find((t) => t.id === master.townId)?.name;
  await expect(withheld).toContainText(`已在其他乡镇（${masterTown}）的案件 ${master.id} 中办理`);
  await expect(gc.detail.locator('.tl-list[data-master]')).toHaveCount(0);
  await expect(gc.detail).not.toContainText(masterNote);
  await page.screenshot({ path: `${SCREENS}/merge-withheld-1920x1080.png` });
});
