import { z } from 'zod';

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
  'kpi:read',
  'teams:report', // report one's own team's position and status (field devices)
  'teams:track', // report any team's position in scope (a vehicle-tracking gateway, 车载定位平台); not its status
  'alerts:ack', // acknowledge alerts
  'settings:manage', // working calendar, duplicate rule
  'audit:read',
  'audit:export',
  'users:manage',
  'system:read',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** Least privilege: each role gets only what its work needs. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  dispatcher: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:file', 'case:dispatch', 'case:handle', 'case:verify', 'kpi:read', 'alerts:ack'],
  duty_officer: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:file', 'case:dispatch', 'case:handle', 'case:verify', 'case:supervise', 'kpi:read', 'alerts:ack'],
  shift_lead: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'catalog:edit', 'case:act', 'case:file', 'case:dispatch', 'case:verify', 'case:supervise', 'kpi:read', 'alerts:ack'],
  field_worker: ['session:own', 'geo:read', 'events:read', 'events:create', 'catalog:read', 'case:act', 'case:handle', 'case:verify', 'teams:report'],
  catalog_approver: ['session:own', 'catalog:read', 'catalog:edit', 'catalog:approve'],
  sysadmin: ['session:own', 'system:read', 'catalog:read', 'settings:manage'],
  secadmin: ['session:own', 'users:manage'],
  auditor: ['session:own', 'audit:read', 'audit:export'],
  wall: ['session:own', 'geo:read', 'events:read', 'catalog:read', 'kpi:read'],
  integration: ['session:own', 'events:create', 'catalog:read', 'teams:track'],
};

/** Roles that see residents' and reporters' names and phone numbers unmasked. */
export const ROLES_SEEING_PERSONAL_DATA: readonly Role[] = ['dispatcher', 'duty_officer', 'shift_lead', 'field_worker'];

export function rolesAllow(roles: readonly Role[], permission: Permission): boolean {
  return roles.some((r) => ROLE_PERMISSIONS[r].includes(permission));
}

/** The county, or a set of towns (9-digit codes). */
export type Scope = { kind: 'county' } | { kind: 'towns'; towns: string[] };

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
  /** Names of the towns in scope, for display. */
  scopeNames: string[];
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
export const createUserSchema = z
  .object({
    username: z.string().regex(/^[A-Za-z0-9._-]{3,64}$/),
    displayName: z.string().trim().min(1).max(64),
    password: z.string().min(1).max(256),
    roles: z.array(roleSchema).min(1).max(4),
    /** Town ids (9 digits); omitted or empty: the county. */
    towns: z.array(z.string().regex(/^\d{9}$/)).max(50).optional(),
  })
  .strict();

/** Body of `POST /api/v1/users/{id}/roles`: new roles and scope (security administrator). */
export const updateUserRolesSchema = z
  .object({
    roles: z.array(roleSchema).min(1).max(4),
    towns: z.array(z.string().regex(/^\d{9}$/)).max(50).optional(),
  })
  .strict();

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
}
