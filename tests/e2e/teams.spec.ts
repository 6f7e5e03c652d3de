import type { TeamListResponse, TrailResponse } from '../../shared/contracts/teams.js';
import { expect, test } from './fixtures';

test('the team layer and the team board show every team of the seeded county, with status in words', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const { items } = await gc.api<TeamListResponse>('/teams');
  expect(items.length).toBeGreaterThan(0);
  await expect.poll(async () => (await gc.mapTeams()).map((t) => t.id).sort()).toEqual(items.map((t) => t.id).sort());
  // At county zoom the teams are drawn as counts per town, every team counted once.
  await expect.poll(async () => (await gc.renderedTeamTowns()).reduce((n, t) => n + t.total, 0)).toBe(items.length);

  await gc.whenIOpenTheTeamBoard();
  await expect(gc.teamBoard.locator('.team-row')).toHaveCount(items.length);
  const team = items[0]!;
  await expect(gc.teamRow(team.id)).toContainText(team.name);
  await expect(gc.teamRow(team.id)).toContainText({ available: '空闲', en_route: '在途', on_scene: '到场处置', busy: '忙碌', off_duty: '离岗' }[team.status]);

  // Filter by status: only the available teams stay.
  await gc.teamBoard.locator('.team-filter-chip[data-status="available"]').click();
  const available = items.filter((t) => t.status === 'available').length;
  await expect(gc.teamBoard.locator('.team-row')).toHaveCount(available);
  await expect(gc.teamBoard.locator('.team-row:not([data-status="available"])')).toHaveCount(0);

  // Selecting a team on the board rings it on the map.
  const first = gc.teamBoard.locator('.team-row').first();
  const id = await first.getAttribute('data-team-id');
  await first.getByRole('button').click();
  await expect.poll(() => gc.selectedTeamOnMap()).toBe(id);
  // ... and flies in to where the teams are squares.
  await expect.poll(async () => (await gc.renderedTeamIds()).length).toBeGreaterThan(0);
});

test("a position reported by the field team moves its marker, and the selected team's trail follows", async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const team = await gc.fieldTeam();
  await gc.whenIOpenTheTeamBoard();
  await gc.teamRow(team.id).getByRole('button').click();
  await expect.poll(() => gc.selectedTeamOnMap()).toBe(team.id);

  const first = { lon: team.location.lon + 0.004, lat: team.location.lat + 0.002 };
  const second = { lon: team.location.lon + 0.008, lat: team.location.lat + 0.003 };
  await gc.reportPositionAs('demo-field', team.id, first);
  await gc.thenTheTeamMarkerIsAt(team.id, first.lon, first.lat);
  await gc.reportPositionAs('demo-field', team.id, second);
  await gc.thenTheTeamMarkerIsAt(team.id, second.lon, second.lat);

  const trail = await gc.api<TrailResponse>(`/teams/${team.id}/trail`);
  expect(trail.points.length).toBeGreaterThanOrEqual(2);
  await expect.poll(() => gc.trailPointCount()).toBeGreaterThanOrEqual(2);
  await expect(gc.teamRow(team.id)).toContainText('位置更新于');
});

test('dragging a queue row onto a team on the board opens the dispatch dialog with that team chosen, and dispatches', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const { event, teamId, teamName } = await gc.givenACaseForTheFieldTeam('demo-duty');
  await gc.actAs('demo-duty', event.id, { action: 'file' });
  await gc.whenIOpenTab('toDispatch');
  await expect(gc.queueRow(event.id)).toBeVisible();
  await gc.whenIOpenTheTeamBoard();

  await gc.whenIDragTheRowOntoTheTeam(event.id, teamId);
  await expect(gc.dispatchDialog).toBeVisible();
  await expect(gc.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`)).toHaveAttribute('aria-selected', 'true');
  await expect(gc.dispatchDialog.getByTestId('dialog-confirm')).toContainText(teamName);
  await gc.dispatchDialog.getByTestId('dialog-confirm').click();
  await expect(gc.dispatchDialog).toBeHidden();
  await expect(gc.queueRow(event.id)).toBeHidden();
  await expect.poll(async () => (await gc.api<{ status: string; teamId: string | null }>(`/events/${event.id}`)).teamId).toBe(teamId);
  // The board stays for the next drop.
  await expect(gc.teamBoard).toBeVisible();
});

test('dragging a queue row onto a team marker on the map dispatches to that team', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：地图拖放派遣，井盖缺失');
  await gc.actAs('demo-duty', event.id, { action: 'file' });
  await gc.whenIOpenTab('toDispatch');
  // Bring the team into view (selecting it on the board flies there), then drop on its square.
  await gc.whenIOpenTheTeamBoard();
  await gc.teamRow(teamId).getByRole('button').click();
  await expect.poll(async () => (await gc.renderedTeamIds()).includes(teamId)).toBe(true);
  await gc.whenIDragTheRowOntoTheTeamMarker(event.id, teamId);
  await expect(gc.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`)).toHaveAttribute('aria-selected', 'true');
  await gc.whenIPress('Enter');
  await expect(gc.dispatchDialog).toBeHidden();
  await expect.poll(async () => (await gc.api<{ teamId: string | null }>(`/events/${event.id}`)).teamId).toBe(teamId);
});
