import type { Store } from '../../db/store.js';
import { seedDemoTraining } from './training.js';

/**
 * The demo's workforce data that needs the demo accounts (issue 16), run after seedDemoUsers:
 * the training history (its author is the county grid office's account) and the demo field
 * account linked to a worker's record. Both idempotent; both through the store (either database).
 */
export async function seedDemoWorkforce(store: Store): Promise<void> {
  await seedDemoTraining(store);
  await linkDemoFieldWorker(store);
}

/**
 * Links the demo field worker's account to a grid worker's record of its team's village (a
 * full-time one first, by id), once: `GET /api/v1/workforce/me` then answers for it.
 */
async function linkDemoFieldWorker(store: Store): Promise<void> {
  const field = await store.get<{ id: string; team_id: string | null; demo: number }>("SELECT id, team_id, demo FROM users WHERE username = 'demo-field'");
  if (!field || Number(field.demo) !== 1 || field.team_id === null) return;
  if (await store.get('SELECT 1 AS one FROM workers WHERE user_id = ?', field.id)) return;
  const worker = await store.get<{ id: string }>(
    `SELECT w.id FROM workers w JOIN regions g ON g.id = w.grid_id JOIN teams t ON t.home_region_id = g.parent_id
     WHERE t.id = ? AND w.status = 'active' AND w.user_id IS NULL
     ORDER BY CASE WHEN w.employment = 'full_time' THEN 0 ELSE 1 END, w.id LIMIT 1`,
    field.team_id,
  );
  if (worker) await store.run('UPDATE workers SET user_id = ? WHERE id = ? AND user_id IS NULL', field.id, worker.id);
}
