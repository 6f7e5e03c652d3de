import { createStore } from './store';

/** Where a team selection came from: the map flies only to selections it did not make. */
export type TeamSelectionOrigin = 'map' | 'board' | 'link';

export interface TeamSelection {
  id: string | null;
  origin: TeamSelectionOrigin;
  /** Counts explicit selections, so selecting the same team again still flies to it. */
  nonce: number;
}

const NO_TEAM: TeamSelection = { id: null, origin: 'board', nonce: 0 };

export const createTeamSelectionStore = () => createStore<TeamSelection>(NO_TEAM);
export type TeamSelectionStore = ReturnType<typeof createTeamSelectionStore>;

export function selectTeam(store: TeamSelectionStore, id: string | null, origin: TeamSelectionOrigin): void {
  store.set((prev) => ({ id, origin, nonce: prev.nonce + 1 }));
}

export function clearTeamSelection(store: TeamSelectionStore): void {
  store.set(NO_TEAM);
}
