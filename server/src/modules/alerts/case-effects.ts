import type { TeamsLive, WrittenChange } from '../teams/teams-live.js';
import type { AlertsService } from './alerts.service.js';

/**
 * What follows from written case changes besides the changes themselves: the teams' status and
 * last activity, and alerts. `apply` runs inside the transaction that wrote the changes (so
 * everything commits or rolls back together) and returns the announcement to make after commit.
 */
export interface ChangeEffects {
  apply(written: readonly WrittenChange[]): () => void;
}

export function caseEffects(live: TeamsLive, alerts: AlertsService): ChangeEffects {
  return {
    apply(written) {
      if (written.length === 0) return () => undefined;
      const announceTeams = live.applyChanges(written);
      const raised = alerts.fromChanges(written);
      return () => {
        announceTeams();
        alerts.announce(raised);
      };
    },
  };
}
