import type { TeamType } from '../../../../shared/contracts/catalog.js';
import type { TeamChangedPayload, TeamMove, TeamMovedPayload, TeamSummary, TrailPoint } from '../../../../shared/contracts/teams.js';
import type { TeamStatus } from '../../../../shared/contracts/workflow.js';

/**
 * The console's copy of the teams, as the board and the map show them. Immutable: a team that
 * did not change keeps its object identity, which the map diff and React memoisation rely on.
 */
export type TeamsById = ReadonlyMap<string, TeamSummary>;

const time = (at: string | null): number => (at === null ? Number.NEGATIVE_INFINITY : Date.parse(at));

/**
 * Applies a `team:moved` push: each listed team takes the pushed position and status, unless
 * what is held is newer (a refetch answered after the push was sent). Teams the console does
 * not hold are ignored: the next refetch brings them with their name and home.
 */
export function applyMoved(teams: TeamsById, payload: TeamMovedPayload): TeamsById {
  let next: Map<string, TeamSummary> | null = null;
  for (const move of payload.teams) {
    const held = (next ?? teams).get(move.teamId);
    if (!held || time(held.positionAt) > time(move.at)) continue;
    if (held.location.lon === move.lon && held.location.lat === move.lat && held.positionAt === move.at && held.status === move.status) continue;
    next ??= new Map(teams);
    next.set(move.teamId, { ...held, location: { lon: move.lon, lat: move.lat }, positionAt: move.at, status: move.status });
  }
  return next ?? teams;
}

/** Applies a `team:changed` push; the position held stays when it is newer than the pushed one. */
export function applyChanged(teams: TeamsById, { team }: TeamChangedPayload): TeamsById {
  const held = teams.get(team.id);
  const next = new Map(teams);
  next.set(team.id, held && time(held.positionAt) > time(team.positionAt) ? { ...team, location: held.location, positionAt: held.positionAt } : team);
  return next;
}

/**
 * A fresh list from `GET /teams` merged with what is held: pushes that arrived while the request
 * was under way may be newer than the answer, so per team the newer position wins. Teams no
 * longer listed are dropped; unchanged teams keep their identity.
 */
export function mergeFetched(held: TeamsById | undefined, fetched: readonly TeamSummary[]): TeamsById {
  const next = new Map<string, TeamSummary>();
  for (const team of fetched) {
    const old = held?.get(team.id);
    if (old && time(old.positionAt) > time(team.positionAt)) next.set(team.id, { ...team, location: old.location, positionAt: old.positionAt });
    else if (old && sameTeam(old, team)) next.set(team.id, old);
    else next.set(team.id, team);
  }
  return next;
}

function sameTeam(a: TeamSummary, b: TeamSummary): boolean {
  return (
    a.status === b.status &&
    a.name === b.name &&
    a.positionAt === b.positionAt &&
    a.location.lon === b.location.lon &&
    a.location.lat === b.location.lat &&
    a.openCases === b.openCases &&
    a.members === b.members &&
    a.leader.name === b.leader.name &&
    a.leader.phone === b.leader.phone &&
    a.homeRegionId === b.homeRegionId
  );
}

/** The team board's filters; empty sets and null mean "any". */
export interface TeamFilter {
  types: ReadonlySet<TeamType>;
  statuses: ReadonlySet<TeamStatus>;
  /** A town id: its own teams and villages' teams, plus the county units that serve every town. */
  townId: string | null;
}

export const NO_TEAM_FILTER: TeamFilter = { types: new Set(), statuses: new Set(), townId: null };

/** The board's order: who can go now first (available, then en route, on scene, busy, off duty), then by name. */
export const STATUS_ORDER: readonly TeamStatus[] = ['available', 'en_route', 'on_scene', 'busy', 'off_duty'];

export function filterTeams(teams: Iterable<TeamSummary>, filter: TeamFilter, collator: Intl.Collator): TeamSummary[] {
  const out: TeamSummary[] = [];
  for (const team of teams) {
    if (filter.types.size && !filter.types.has(team.type)) continue;
    if (filter.statuses.size && !filter.statuses.has(team.status)) continue;
    if (filter.townId !== null && team.townId !== null && team.townId !== filter.townId) continue;
    out.push(team);
  }
  return out.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || collator.compare(a.name, b.name) || a.id.localeCompare(b.id));
}

/** How many teams of each status, for the board's summary line. */
export function statusCounts(teams: Iterable<TeamSummary>): Record<TeamStatus, number> {
  const counts: Record<TeamStatus, number> = { available: 0, en_route: 0, on_scene: 0, busy: 0, off_duty: 0 };
  for (const team of teams) counts[team.status] += 1;
  return counts;
}

/** How long a trail reaches back. */
export const TRAIL_WINDOW_MS = 3_600_000;

/**
 * A trail as read, extended by a pushed position of its team when that is newer than its last
 * point (pushes carry each team's latest position, so the trail grows one point per push).
 */
export function appendToTrail(points: readonly TrailPoint[], move: TeamMove): readonly TrailPoint[] {
  const last = points.at(-1);
  if (last && Date.parse(move.at) <= Date.parse(last.at)) return points;
  return [...points, { lon: move.lon, lat: move.lat, accuracy: move.accuracy, at: move.at }];
}

/** The points of the last hour as of `now`. */
export function recentTrail(points: readonly TrailPoint[], now: number): readonly TrailPoint[] {
  const from = points.findIndex((p) => now - Date.parse(p.at) <= TRAIL_WINDOW_MS);
  return from <= 0 ? (from === 0 ? points : []) : points.slice(from);
}
