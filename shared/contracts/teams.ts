import { z } from 'zod';
import { TEAM_TYPES, type TeamType } from './catalog.js';
import type { TeamStatus } from './workflow.js';

export const TEAM_STATUSES_LIST = ['available', 'busy', 'off_duty'] as const satisfies readonly TeamStatus[];

const csvOf = <T extends readonly [string, ...string[]]>(values: T) =>
  z
    .string()
    .transform((s) => s.split(',').map((v) => v.trim()).filter(Boolean))
    .pipe(z.array(z.enum(values)).min(1));

/** Query of `GET /api/v1/teams`. `status` and `type` accept comma-separated lists. */
export const teamListQuerySchema = z
  .object({
    status: csvOf(TEAM_STATUSES_LIST).optional(),
    type: csvOf(TEAM_TYPES).optional(),
    /** Teams of this town and its villages; county units serve every town and are always listed. */
    town: z.string().regex(/^\d{9}$/).optional(),
  })
  .strict();
export type TeamListQuery = z.infer<typeof teamListQuerySchema>;

/** A field team (处置力量) as the dispatch dialog and the team board show it. */
export interface TeamSummary {
  id: string;
  name: string;
  type: TeamType;
  status: TeamStatus;
  /** The area the team belongs to: the county (county units), a town or a village. */
  homeRegionId: string;
  homeLevel: 'county' | 'town' | 'village';
  homeName: string;
  /** The town of the home area (null for county units). */
  townId: string | null;
  members: number;
  /** Masked for roles that do not see personal data. */
  leader: { name: string; phone: string };
  /** Last known position and when it was reported (null: the seeded base position). */
  location: { lon: number; lat: number };
  positionAt: string | null;
  /** Cases the team holds now (dispatched, accepted, in progress). */
  openCases: number;
}

export interface TeamListResponse {
  items: TeamSummary[];
}
