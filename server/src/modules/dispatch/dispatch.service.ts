import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { TeamSummary } from '../../../../shared/contracts/teams.js';
import type { Recommendation, RecommendationsResponse, TimelineEntry } from '../../../../shared/contracts/workflow.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { rankTeams, type TeamCandidate } from '../../../../shared/domain/recommend.js';
import type { EventsRepo } from '../events/events.repo.js';
import type { TeamsRepo } from '../teams/teams.repo.js';
import type { TeamMembersRepo } from './dispatch.repo.js';

export interface DispatchRecommenderDeps {
  teams: TeamsRepo;
  /** Who may take each team's steps: the ranking passes over a team only the case's reporter could handle. */
  members: TeamMembersRepo;
  /** Who reported the case (separation of duties), and its timeline (the teams that returned it). */
  events: Pick<EventsRepo, 'people' | 'timeline'>;
}

/**
 * Machine dispatch (机器派单): ranks the teams that may take an event, with the reasons, and lists
 * the micro-grid's roster for the dispatcher to call. Pure reads; the ranking itself is
 * `rankTeams` in shared/domain/recommend.ts. Auto-dispatch at intake uses the same ranking
 * (inside the intake's transaction, where the new case's reporter is already stored).
 */
export class DispatchRecommender {
  constructor(private readonly deps: DispatchRecommenderDeps) {}

  async recommend(event: EventRecord, item: CatalogItem, now: Date): Promise<RecommendationsResponse> {
    const { teams } = this.deps;
    const recommendations = await this.rank(event, item, await teams.candidates(event), now);
    return { eventId: event.id, itemTeamType: item.teamType, recommendations, roster: await teams.roster(event) };
  }

  /**
   * The ranking's word on one team for a case (eligible or not, and why), whether or not the
   * team is among those ranked for it (a team of another town may be sent by hand): what the
   * dispatch rule checks. Null for an unknown team.
   */
  async assess(event: EventRecord, item: CatalogItem, teamId: string, now: Date): Promise<Recommendation | null> {
    const { teams } = this.deps;
    const found = await teams.candidates(event);
    if (!found.some((t) => t.id === teamId)) {
      const team = await teams.get(teamId);
      if (!team) return null;
      found.push(candidateOf(team));
    }
    return (await this.rank(event, item, found, now)).find((r) => r.teamId === teamId) ?? null;
  }

  private async rank(event: EventRecord, item: CatalogItem, found: TeamCandidate[], now: Date): Promise<Recommendation[]> {
    const { members, events } = this.deps;
    const handlers = await members.handlers(found.map((t) => t.id));
    const candidates = found.map((t) => ({ ...t, memberIds: handlers.get(t.id) ?? [] }));
    return rankTeams(
      {
        itemTeamType: item.teamType,
        lon: event.location.lon,
        lat: event.location.lat,
        villageId: event.villageId,
        townId: event.townId,
        reporterUserId: (await events.people(event.id))?.reporterUserId ?? null,
        returnedBy: returnsOf(await events.timeline(event.id)),
      },
      candidates,
      now,
    );
  }
}

/** The teams that returned a case (回退), from its timeline: team id → how many times. */
export function returnsOf(entries: readonly Pick<TimelineEntry, 'action' | 'teamId'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const e of entries) if (e.action === 'return' && e.teamId !== null) out.set(e.teamId, (out.get(e.teamId) ?? 0) + 1);
  return out;
}

/** A team outside the case's area as the ranking sees it: no home or roster points, the rest as for any team. */
function candidateOf(team: TeamSummary): TeamCandidate {
  return {
    id: team.id,
    name: team.name,
    type: team.type,
    status: team.status,
    homeLevel: team.homeLevel,
    homeRegionId: team.homeRegionId,
    lon: team.location.lon,
    lat: team.location.lat,
    positionAt: team.positionAt,
    openCases: team.openCases,
    roster: null,
  };
}

/** The answer as a role that does not see personal data may see it: roster names and phones masked. */
export function maskedRecommendations(res: RecommendationsResponse): RecommendationsResponse {
  return {
    ...res,
    roster: res.roster.map((p) => ({ role: p.role, name: maskName(p.name), phone: maskPhone(p.phone) })),
    recommendations: res.recommendations.map((r) => ({
      ...r,
      reasons: r.reasons.map((reason) =>
        reason.code === 'roster' && typeof reason.params.name === 'string' ? { ...reason, params: { ...reason.params, name: maskName(reason.params.name) } } : reason,
      ),
    })),
  };
}
