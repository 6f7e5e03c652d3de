import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** Classic payloads: each would run `window.__xss = 1` (or navigate) if rendered as markup. */
const PAYLOADS = [
  '<img src=x onerror="window.__xss=1">',
  '<script>window.__xss=1</script>',
  '"><svg onload=window.__xss=1>',
  'javascript:alert(1)',
];

interface MicroGrids {
  features: { properties: { labelLon: number; labelLat: number } }[];
}

/** What would exist in the page had any payload been parsed as HTML. */
async function injectedMarkup(page: Page) {
  return page.evaluate(() => {
    // Runs in the page; typed loosely because this file compiles without the DOM library.
    const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number; [i: number]: { textContent: string | null } } } }).document;
    const scripts = doc.querySelectorAll('script');
    let scriptsWithPayload = 0;
    for (let i = 0; i < scripts.length; i++) if (scripts[i]?.textContent?.includes('__xss')) scriptsWithPayload++;
    return {
      xss: (globalThis as { __xss?: unknown }).__xss,
      imgX: doc.querySelectorAll('img[src="x"]').length,
      handlers: doc.querySelectorAll('[onerror], [onload]').length,
      scriptsWithPayload,
      javascriptLinks: doc.querySelectorAll('a[href^="javascript:" i]').length,
    };
  });
}

test('event text carrying markup shows as inert text in the queue, the detail and on the map', async ({ gc, page }) => {
  test.setTimeout(150_000);
  await gc.givenLoggedIn('demo-dispatcher');
  // Apart on the map, so each marker can be clicked on its own.
  const places = (await gc.api<MicroGrids>('/geo/microgrid')).features.map((f) => f.properties);
  const events = [];
  for (const [i, payload] of PAYLOADS.entries()) {
    const place = places[Math.floor(((i + 1) * places.length) / (PAYLOADS.length + 1))]!;
    events.push(
      await gc.givenAnEventIsReported({
        urgency: 'P1',
        location: { lon: place.labelLon, lat: place.labelLat },
        description: `${payload} 测试描述${i}`,
        reporter: { name: payload, phone: '13800138000' },
      }),
    );
  }
  await gc.whenIOpenTab('new');

  for (const [i, event] of events.entries()) {
    const payload = PAYLOADS[i]!;
    await gc.thenTheEventIsInTheQueue(event.id);
    await gc.whenISelectTheRow(event.id);
    await expect(gc.detail).toHaveAttribute('data-event-id', event.id);
    await expect(gc.detail.getByText(`${payload} 测试描述${i}`, { exact: true })).toBeVisible();
    await expect(gc.detail).toContainText(payload);

    await gc.thenTheEventIsOnTheMap(event.id);
    await gc.whenIClickTheMarker(event.id);
    await gc.thenTheMapHighlights(event.id);
    await expect(gc.detail).toHaveAttribute('data-event-id', event.id);
    await expect(gc.detail).toContainText(payload);
  }

  await expect(gc.queueRow(events[0]!.id)).toBeVisible();
  expect(await injectedMarkup(page)).toEqual({ xss: undefined, imgX: 0, handlers: 0, scriptsWithPayload: 0, javascriptLinks: 0 });
});
