import { z } from 'zod';
import type { UpperRegionLevel } from './regions.js';
import { teamIdSchema } from './ids.js';
import { cleanText } from './text.js';

/**
 * Roles (GB/T 22239-2019 level 3 calls for separated administrators, 三权分立): the system
 * administrator runs the system but cannot read audit records; the security administrator
 * manages users, roles and sessions; the audit administrator reads and exports the audit
 * trail and changes nothing.
 */
export const ROLES = [
  'dispatcher', // 指挥调度员
  'duty_officer', // 值班长/值班员
  'shift_lead', // 带班领导
  'field_worker', // 网格员/处置人员
  'catalog_approver', // 事项清单审核人
  'grid_office', // 网格办（县/乡镇）: grid workers' records, training, assessment, deliberation days
  'sysadmin', // 系统管理员
  'secadmin', // 安全管理员
  'auditor', // 审计管理员
  'wall', // 大屏（只读设备）
  'integration', // 接口调用方（API key）
] as const;
export const roleSchema = z.enum(ROLES);
export type Role = z.infer<typeof roleSchema>;

/** What a route or socket command needs. One list, checked in one place on the server. */
export const PERMISSIONS = [
  'session:own', // see and end one's own session: every role
  'geo:read',
  'events:read',
  'events:create',
  'catalog:read',
  'catalog:edit', // draft a new catalog version
  'catalog:approve', // approve or reject a draft (never one's own)
  'case:act', // send actions to cases (each action needs its own permission below)
  'case:file', // file, reject, void, merge, close
  'case:dispatch', // dispatch, see recommendations
  'case:handle', // a team's steps: accept, return, start, report, request an extension
  'case:verify', // verify or send back for rework
  'case:supervise', // supervise (督办), approve or deny extensions
  'case:self-handle', // report a case as handled on the spot (自行处置): a grid worker in person, never an API key
  'case:assign_down', // 市级交办: assign a case down to a county (a city's scope on a city or province platform)
  'kpi:read',
  'teams:report', // report one's own team's position and status (field devices)
  'teams:track', // report any team's position in scope (a vehicle-tracking gateway, 车载定位平台); not its status
  'alerts:ack', // acknowledge alerts
  'settings:manage', // working calendar, duplicate rule
  'audit:read',
  'audit:export',
  'users:manage',
  'system:read',
  'data:import', // load a county's boundaries and rosters (GIS files, CSV/XLSX): the system administrator
  'events:forward', // a county's own server forwards its cases to the city's: an integration key whose scope is exactly that one county
  'workforce:read', // grid workers' records, workload and activity, assessments, deliberation days in scope
  'workforce:manage', // keep those records: workers, training, assessment scores and decisions, deliberation days (the town's or county's grid office)
  'workforce:own', // a grid worker's own record, activity and assessment (the field account linked to the worker)
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Least privilege: each role gets only what its work needs. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  dispatcher: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:file', 'case:dispatch', 'case:handle', 'case:verify', 'case:assign_down', 'kpi:read', 'alerts:ack'],
  duty_officer: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:file', 'case:dispatch', 'case:handle', 'case:verify', 'case:supervise', 'kpi:read', 'alerts:ack'],
  shift_lead: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'catalog:edit', 'case:act', 'case:file', 'case:dispatch', 'case:verify', 'case:supervise', 'case:assign_down', 'kpi:read', 'alerts:ack', 'workforce:read'],
  field_worker: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:handle', 'case:verify', 'case:self-handle', 'teams:report', 'workforce:own'],
  catalog_approver: ['session:own', 'catalog:read', 'catalog:edit', 'catalog:approve'],
  grid_office: ['session:own', 'geo:read', 'events:read', 'catalog:read', 'kpi:read', 'workforce:read', 'workforce:manage'],
  sysadmin: ['session:own', 'system:read', 'catalog:read', 'settings:manage', 'data:import'],
  secadmin: ['session:own', 'users:manage'],
  auditor: ['session:own', 'audit:read', 'audit:export'],
  wall: ['session:own', 'geo:read', 'events:read', 'catalog:read', 'kpi:read'],
  integration: ['session:own', 'events:create', 'catalog:read', 'teams:track', 'events:forward'],
};

/**
 * The three administrators of 三权分立 (GB/T 22239-2019 level 3): each is a separate person's
 * account, never combined with another administrator role or with operational work, so no one
 * can both act and erase or read the trace of acting.
 */
export const ADMIN_ROLES: readonly Role[] = ['sysadmin', 'secadmin', 'auditor'];
/** Devices and programs, not people: each such account holds that one role only. */
export const DEVICE_ROLES: readonly Role[] = ['wall', 'integration'];

/** Why a set of roles may not be held by one account. */
export type RoleConflict =
  /** More than one of sysadmin, secadmin, auditor. */
  | 'multiple_admin_roles'
  /** An administrator role together with an operational one. */
  | 'admin_with_operational_role'
  /** A device role (wall display, integration client) together with any other role. */
  | 'device_role_not_alone'
  /** The same role listed twice. */
  | 'duplicate_role';

/**
 * The separation rules for one account's roles, or null when they hold. Enforced wherever roles
 * are given (REST, `npm run admin`) and checked over stored accounts at start-up and by
 * `npm run audit:verify`. A wall display has no idle timeout and an integration key no
 * second factor, so neither may carry a person's role.
 */
export function roleConflict(roles: readonly Role[]): RoleConflict | null {
  if (new Set(roles).size !== roles.length) return 'duplicate_role';
  const admin = roles.filter((r) => ADMIN_ROLES.includes(r));
  if (admin.length > 1) return 'multiple_admin_roles';
  if (admin.length === 1 && roles.length > 1) return 'admin_with_operational_role';
  if (roles.some((r) => DEVICE_ROLES.includes(r)) && roles.length > 1) return 'device_role_not_alone';
  return null;
}

/** Roles that see residents' and reporters' names and phone numbers unmasked. */
export const ROLES_SEEING_PERSONAL_DATA: readonly Role[] = ['dispatcher', 'duty_officer', 'shift_lead', 'field_worker'];

export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/**
 * What an account sees: the whole platform (`county`, named from the days of one county per server:
 * on a city or province platform it is all of it), or a set of towns. `areas` are the regions it was
 * granted as stored (towns, counties or a city); `towns` is their expansion to towns (9-digit codes)
 * and `counties` the counties those towns lie in, whose county units (teams based at the county)
 * serve the scope.
 */
export type Scope = { kind: 'county' } | { kind: 'towns'; towns: string[]; counties: string[]; areas: string[] };

export const loginRequestSchema = z
  .object({
    username: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    totp: z.string().regex(/^\d{6}$/).optional(),
  })
  .strict();
export type LoginRequest = z.infer<typeof loginRequestSchema>;

export interface SessionUser {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  scope: Scope;
  /** Names of the areas in scope (towns, counties or a city), for display. */
  scopeNames: string[];
  /** The level of the platform's top region: how the whole platform is named (全县, 全市, 全省). */
  platformLevel: UpperRegionLevel;
  /** The field team this user belongs to (处置力量成员), if any. */
  teamId: string | null;
}

export interface LoginResponse {
  token: string;
  /** Absolute end of the session (ISO); the idle timeout may end it sooner. */
  expiresAt: string;
  idleTimeoutSeconds: number;
  user: SessionUser;
  /** The password has expired (等保 profile): only a password change is allowed. */
  mustChangePassword: boolean;
  demo: boolean;
}

export const changePasswordSchema = z
  .object({ currentPassword: z.string().min(1).max(256), newPassword: z.string().min(1).max(256) })
  .strict();

/** Body of `POST /api/v1/users` (security administrator). */
/** A region a user may be granted: a town (9-digit code) or a county, city or province (6 digits). */
const areaIdSchema = z.string().regex(/^\d{6}(\d{3})?$/);

export const createUserSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/),
    displayName: cleanText({ max: 64 }),
    password: z.string().min(1).max(256),
    roles: z.array(roleSchema).min(1).max(4),
    /** Granted areas: town (9 digits), county or city ids (6 digits); omitted or empty: the whole platform. */
    towns: z.array(areaIdSchema).max(50).optional(),
    /** The field team the user belongs to; required for a field worker. */
    teamId: teamIdSchema.optional(),
  })
  .strict();

/** Body of `POST /api/v1/users/{id}/roles`: new roles and scope, and team (security administrator). */
export const updateUserRolesSchema = z
  .object({
    roles: z.array(roleSchema).min(1).max(4),
    towns: z.array(areaIdSchema).max(50).optional(),
    /** A team id, null to leave the team, omitted to keep it. */
    teamId: teamIdSchema.nullable().optional(),
  })
  .strict();

/**
 * Intake channels an integration key may be bound to (多网合一): Open311 GeoReport v2 clients,
 * video/AI alert platforms (雪亮工程), the 12345 hotline platform and the WeChat mini-program.
 */
export const INTAKE_CHANNELS = ['open311', 'video', 'hotline', 'miniprogram'] as const;
export const intakeChannelSchema = z.enum(INTAKE_CHANNELS);
export type IntakeChannel = z.infer<typeof intakeChannelSchema>;

/**
 * Body of `POST /api/v1/users/{id}/api-keys`: a name to recognise the key by, an optional expiry,
 * and the one intake channel it may post to (omitted: none, e.g. a vehicle-tracking gateway).
 */
export const createApiKeySchema = z
  .object({
    name: cleanText({ max: 64 }),
    channel: intakeChannelSchema.optional(),
    /** ISO 8601 instant after which the key opens nothing; omitted: no expiry. */
    expiresAt: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

/** Body of `POST /api/v1/api-keys/{keyId}/revoke`. */
export const revokeApiKeySchema = z.object({ reason: cleanText({ max: 200 }).optional() }).strict();

/** An integration client's API key as the security administrator sees it (never the secret). */
export interface ApiKeySummary {
  /** Public id (`ak_` + 16 hex), to list and revoke it by. */
  keyId: string;
  userId: string;
  username: string;
  name: string;
  /** The roles and scope it was issued for; it opens nothing once its user's differ. */
  roles: Role[];
  scope: Scope;
  /** The intake channel it may post to; null: none. */
  channel: IntakeChannel | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
  /** `active`, or why it no longer opens anything. */
  state: 'active' | 'revoked' | 'expired';
}

/** Answer of issuing a key: the secret, shown this once, and the key's summary. */
export interface ApiKeyCreated {
  key: string;
  apiKey: ApiKeySummary;
}

/** A stored account that breaks the separation rules (see `roleConflict`), or a field worker without a team. */
export interface AccountProblemSummary {
  userId: string;
  username: string;
  roles: Role[];
  problem: RoleConflict | 'field_worker_without_team';
}

/** A user as the security administrator sees it (never a hash or secret). */
export interface UserSummary {
  id: string;
  username: string;
  displayName: string;
  roles: Role[];
  scope: Scope;
  disabled: boolean;
  lockedUntil: string | null;
  totpEnrolled: boolean;
  passwordChangedAt: string;
  teamId: string | null;
  /** Set when the account breaks the separation rules: it cannot be used until fixed. */
  problem: AccountProblemSummary['problem'] | null;
}

/** Body of `GET /api/v1/users`: every user, and the accounts that break the separation rules. */
export interface UserListResponse {
  items: UserSummary[];
  problems: AccountProblemSummary[];
}
