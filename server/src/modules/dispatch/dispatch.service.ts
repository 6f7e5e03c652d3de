import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { RecommendationsResponse } from '../../../../shared/contracts/workflow.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';
import { rankTeams } from '../../../../shared/domain/recommend.js';
import type { TeamsRepo } from '../teams/teams.repo.js';

/**
 * Machine dispatch (机器派单): ranks the teams that may take an event, with the reasons, and lists
 * the micro-grid's roster for the dispatcher to call. Pure reads; the ranking itself is
 * `rankTeams` in shared/domain/recommend.ts. Auto-dispatch at intake uses the same ranking.
 */
export class DispatchRecommender {
  constructor(private readonly teams: TeamsRepo) {}

  recommend(event: EventRecord, item: CatalogItem, now: Date): RecommendationsResponse {
    const candidates = this.teams.candidates(event);
    const recommendations = rankTeams(
      { itemTeamType: item.teamType, lon: event.location.lon, lat: event.location.lat, villageId: event.villageId, townId: event.townId },
      candidates,
      now,
    );
    return { eventId: event.id, itemTeamType: item.teamType, recommendations, roster: this.teams.roster(event) };
  }
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
