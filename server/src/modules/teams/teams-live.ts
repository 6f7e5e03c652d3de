import { rolesAllow, type Scope } from '../../../../shared/contracts/auth.js';
import {
  POSITION_MAX_AGE_MS,
  POSITION_MAX_AHEAD_MS,
  type TeamPositionReport,
  type TeamPositionResult,
  type TeamSummary,
  type TrailResponse,
} from '../../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../../shared/contracts/workflow.js';
import { toWgs84 } from '../../../../shared/domain/coords.js';
import type { Bus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import type { GroupCommit } from '../../db/group-commit.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { ChangeEffects, WrittenChange } from '../events/case-writer.js';
import type { CountyArea } from '../geo/county-area.js';
import type { TeamsRepo } from './teams.repo.js';

/** Most trail points one request returns. */
const TRAIL_LIMIT = 5000;
const HOUR_MS = 3_600_000;

/**
 * Whether a caller of this scope sees the team: its town's, or for a county unit (no town) its
 * county's, which it serves town by town. A unit based above the counties is the whole platform's.
 */
export const seesTeam = (scope: Scope, team: Pick<TeamSummary, 'townId' | 'countyId'>): boolean => {
  if (scope.kind === 'county') return true;
  if (team.townId !== null) return scope.towns.includes(team.townId);
  return team.countyId !== null && scope.counties.includes(team.countyId);
};

/**
 * The live side of the field teams: positions reported by field devices (stored as trails and
 * batched for the consoles), the status a team sets or a dispatcher sets for it, and the status
 * that follows from the team's work on its cases (accept → en route, start → on scene, done →
 * available). Announced on the bus after commit: `team:moved` for a team's newest position,
 * `team:changed` (unmasked; the socket layer masks) when a team's status or load changed.
 * On the store (docs/POSTGRES.md): writes in `store.inTransaction` (positions in the group
 * commit's), audit records with `append` inside them and `record` on their own.
 */
export class TeamsLive implements ChangeEffects {
  constructor(private readonly deps: { store: Store; teams: TeamsRepo; clock: Clock; audit: AuditRepo; area: CountyArea; bus: Bus; group: GroupCommit }) {}

  /**
   * Stores a position a field worker reported for their own team (teams:report), or a
   * vehicle-tracking gateway for a team of its scope (teams:track): the trail row always, the
   * team's position when it is the newest, which is then announced (`team:moved`). A position
   * outside the county (with its margin) is refused: 422 `outside_county`. Reports arriving
   * together (thousands of devices every 10 s) share one commit (db/group-commit.ts); the answer
   * comes once the position is stored.
   */
  async reportPosition(teamId: string, report: TeamPositionReport, actor: { principal: Principal; ctx: RequestContext }): Promise<TeamPositionResult> {
    const { teams, clock, audit, group } = this.deps;
    const team = await teams.get(teamId);
    if (!team) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: teamId });
    const { user } = actor.principal;
    // the refusal is answered once it is in the audit trail
    const deny = async (reason: string, err: ApiHttpError): Promise<never> => {
      await audit.record({ ...who(actor.principal), ...actor.ctx, action: 'access:denied', result: 'denied', reason, objectType: 'team', objectId: teamId });
      throw err;
    };
    // the route is open to every role (session:own), so the password rule is checked here
    if (actor.principal.mustChangePassword) await deny('password_expired', new ApiHttpError(403, 'password_expired', 'error.password_expired'));
    // a member of the team (field device), or a tracking gateway for the teams of its scope
    const own = rolesAllow(user.roles, 'teams:report') && user.teamId === teamId;
    if (!own) {
      if (rolesAllow(user.roles, 'teams:track')) {
        if (!seesTeam(user.scope, team)) await deny('out_of_scope', new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: team.name }));
      } else if (rolesAllow(user.roles, 'teams:report')) {
        await deny('not_your_team', new ApiHttpError(403, 'not_your_team', 'error.not_your_team_report', [], { team: team.name }, { teamId }));
      } else {
        await deny('missing teams:report', new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission: 'teams:report' }, { permission: 'teams:report' }));
      }
    }
    const now = clock.now();
    let at = now.toISOString();
    if (report.at !== undefined) {
      const taken = Date.parse(report.at);
      if (taken > now.getTime() + POSITION_MAX_AHEAD_MS) {
        throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'at', code: 'in_future', params: { minutes: POSITION_MAX_AHEAD_MS / 60_000 } }]);
      }
      if (taken < now.getTime() - POSITION_MAX_AGE_MS) {
        throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'at', code: 'too_old', params: { hours: POSITION_MAX_AGE_MS / HOUR_MS } }]);
      }
      at = new Date(taken).toISOString();
    }
    const { lon, lat } = toWgs84(report.lon, report.lat, report.crs ?? 'wgs84');
    this.deps.area.requireInside({ lon, lat }, 'position');
    const accuracy = report.accuracy ?? null;
    const latest = await group.run(() => teams.addPosition({ teamId, lon, lat, accuracy, at, receivedAt: now.toISOString(), userId: user.id }));
    if (latest) this.deps.bus.publish('team:moved', { teamId, lon, lat, accuracy, at, status: team.status, townId: team.townId, countyId: team.countyId });
    return { teamId, position: { lon, lat, accuracy, at }, latest };
  }

  /** The team's trail since `since` (default: the last hour), for a caller who may see the team. */
  async trail(teamId: string, since: string | undefined, actor: { principal: Principal; ctx: RequestContext }): Promise<TrailResponse> {
    const { teams, clock, audit } = this.deps;
    const team = await teams.get(teamId);
    if (!team) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: teamId });
    if (!seesTeam(actor.principal.user.scope, team)) {
      await audit.record({ ...who(actor.principal), ...actor.ctx, action: 'access:denied', result: 'denied', reason: 'out_of_scope', objectType: 'team', objectId: teamId });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: team.name });
    }
    const from = since ? new Date(Date.parse(since)).toISOString() : new Date(clock.now().getTime() - HOUR_MS).toISOString();
    return { teamId, since: from, points: await teams.trail(teamId, from, TRAIL_LIMIT) };
  }

  /**
   * Sets a team's status: a member of the team (teams:report) for their own team, or a
   * dispatcher (case:dispatch) for a team in their scope. Audited `team:status`; pushed after commit.
   */
  async setStatus(teamId: string, status: TeamStatus, actor: { principal: Principal; ctx: RequestContext }): Promise<TeamSummary> {
    const { store, teams, clock, audit } = this.deps;
    const team = await teams.get(teamId);
    if (!team) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: teamId });
    const { user } = actor.principal;
    const own = rolesAllow(user.roles, 'teams:report') && user.teamId === teamId;
    if (!own) {
      const deny = async (reason: string, err: ApiHttpError): Promise<never> => {
        await audit.record({ ...who(actor.principal), ...actor.ctx, action: 'team:status', result: 'denied', reason, objectType: 'team', objectId: teamId, details: { status } });
        throw err;
      };
      if (!rolesAllow(user.roles, 'case:dispatch')) {
        if (rolesAllow(user.roles, 'teams:report')) await deny('not_your_team', new ApiHttpError(403, 'not_your_team', 'error.not_your_team_report', [], { team: team.name }, { teamId }));
        await deny('forbidden', new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission: 'case:dispatch' }, { permission: 'case:dispatch' }));
      }
      if (!seesTeam(user.scope, team)) await deny('out_of_scope', new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: team.name }));
    }
    // the team as committed, read in its transaction; announced after the commit
    const after = await store.inTransaction(async () => {
      const at = clock.now().toISOString();
      await teams.setStatus(teamId, status);
      if (own) await teams.touch(teamId, at);
      await audit.append({
        ...who(actor.principal),
        ...actor.ctx,
        action: 'team:status',
        result: 'success',
        objectType: 'team',
        objectId: teamId,
        details: { from: team.status, to: status, teamName: team.name, own },
      });
      return (await teams.get(teamId))!;
    });
    this.deps.bus.publish('team:changed', after);
    return after;
  }

  /**
   * In the transaction of written case changes: the status that follows from the team's work
   * (accept → en_route, start → on_scene; when a team en route or on scene lets go of a case by
   * report, return, re-dispatch, void or merge, the status of what it still holds: on_scene if a
   * case is in progress, en_route if one is accepted, otherwise available), and the team's last
   * activity (its members' actions, or a dispatch to it). A status set by hand (busy, off_duty)
   * is left alone unless the team accepts or starts a case. Returns the announcement to make
   * after commit: `team:changed` for every team whose status or load changed, as this unit of
   * work leaves it (read here, in the transaction: it awaits nothing but the store).
   */
  async applyChanges(written: readonly WrittenChange[]): Promise<() => void> {
    const { teams } = this.deps;
    const touched = new Set<string>();
    const explicit = new Map<string, TeamStatus>();
    for (const c of written) {
      const e = c.entry;
      if (e.teamId) {
        touched.add(e.teamId);
        if (e.actor !== null || e.action === 'auto-dispatch') await teams.touch(e.teamId, c.at);
        if (e.action === 'accept') explicit.set(e.teamId, 'en_route');
        if (e.action === 'start') explicit.set(e.teamId, 'on_scene');
      }
      if (c.event.teamId) touched.add(c.event.teamId);
      const previous = e.details.previousTeamId;
      if (typeof previous === 'string') touched.add(previous);
    }
    // deadline notices and machine entries touch no team's load or status
    const relevant = written.some((c) => !c.entry.auto || c.entry.action === 'auto-dispatch');
    if (!relevant) return () => undefined;
    const announced: TeamSummary[] = [];
    for (const id of touched) {
      const team = await teams.get(id);
      if (!team) continue;
      let next = explicit.get(id);
      if (!next && (team.status === 'en_route' || team.status === 'on_scene')) {
        const held = await teams.held(id);
        next = held.in_progress ? 'on_scene' : held.accepted ? 'en_route' : 'available';
      }
      if (next) await teams.setStatus(id, next);
      // its load is read after the changes were written; its status is the one just set
      announced.push(next ? { ...team, status: next } : team);
    }
    return () => {
      for (const team of announced) this.deps.bus.publish('team:changed', team);
    };
  }
}
