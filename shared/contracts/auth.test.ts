import { describe, expect, it } from 'vitest';
import { ADMIN_ROLES, ROLES, roleConflict, type Role } from './auth.js';

describe('roleConflict (三权分立)', () => {
  it('allows one role alone, and operational roles together', () => {
    for (const role of ROLES) expect(roleConflict([role]), role).toBeNull();
    expect(roleConflict(['dispatcher', 'duty_officer'])).toBeNull();
    expect(roleConflict(['shift_lead', 'catalog_approver'])).toBeNull();
  });

  it('refuses every pair of administrator roles, and all three', () => {
    for (const a of ADMIN_ROLES) for (const b of ADMIN_ROLES) if (a !== b) expect(roleConflict([a, b]), `${a}+${b}`).toBe('multiple_admin_roles');
    expect(roleConflict(['sysadmin', 'secadmin', 'auditor'])).toBe('multiple_admin_roles');
  });

  it('refuses an administrator role beside any other role', () => {
    const others = ROLES.filter((r) => !ADMIN_ROLES.includes(r));
    for (const admin of ADMIN_ROLES) for (const other of others) expect(roleConflict([admin, other]), `${admin}+${other}`).toBe('admin_with_operational_role');
  });

  it('keeps device roles alone, and refuses a role listed twice', () => {
    expect(roleConflict(['wall', 'dispatcher'])).toBe('device_role_not_alone');
    expect(roleConflict(['field_worker', 'integration'])).toBe('device_role_not_alone');
    expect(roleConflict(['dispatcher', 'dispatcher'] as Role[])).toBe('duplicate_role');
  });
});
