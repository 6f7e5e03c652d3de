import { z } from 'zod';
import { TEAM_TYPES, type TeamType } from './catalog.js';
import { teamIdSchema } from './ids.js';
import type { TeamStatus } from './workflow.js';

export { TEAM_ID_PATTERN, teamIdSchema } from './ids.js';

export const TEAM_STATUSES_LIST = ['available', 'en_route', 'on_scene', 'busy', 'off_duty'] as const satisfies readonly TeamStatus[];

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
    /** Teams of this town and its villages, and the units of its county (which serve every town of the county). */
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
  /**
   * The county the team serves: its home county (county units) or the county of its town. On a
   * platform of several counties a county unit is seen and recommended within its county only.
   * Null only for a team based above the counties.
   */
  countyId: string | null;
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

// --- live positions and status (field devices → server → consoles) ---

/** Coordinate systems a device may report in; stored positions are always WGS84. */
export const CRS_VALUES = ['wgs84', 'gcj02'] as const;

/**
 * Body of `POST /api/v1/teams/{id}/position` and payload of the socket command `team:position`:
 * where the team is. `crs` defaults to `wgs84`; `gcj02` (most phone map stacks) is converted.
 * `at` (ISO 8601 with offset) is when the device took the fix, default: when the server
 * receives it; it may not be more than 2 minutes ahead of the server's clock nor older than
 * 24 hours.
 */
export const teamPositionSchema = z
  .object({
    lon: z.number().finite().min(-180).max(180),
    lat: z.number().finite().min(-90).max(90),
    /** Metres (the device's estimate), 0–100 000. */
    accuracy: z.number().finite().min(0).max(100_000).optional(),
    at: z.iso.datetime({ offset: true }).optional(),
    crs: z.enum(CRS_VALUES).optional(),
  })
  .strict();
export type TeamPositionReport = z.infer<typeof teamPositionSchema>;

/** The socket command `team:position`: the same, for the sender's own team (`teamId` may name it). */
export const teamPositionCommandSchema = teamPositionSchema.extend({ teamId: teamIdSchema.optional() }).strict();
export type TeamPositionCommand = z.infer<typeof teamPositionCommandSchema>;

/** How far ahead of the server's clock a device's `at` may be (clock skew), and how old. */
export const POSITION_MAX_AHEAD_MS = 2 * 60_000;
export const POSITION_MAX_AGE_MS = 24 * 3_600_000;

/** A stored position (WGS84). `at`: when the device took it. */
export interface TrailPoint {
  lon: number;
  lat: number;
  accuracy: number | null;
  at: string;
}

/** `200` answer of a position report: what was stored. */
export interface TeamPositionResult {
  teamId: string;
  position: TrailPoint;
  /** False when the report was older than the team's last position: kept in the trail only. */
  latest: boolean;
}

/** Ack of the socket command `team:position`. */
export type TeamPositionAck =
  | { ok: true; result: TeamPositionResult }
  | { ok: false; error: { code: string; message: string; fields?: Array<{ field: string; code: string; message: string }> } };

/** Query of `GET /api/v1/teams/{id}/trail`: positions taken since `since` (default: the last hour). */
export const trailQuerySchema = z.object({ since: z.iso.datetime({ offset: true }).optional() }).strict();

export interface TrailResponse {
  teamId: string;
  since: string;
  /** Oldest first, at most 5 000. */
  points: TrailPoint[];
}

/** Body of `POST /api/v1/teams/{id}/status`. */
export const teamStatusRequestSchema = z.object({ status: z.enum(TEAM_STATUSES_LIST) }).strict();
export type TeamStatusRequest = z.infer<typeof teamStatusRequestSchema>;

/** One team in a `team:moved` push: its latest position and status. */
export interface TeamMove {
  teamId: string;
  lon: number;
  lat: number;
  accuracy: number | null;
  /** When the device took the position. */
  at: string;
  status: TeamStatus;
}

/**
 * `team:moved`: the latest position of every team (that the console may see) that moved since
 * the last push. The server sends at most one per console per second, never one per report.
 */
export interface TeamMovedPayload {
  /** When the server sent it. */
  at: string;
  teams: TeamMove[];
}

/** `team:changed`: a team's status (or anything else of its summary) changed. */
export interface TeamChangedPayload {
  team: TeamSummary;
}
