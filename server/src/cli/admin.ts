import { createInterface } from 'node:readline/promises';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { roleSchema, type Role, type Scope } from '../../../shared/contracts/auth.js';
import { databaseFile, defaultConfig } from '../config.js';
import { openDatabase } from '../db/connection.js';
import { systemClock } from '../core/clock.js';
import { AuditRepo } from '../modules/audit/audit.repo.js';
import { AuthService, PasswordPolicyError } from '../modules/auth/auth.service.js';
import { UsersRepo } from '../modules/auth/users.repo.js';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --username NAME --role ROLE[,ROLE] [--display-name TEXT] [--towns ID,ID] [--team TEAM] [--data DIR]
      Creates a user. The password is read from GRIDCOMMAND_NEW_PASSWORD, or asked for on the
      terminal (never passed as an argument, so it stays out of shell history and process lists).
      Without --towns the user's scope is the whole county. --team TMxxxx makes the user a member
      of that field team (its actions on cases are then limited to the team's cases).
  disable-user --username NAME [--data DIR]   ends all the user's sessions
  enable-user  --username NAME [--data DIR]
  enroll-totp  --username NAME [--data DIR]   prints the otpauth:// URI for the user's authenticator app
  create-api-key --username NAME [--data DIR] prints a new API key (X-API-Key) for an integration client
  list-users [--data DIR]

Roles: ${roleSchema.options.join(', ')}
`;

function fail(message: string, code = 2): never {
  process.stderr.write(`${message}\n\n${USAGE}`);
  process.exit(code);
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h') {
  process.stdout.write(USAGE);
  process.exit(command ? 0 : 2);
}
let values: Record<string, string | undefined>;
try {
  values = parseArgs({
    args: rest,
    options: { username: { type: 'string' }, role: { type: 'string' }, 'display-name': { type: 'string' }, towns: { type: 'string' }, team: { type: 'string' }, data: { type: 'string' } },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}

const db = openDatabase(databaseFile(resolve(values.data ?? 'data')));
const users = new UsersRepo(db);
const audit = new AuditRepo(db, systemClock);
const townIds = new Set((db.prepare("SELECT id FROM regions WHERE level = 'town'").all() as Array<{ id: string }>).map((r) => r.id));
const auth = new AuthService({ db, users, audit, clock: systemClock, config: defaultConfig().auth, townNames: (ids) => ids, demo: false });
const ctx = { sourceIp: null, client: 'admin-cli' };

async function readPassword(): Promise<string> {
  if (process.env.GRIDCOMMAND_NEW_PASSWORD) return process.env.GRIDCOMMAND_NEW_PASSWORD;
  if (!process.stdin.isTTY) fail('set GRIDCOMMAND_NEW_PASSWORD, or run on a terminal to be asked for the password');
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const first = await rl.question('New password: ');
  const again = await rl.question('Again: ');
  rl.close();
  if (first !== again) fail('the two passwords differ', 1);
  return first;
}

function userOrFail(username: string | undefined) {
  if (!username) fail('--username is required');
  const user = users.byUsername(username);
  if (!user) fail(`no user named ${username}`, 1);
  return user;
}

try {
  switch (command) {
    case 'create-user': {
      if (!values.username || !/^[A-Za-z0-9._-]{3,64}$/.test(values.username)) fail('--username must be 3–64 letters, digits, dots, dashes or underscores');
      if (users.byUsername(values.username)) fail(`a user named ${values.username} already exists`, 1);
      const roles = (values.role ?? '').split(',').filter(Boolean);
      if (roles.length === 0 || !roles.every((r) => roleSchema.safeParse(r).success)) fail(`--role must be one or more of: ${roleSchema.options.join(', ')}`);
      let scope: Scope = { kind: 'county' };
      if (values.towns) {
        const towns = values.towns.split(',').filter(Boolean);
        const unknown = towns.filter((t) => !townIds.has(t));
        if (unknown.length) fail(`--towns: unknown town ids ${unknown.join(', ')}`);
        scope = { kind: 'towns', towns };
      }
      const teamId = values.team ?? null;
      if (teamId !== null && !(/^TM\d{4,8}$/.test(teamId) && users.teamExists(teamId))) fail(`--team: no team ${teamId}`);
      const password = await readPassword();
      const user = await auth.createUser(null, { username: values.username, displayName: values['display-name'] ?? values.username, password, roles: roles as Role[], scope, teamId }, ctx);
      process.stdout.write(`created ${user.username} (${user.roles.join(', ')}; scope ${scope.kind === 'county' ? 'county' : scope.towns.join(', ')}${teamId ? `; team ${teamId}` : ''})\n`);
      break;
    }
    case 'disable-user':
    case 'enable-user': {
      const user = userOrFail(values.username);
      auth.setDisabled(null, user.id, command === 'disable-user', ctx);
      process.stdout.write(`${command === 'disable-user' ? 'disabled' : 'enabled'} ${user.username}\n`);
      break;
    }
    case 'enroll-totp': {
      const user = userOrFail(values.username);
      process.stdout.write(`${auth.enrollTotp(null, user.id, ctx)}\n(scan or type it into the authenticator app now; it is not shown again)\n`);
      break;
    }
    case 'create-api-key': {
      const user = userOrFail(values.username);
      if (!user.roles.includes('integration')) fail(`${user.username} does not have the integration role`, 1);
      process.stdout.write(`${auth.createApiKey(null, user.id, `cli ${new Date().toISOString()}`, ctx)}\n(send it as the X-API-Key header; it is not shown again)\n`);
      break;
    }
    case 'list-users': {
      for (const row of db.prepare('SELECT username, roles, scope_towns, disabled, demo FROM users ORDER BY username').all() as Array<Record<string, unknown>>) {
        process.stdout.write(`${String(row.username).padEnd(24)} ${String(row.roles).padEnd(32)} ${row.scope_towns ?? 'county'}${row.disabled ? '  DISABLED' : ''}${row.demo ? '  demo' : ''}\n`);
      }
      break;
    }
    default:
      fail(`unknown command ${command}`);
  }
} catch (err) {
  if (err instanceof PasswordPolicyError) fail(`password refused: ${err.problems.join(', ')} (policy: at least 8 characters from 3 of: lower case, upper case, digits, symbols)`, 1);
  throw err;
} finally {
  db.close();
}
