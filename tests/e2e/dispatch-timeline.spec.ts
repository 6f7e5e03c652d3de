import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { DispatchDriver } from './dispatch-driver';

const screens = resolve(import.meta.dirname, '../../test-results/screens');
const DAY_MS = 86_400_000;
/** The county's calendar day (UTC+8) of an instant. */
const countyDay = (ms: number) => Math.floor((ms + 8 * 3_600_000) / DAY_MS);

// A case of the demo history (reported days before this run) that is worked on today: its
// timeline mixes earlier days, which show their date, with today, which shows the time alone.
test('the timeline dates the steps of earlier days and never covers a stamp, on a long timeline', async ({ gc }) => {
  test.setTimeout(150_000);
  const d = new DispatchDriver(gc);
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenIOpenTab('inProgress');
  const seeded = new Set((await d.seededCasesWithATeam()).filter((e) => e.extensionRequest === null).map((e) => e.id));
  const drawn = await gc.page.locator('.queue-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')));
  const id = drawn.find((x): x is string => x !== null && seeded.has(x));
  if (!id) throw new Error('no case of the demo history with a team among the drawn rows');

  // worked on today: the shift lead supervises, the team asks for more time twice, the lead decides
  await gc.actAs('demo-lead', id, { action: 'supervise', note: '群众多次来电反映，请今日内到场处置，处置前后拍照上传，并电话回访报事人。' });
  await gc.actAs('demo-duty', id, { action: 'request-extension', reason: '需等待物业提供图纸', extension: { value: 1, unit: 'work_days' } });
  await gc.actAs('demo-lead', id, { action: 'approve-extension', note: '同意延期一个工作日' });
  await gc.actAs('demo-duty', id, { action: 'request-extension', reason: '施工队伍未到位', extension: { value: 2, unit: 'work_days' } });
  await gc.actAs('demo-lead', id, { action: 'deny-extension', reason: '已延期一次，请协调其他施工力量' });
  await gc.actAs('demo-lead', id, { action: 'supervise', note: '再次督办：明日上午十点前反馈处置结果。' });
  const entries = (await d.timelineOf(id)).entries.length;

  await gc.whenISelectTheRow(id);
  await expect(gc.detail.locator('[data-testid="timeline"] > .tl-list:not([data-master]) > .tl-entry')).toHaveCount(entries);
  const now = await gc.page.evaluate(() => Date.now());
  const stamps = await d.drawnStamps();
  const earlier = stamps.filter((s) => countyDay(Date.parse(s.at)) !== countyDay(now));
  const today = stamps.filter((s) => countyDay(Date.parse(s.at)) === countyDay(now));
  expect(earlier.length, 'entries of earlier days').toBeGreaterThan(0);
  expect(today.length, 'entries of today').toBeGreaterThanOrEqual(6);
  for (const s of earlier) expect(s.date, s.at).toMatch(/^(\d{4}年)?\d{1,2}月\d{1,2}日$/);
  for (const s of today) expect(s.date, s.at).toBeNull();
  for (const s of stamps) {
    expect(s.time, s.at).toMatch(/^\d\d:\d\d$/);
    expect(s.cut, `${s.at} cut`).toBe(false);
    // the stamp, then the marker, then the entry's words: nothing drawn over the stamp
    expect(s.markerLeft, `${s.at} marker over the stamp`).toBeGreaterThanOrEqual(s.textRight);
    expect(s.markerRight, `${s.at} marker over the body`).toBeLessThanOrEqual(s.bodyLeft);
  }
  // where today meets the earlier days, in the middle of the panel
  await gc.detail.locator('.tl-time[data-earlier="true"]').first().evaluate((el) => el.scrollIntoView({ block: 'center' }));
  await gc.page.screenshot({ path: resolve(screens, 'timeline-stamps-1920x1080.png') });
  await gc.detail.getByTestId('timeline').screenshot({ path: resolve(screens, 'timeline-stamps-full.png') });

  await gc.whenISwitchTheLanguage();
  await expect.poll(async () => (await d.drawnStamps()).filter((s) => s.date !== null).every((s) => /^[A-Z][a-z]{2} \d{1,2}(, \d{4})?$/.test(s.date!))).toBe(true);
  await gc.whenISwitchTheLanguage();
});
