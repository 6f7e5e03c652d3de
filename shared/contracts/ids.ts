import { z } from 'zod';

/**
 * Ids shared by several contracts, defined once and depending on nothing else in shared/, so
 * the contracts that use them never import each other for an id.
 */

/** A field team's id: `TM` and 4 to 8 digits, the one pattern every route and payload accepts. */
export const TEAM_ID_PATTERN = /^TM\d{4,8}$/;
export const teamIdSchema = z.string().regex(TEAM_ID_PATTERN);
