import type { TeamType } from './catalog.js';

/**
 * `GET /api/v1/users/form-options` (security administrator): what the user forms choose from.
 * The security administrator has no map or team board, so the towns and teams come from here.
 */
export interface UserFormOptions {
  /**
   * The platform's top region: the county of a county server, else the city or province.
   * Granting it, or nothing, grants the whole platform. Null before any region is imported.
   */
  root: GrantableArea | null;
  /**
   * The cities and counties between the root and the towns, in code order, each with the region
   * it lies in (`parentId`): what a city or county user is granted. Empty on a county server.
   */
  areas: GrantableArea[];
  /** Every town, in code order, with its county (`parentId`). */
  towns: GrantableArea[];
  /** `countyId`: the county a team serves (TeamSummary.countyId), whose users it is offered to. */
  teams: Array<{ id: string; name: string; type: TeamType; homeName: string; townId: string | null; countyId: string | null }>;
  /** The password policy in force, for the hints beside the password field. */
  passwordPolicy: {
    profile: 'dengbao' | 'asvs';
    minLength: number;
    /** Character classes (lower, upper, digit, symbol) a password needs; 0: any. */
    minClasses: number;
    /** Days until a password must be changed; null: never. */
    maxAgeDays: number | null;
    /** Previous passwords that may not be reused. */
    historyDepth: number;
    /** The asvs profile also refuses common passwords. */
    refusesCommon: boolean;
  };
}

/** A region a user may be granted (users' `towns` take its id): the province, a city, a county or a town. */
export interface GrantableArea {
  id: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'town';
  /** The region it lies in; null for the top region. */
  parentId: string | null;
}
