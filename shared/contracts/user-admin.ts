import type { TeamType } from './catalog.js';

/**
 * `GET /api/v1/users/form-options` (security administrator): what the user forms choose from.
 * The security administrator has no map or team board, so the towns and teams come from here.
 */
export interface UserFormOptions {
  towns: Array<{ id: string; name: string }>;
  teams: Array<{ id: string; name: string; type: TeamType; homeName: string; townId: string | null }>;
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
