import type { TeamType } from '../contracts/catalog.js';
import type { Recommendation, RecommendationReason, RecommendationReasonCode, TeamStatus } from '../contracts/workflow.js';
import { distanceMeters } from './duplicates.js';
import { separationConflict } from './workflow.js';

/**
 * Machine dispatch (机器派单): ranks the field teams for a case by points that a dispatcher can
 * read back. Every reason carries its points and the score is their sum, so the console can
 * say why a team is first ("本村队伍 +30, 1.2 km +17.6, 空闲 +10 …") and the dispatcher can
 * overrule it knowingly.
 */

/** A team as the recommender sees it (the server fills it from teams, positions and open cases). */
export interface TeamCandidate {
  id: string;
  name: string;
  type: TeamType;
  status: TeamStatus;
  /** The level of the area the team belongs to: a village's own team, a town's, or a county unit. */
  homeLevel: 'county' | 'town' | 'village';
  /** Id of the region at `homeLevel` (village or town id; the county's id for county units). */
  homeRegionId: string;
  /** Last known position (WGS84). */
  lon: number;
  lat: number;
  /** When that position was reported (ISO instant); null when never. */
  positionAt: string | null;
  /** Cases the team holds now (dispatched, accepted or in progress). */
  openCases: number;
  /** The member of this team who is on the case's micro-grid "5包1" roster, if any. */
  roster: { name: string; role: string } | null;
  /**
   * User ids of the team's active accounts that may take its steps (case:handle). Absent or
   * empty: the team's people are not known to the system, and the membership rule is silent.
   */
  memberIds?: readonly string[];
}

/** What of the case the ranking needs. */
export interface CaseForRanking {
  /** Team type the catalog item asks for. */
  itemTeamType: TeamType;
  lon: number;
  lat: number;
  villageId: string;
  townId: string;
  /** The account that reported the case, if a user did (not a hotline or an API program). */
  reporterUserId?: string | null;
  /**
   * Teams that handed this case back (回退), from its timeline: team id → how many times. They
   * gave their reason for not handling it, so they rank after every other eligible team and the
   * machine never sends it back to them.
   */
  returnedBy?: ReadonlyMap<string, number>;
}

/**
 * Whether every member of the team who could handle the case is its reporter, whom separation
 * of duties forbids to handle it (采办分离): the team could accept the task but never start it.
 */
export function onlyReporterCanHandle(c: Pick<CaseForRanking, 'reporterUserId'>, t: Pick<TeamCandidate, 'memberIds'>): boolean {
  const reporterId = c.reporterUserId ?? null;
  const members = t.memberIds ?? [];
  if (reporterId === null || members.length === 0) return false;
  return members.every((id) => separationConflict('start', id, { reporterId, handlerId: null, selfHandled: false }) !== null);
}

/**
 * The points of each reason. Type and duty status decide eligibility; among eligible teams the
 * home team comes first (it knows the place and its people), then the roster, nearness,
 * availability and load break the tie.
 */
export const RECOMMEND_POINTS = {
  typeMatch: 40,
  homeVillage: 30,
  homeTown: 20,
  countyUnit: 5,
  roster: 10,
  /** Points for a team on the spot; each km away takes `distancePerKm` off, down to 0. */
  distanceMax: 20,
  distancePerKm: 2,
  available: 10,
  busy: -10,
  perOpenCase: -3,
  stalePosition: -5,
  /** A position older than this is stale: the team may have moved since. */
  staleAfterHours: 2,
} as const;

const HOUR_MS = 3_600_000;

/** Rounds to one decimal and turns -0 into 0, so points read the same as they add up. */
const tenth = (x: number): number => Math.round(x * 10) / 10 + 0;

function scoreTeam(c: CaseForRanking, t: TeamCandidate, now: Date): { rec: Omit<Recommendation, 'rank'>; meters: number; returned: boolean } {
  const P = RECOMMEND_POINTS;
  const reasons: RecommendationReason[] = [];
  const typeOk = t.type === c.itemTeamType;
  reasons.push(typeOk ? { code: 'type_match', params: { type: t.type }, points: P.typeMatch } : { code: 'type_mismatch', params: { type: t.type, wanted: c.itemTeamType }, points: 0 });

  if (t.homeLevel === 'village' && t.homeRegionId === c.villageId) reasons.push({ code: 'home_village', params: {}, points: P.homeVillage });
  else if (t.homeLevel === 'town' && t.homeRegionId === c.townId) reasons.push({ code: 'home_town', params: {}, points: P.homeTown });
  else if (t.homeLevel === 'county') reasons.push({ code: 'county_unit', params: {}, points: P.countyUnit });

  if (t.roster) reasons.push({ code: 'roster', params: { name: t.roster.name, role: t.roster.role }, points: P.roster });

  // Points come from the rounded km shown to the dispatcher, so the reason reads consistently.
  const meters = distanceMeters(c, t);
  const km = tenth(meters / 1000);
  reasons.push({ code: 'distance', params: { km }, points: tenth(Math.max(0, P.distanceMax - P.distancePerKm * km)) });

  if (t.status === 'available') reasons.push({ code: 'available', params: {}, points: P.available });
  else if (t.status === 'busy') reasons.push({ code: 'busy', params: {}, points: P.busy });
  // on the way to or working on another case: as busy as a team marked busy
  else if (t.status === 'en_route' || t.status === 'on_scene') reasons.push({ code: 'busy', params: { status: t.status }, points: P.busy });
  else reasons.push({ code: 'off_duty', params: {}, points: 0 });

  reasons.push({ code: 'load', params: { open: t.openCases }, points: tenth(P.perOpenCase * t.openCases) });

  const reporterOnly = onlyReporterCanHandle(c, t);
  if (reporterOnly) reasons.push({ code: 'reporter_only_member', params: {}, points: 0 });

  // No points: the order puts it after the other eligible teams whatever its score (see rankTeams).
  const returns = c.returnedBy?.get(t.id) ?? 0;
  if (returns > 0) reasons.push({ code: 'returned_before', params: { times: returns }, points: 0 });

  // A position of unknown age (never reported, or unreadable) counts as stale.
  const seenAt = t.positionAt === null ? Number.NaN : Date.parse(t.positionAt);
  if (!Number.isFinite(seenAt)) {
    reasons.push({ code: 'stale_position', params: {}, points: P.stalePosition });
  } else {
    const hours = (now.getTime() - seenAt) / HOUR_MS;
    if (hours > P.staleAfterHours) reasons.push({ code: 'stale_position', params: { hours: tenth(hours) }, points: P.stalePosition });
  }

  const rec = {
    teamId: t.id,
    teamName: t.name,
    teamType: t.type,
    status: t.status,
    eligible: typeOk && t.status !== 'off_duty' && !reporterOnly,
    score: tenth(reasons.reduce((sum, r) => sum + r.points, 0)),
    distanceKm: km,
    openCases: t.openCases,
    reasons,
  };
  return { rec, meters, returned: returns > 0 };
}

/**
 * Teams ranked for a case: eligible ones first (the item's team type, not off duty, someone
 * besides the reporter to handle it), among them those that never returned the case before
 * those that did, then by
 * score (the sum of the reasons' points), nearer first, then by id so equal teams always come
 * in the same order. `rank` counts from 1. `now` decides whether a position is stale.
 */
export function rankTeams(c: CaseForRanking, teams: readonly TeamCandidate[], now: Date): Recommendation[] {
  return teams
    .map((t) => scoreTeam(c, t, now))
    .sort(
      (a, b) =>
        Number(b.rec.eligible) - Number(a.rec.eligible) ||
        Number(a.returned) - Number(b.returned) ||
        b.rec.score - a.rec.score ||
        // the exact distance, so two teams 1.04 and 1.0 km away do not tie on the shown 1.0
        a.meters - b.meters ||
        (a.rec.teamId < b.rec.teamId ? -1 : a.rec.teamId > b.rec.teamId ? 1 : 0),
    )
    .map(({ rec }, i) => ({ rank: i + 1, ...rec }));
}

/**
 * The team the machine may dispatch to without a person: the best-ranked recommendation that is
 * eligible, available and a home team (its village's or its town's), and never one that returned
 * the case (it said why it would not handle it). Null when none is: the case then waits for a
 * dispatcher, since sending a county unit, a busy team or the same team again is a human's call.
 */
export function autoDispatchChoice(recs: readonly Recommendation[]): Recommendation | null {
  const fits = recs.filter(
    (r) =>
      r.eligible &&
      r.status === 'available' &&
      r.reasons.some((x) => x.code === 'home_village' || x.code === 'home_town') &&
      !r.reasons.some((x) => x.code === 'returned_before'),
  );
  return fits.reduce<Recommendation | null>((best, r) => (best === null || r.rank < best.rank ? r : best), null);
}

/** The reasons that make a team ineligible (see `Recommendation.eligible`). */
export type IneligibilityCode = Extract<RecommendationReasonCode, 'type_mismatch' | 'off_duty' | 'reporter_only_member'>;

/**
 * Which ineligibilities a dispatcher may override with a written reason (派遣理由). A team off
 * duty can be called in, and a team of another type may be the only hands near enough: the
 * dispatcher knows what the ranking cannot, and says so on the record. Separation of duties
 * (采办分离: the reporter would be the only one to handle the case) is a rule, not a preference:
 * no reason lifts it.
 */
export const INELIGIBILITY_OVERRIDABLE: Readonly<Record<IneligibilityCode, boolean>> = {
  off_duty: true,
  type_mismatch: true,
  reporter_only_member: false,
};

const INELIGIBILITY_CODES = new Set<RecommendationReasonCode>(Object.keys(INELIGIBILITY_OVERRIDABLE) as IneligibilityCode[]);

/**
 * Why a ranked team is ineligible, and whether a written reason may override it (only when
 * every one of its ineligibilities may be). Null for an eligible team.
 */
export function ineligibility(rec: Pick<Recommendation, 'eligible' | 'reasons'>): { codes: IneligibilityCode[]; overridable: boolean } | null {
  if (rec.eligible) return null;
  const codes = rec.reasons.map((r) => r.code).filter((code): code is IneligibilityCode => INELIGIBILITY_CODES.has(code));
  return { codes, overridable: codes.length > 0 && codes.every((code) => INELIGIBILITY_OVERRIDABLE[code]) };
}
