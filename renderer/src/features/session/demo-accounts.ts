import type { Role } from '../../../../shared/contracts/auth.js';

/**
 * The accounts a server started with `--demo` seeds (server/src/modules/auth/demo-users.ts),
 * shown on the login screen only when `/health` says the server is in demo mode.
 */
export const DEMO_ACCOUNTS: readonly { username: string; role: Role; town?: true }[] = [
  { username: 'demo-dispatcher', role: 'dispatcher' },
  { username: 'demo-duty', role: 'duty_officer' },
  { username: 'demo-lead', role: 'shift_lead' },
  { username: 'demo-field', role: 'field_worker', town: true },
  { username: 'demo-town-dispatcher', role: 'dispatcher', town: true },
  { username: 'demo-wall', role: 'wall' },
  { username: 'demo-approver', role: 'catalog_approver' },
  { username: 'demo-gridoffice', role: 'grid_office' },
  { username: 'demo-town-gridoffice', role: 'grid_office', town: true },
  { username: 'demo-sysadmin', role: 'sysadmin' },
  { username: 'demo-secadmin', role: 'secadmin' },
  { username: 'demo-auditor', role: 'auditor' },
];
