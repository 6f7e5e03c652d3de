import { ROLE_PERMISSIONS, rolesAllow, type Role } from '../../../../shared/contracts/auth.js';
import type { Store } from '../../db/store.js';

/**
 * Who can take a team's steps, as the ranking needs it: the active accounts of each team whose
 * roles allow handling (case:handle). Read per ranking, so an account disabled or moved to
 * another team counts from the next case on.
 */
export class TeamMembersRepo {
  constructor(private readonly store: Store) {}

  /** Team id → user ids of its active handling accounts; teams without any are absent. */
  async handlers(teamIds: readonly string[]): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>();
    if (teamIds.length === 0) return out;
    const rows = await this.store.all<{ id: string; team_id: string; roles: string }>(
      `SELECT id, team_id, roles FROM users WHERE disabled = 0 AND team_id IN (${teamIds.map(() => '?').join(', ')}) ORDER BY id`,
      ...teamIds,
    );
    for (const r of rows) {
      const roles = (JSON.parse(r.roles) as string[]).filter((x): x is Role => x in ROLE_PERMISSIONS);
      if (!rolesAllow(roles, 'case:handle')) continue;
      const list = out.get(r.team_id) ?? [];
      list.push(r.id);
      out.set(r.team_id, list);
    }
    return out;
  }
}
