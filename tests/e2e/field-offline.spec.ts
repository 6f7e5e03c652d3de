import type { HealthResponse } from '../../shared/contracts/health.js';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import { expect, test } from './fixtures';
import { PhoneDriver } from './field-phone';

// A flaky network: actions wait on the phone with their Idempotency-Key and are delivered once.
test('an action taken offline is shown pending and delivered exactly once when the phone is back online', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：井盖缺失，离线接单');
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId });

  const phone = await PhoneDriver.open(browser, server, event.location, { tolerateNetworkNoise: true });
  try {
    await phone.whenISignIn('demo-field');
    await phone.whenIOpenTheTask(event.id);
    const before = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    const seqBefore = (await gc.api<HealthResponse>('/health')).seq;

    await phone.context.setOffline(true);
    await phone.whenITapTheNextStep('accept');
    // Shown as pending, and the next step is already offered.
    await expect(phone.page.getByTestId('field-pending')).toBeVisible();
    await phone.thenTheTaskIs('accepted');
    // The phone tried and failed (it is offline); the server has nothing.
    await expect.poll(async () => (await phone.storedOutbox())[0]?.attempts ?? 0).toBeGreaterThan(0);
    expect((await phone.storedOutbox()).map((e) => e.label)).toEqual(['accept']);
    await phone.whenIGoBack();
    await expect(phone.outbox).toHaveAttribute('data-count', '1');
    await phone.screenshot('offline-pending');
    expect((await gc.api<TimelineResponse>(`/events/${event.id}/timeline`)).entries).toHaveLength(before.entries.length);

    await phone.context.setOffline(false);
    await expect(phone.outbox).toHaveCount(0);
    await expect(phone.task(event.id)).toHaveAttribute('data-status', 'accepted');
    await expect(phone.page.getByTestId('field-pending')).toHaveCount(0);
    const after = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    expect(after.entries).toHaveLength(before.entries.length + 1);
    expect(after.entries.filter((e) => e.action === 'accept')).toHaveLength(1);
    expect((await gc.api<HealthResponse>('/health')).seq).toBe(seqBefore + 1);
  } finally {
    await phone.close();
  }
});

// The server did the action but its answer was lost on the way back: the retry carries the same
// key, the server answers with the first result, and the case has the step once.
test('an action whose answer was lost is retried with the same key and recorded once', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：垃圾堆放，应答丢失');
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId });

  const phone = await PhoneDriver.open(browser, server, event.location, { tolerateNetworkNoise: true });
  try {
    await phone.whenISignIn('demo-field');
    await phone.whenIOpenTheTask(event.id);
    const keys: string[] = [];
    let dropped = false;
    await phone.page.route('**/api/v1/events/*/actions', async (route) => {
      keys.push(route.request().headers()['idempotency-key'] ?? '');
      if (dropped) return route.continue();
      dropped = true;
      await route.fetch(); // the server does it…
      await route.abort('connectionreset'); // …and the phone never hears back
    });
    await phone.whenITapTheNextStep('accept');
    await expect.poll(() => keys.length).toBe(2);
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);
    await expect(phone.page.getByTestId('field-pending')).toHaveCount(0);
    await phone.thenTheTaskIs('accepted');
    expect(keys[1]).toBe(keys[0]);
    const timeline = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    expect(timeline.entries.filter((e) => e.action === 'accept')).toHaveLength(1);
  } finally {
    await phone.close();
  }
});
