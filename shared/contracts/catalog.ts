import type { Urgency } from './events.js';

/** Types of field forces ("hands", 手脚). */
export const TEAM_TYPES = ['law_enforcement', 'village_cadre', 'mediator', 'grid_worker', 'emergency_rescue', 'police'] as const;
export type TeamType = (typeof TEAM_TYPES)[number];

export type TimeLimitUnit = 'minutes' | 'work_hours' | 'work_days' | 'days';
export interface TimeLimit {
  value: number;
  unit: TimeLimitUnit;
}

/** An admitted event item (入格事项). The closed-loop issue versions this catalog. */
export interface CatalogItem {
  code: string;
  name: string;
  nameEn: string;
  /** Category key, e.g. `dispute`, `safety`. */
  category: string;
  categoryName: string;
  categoryNameEn: string;
  /** The responsible body (责任部门). */
  department: string;
  teamType: TeamType;
  defaultUrgency: Urgency;
  /** Grid workers may handle it on the spot (自行处置). */
  selfHandle: boolean;
  /** Time limit of the handling step (处置时限). */
  handleLimit: TimeLimit;
}

export interface CatalogResponse {
  version: number;
  items: CatalogItem[];
}
