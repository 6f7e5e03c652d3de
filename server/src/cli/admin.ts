import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { INTAKE_CHANNELS, intakeChannelSchema, roleConflict, roleSchema, type Role, type Scope } from '../../../shared/contracts/auth.js';
import { TEAM_ID_PATTERN } from '../../../shared/contracts/teams.js';
import { ApiHttpError } from '../http/errors.js';
import { t } from '../http/messages.js';
import { defaultConfig } from '../config.js';
import { UsageError } from './args.js';
import { openCliStore } from './cli-store.js';
import { systemClock } from '../core/clock.js';
import { AuditRepo } from '../modules/audit/audit.repo.js';
import { AuthService, PasswordPolicyError, UsernameTakenError } from '../modules/auth/auth.service.js';
import { UsersRepo } from '../modules/auth/users.repo.js';
import { RegionIndex } from '../modules/regions/region-index.js';
import { RegionsRepo } from '../modules/regions/regions.repo.js';

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  create-user --username NAME --role ROLE[,ROLE] [--display-name TEXT] [--towns ID,ID] [--team TEAM] [--data DIR]
      Creates a user. The password is read from GRIDCOMMAND_NEW_PASSWORD, or asked for on the
      terminal (never passed as an argument, so it stays out of shell history and process lists).
      --towns takes town, county or city ids (a city user: the city's id); without it the
      user's scope is the whole platform (the county on a county server). --team TMxxxx makes the user a member
      of that field team (its actions on cases are then limited to the team's cases); a
      field_worker must have one. The administrators (sysadmin, secadmin, auditor) are made only
      here, each on an account of its own.
  set-roles --username NAME --role ROLE[,ROLE] [--towns ID,ID] [--team TEAM|none] [--data DIR]
      Changes a user's roles, scope and team (also to mend an account that breaks the separation
      rules); ends their sessions and revokes their API keys.
  disable-user --username NAME [--data DIR]   ends all the user's sessions
  enable-user  --username NAME [--data DIR]
  enroll-totp  --username NAME [--data DIR]   prints the otpauth:// URI for the user's authenticator app
  create-api-key --username NAME [--name TEXT] [--expires ISO] [--channel open311|video|hotline|miniprogram] [--data DIR]
      prints a new API key (X-API-Key) for an integration client, bound to its roles and scope
      and, with --channel, to the one intake channel it may post to
  list-api-keys [--username NAME] [--data DIR]
  revoke-api-key --key-id ak_… [--reason TEXT] [--data DIR]
  list-users [--data DIR]   (flags accounts that break the separation rules)

Every command works on SQLite's gridcommand.db in --data DIR (default ./data), or on PostgreSQL
with --db postgres://user@host:5432/gridcommand (as the server's --db; password in PGPASSWORD).

Separation rules (三权分立): one account holds at most one of sysadmin, secadmin, auditor, and
then no other role; wall and integration accounts hold that one role only.

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
    options: {
      username: { type: 'string' },
      role: { type: 'string' },
      'display-name': { type: 'string' },
      towns: { type: 'string' },
      team: { type: 'string' },
      data: { type: 'string' },
      db: { type: 'string' },
      name: { type: 'string' },
      expires: { type: 'string' },
      channel: { type: 'string' },
      'key-id': { type: 'string' },
      reason: { type: 'string' },
    },
    strict: true,
  }).values;
} catch (err) {
  fail((err as Error).message);
}

let opened: Awaited<ReturnType<typeof openCliStore>>;
try {
  opened = await openCliStore(values.db, values.data);
} catch (err) {
  fail((err as Error).message, err instanceof UsageError ? 2 : 1);
}
const { store } = opened;
const regions = new RegionIndex(await new RegionsRepo(store).indexRows());
const users = new UsersRepo(store, regions);
const audit = new AuditRepo(store, systemClock);
const auth = new AuthService({ store, users, audit, clock: systemClock, config: defaultConfig().auth, areaNames: (ids) => ids, platformLevel: () => 'county', demo: false });
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

function rolesOrFail(): Role[] {
  const roles = (values.role ?? '').split(',').filter(Boolean);
  if (roles.length === 0 || !roles.every((r) => roleSchema.safeParse(r).success)) fail(`--role must be one or more of: ${roleSchema.options.join(', ')}`);
  return roles as Role[];
}

function scopeOrFail(): Scope {
  if (!values.towns) return { kind: 'county' };
  const areas = values.towns.split(',').filter(Boolean);
  const unknown = regions.unknownAreas(areas);
  if (unknown.length) fail(`--towns: unknown town, county or city ids ${unknown.join(', ')}`);
  return regions.scopeOf(areas);
}

/** `--team`: a team id, `none` to leave one's team, or absent (undefined). */
async function teamOrFail(): Promise<string | null | undefined> {
  if (values.team === undefined) return undefined;
  if (values.team === 'none') return null;
  if (!(TEAM_ID_PATTERN.test(values.team) && (await users.teamExists(values.team)))) fail(`--team: no team ${values.team}`);
  return values.team;
}

const scopeText = (scope: Scope) => (scope.kind === 'county' ? 'the whole platform' : scope.areas.join(', '));

async function userOrFail(username: string | undefined) {
  if (!username) fail('--username is required');
  const user = await users.byUsername(username);
  if (!user) fail(`no user named ${username}`, 1);
  return user;
}

try {
  switch (command) {
    case 'create-user': {
      if (!values.username || !/^[A-Za-z0-9._-]{3,64}$/.test(values.username)) fail('--username must be 3–64 letters, digits, dots, dashes or underscores');
      if (await users.byUsername(values.username)) fail(`a user named ${values.username} already exists`, 1);
      const roles = rolesOrFail();
      const scope = scopeOrFail();
      const teamId = (await teamOrFail()) ?? null;
      const conflict = roleConflict(roles);
      if (conflict) fail(`refused: ${t('en', `error.role_conflict.${conflict}`)}`, 1);
      if (roles.includes('field_worker') && teamId === null) fail(`refused: ${t('en', 'error.team_required')} Give --team TMxxxx.`, 1);
      const password = await readPassword();
      const user = await auth.createUser(null, { username: values.username, displayName: values['display-name'] ?? values.username, password, roles, scope, teamId }, ctx);
      process.stdout.write(`created ${user.username} (${user.roles.join(', ')}; scope ${scopeText(scope)}${teamId ? `; team ${teamId}` : ''})\n`);
      break;
    }
    case 'set-roles': {
      const user = await userOrFail(values.username);
      const roles = rolesOrFail();
      const scope = scopeOrFail();
      const teamId = await teamOrFail();
      await auth.changeRoles(null, user.id, { roles, scope, teamId }, ctx);
      const after = (await users.byId(user.id))!;
      process.stdout.write(`${after.username}: ${after.roles.join(', ')}; scope ${scopeText(after.scope)}${after.teamId ? `; team ${after.teamId}` : ''} (sessions ended, API keys revoked)\n`);
      break;
    }
    case 'disable-user':
    case 'enable-user': {
      const user = await userOrFail(values.username);
      await auth.setDisabled(null, user.id, command === 'disable-user', ctx);
      process.stdout.write(`${command === 'disable-user' ? 'disabled' : 'enabled'} ${user.username}\n`);
      break;
    }
    case 'enroll-totp': {
      const user = await userOrFail(values.username);
      process.stdout.write(`${await auth.enrollTotp(null, user.id, ctx)}\n(scan or type it into the authenticator app now; it is not shown again)\n`);
      break;
    }
    case 'create-api-key': {
      const user = await userOrFail(values.username);
      if (!user.roles.includes('integration')) fail(`${user.username} does not have the integration role`, 1);
      let expiresAt: string | null = null;
      if (values.expires !== undefined) {
        const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(values.expires) ? `${values.expires}T23:59:59+08:00` : values.expires);
        if (Number.isNaN(d.getTime())) fail(`--expires must be an ISO date or time (got "${values.expires}")`);
        expiresAt = d.toISOString();
      }
      const channel = values.channel === undefined ? null : intakeChannelSchema.safeParse(values.channel);
      if (channel && !channel.success) fail(`--channel must be one of ${INTAKE_CHANNELS.join(', ')} (got "${values.channel}")`);
      const { key, record } = await auth.createApiKey(null, user.id, { name: values.name ?? `cli ${new Date().toISOString()}`, expiresAt, channel: channel?.data ?? null }, ctx);
      process.stdout.write(
        `${key}\n(key id ${record.keyId}${record.expiresAt ? `, expires ${record.expiresAt}` : ''}${record.channel ? `, channel ${record.channel}` : ''}; send it as the X-API-Key header; it is not shown again)\n`,
      );
      break;
    }
    case 'list-api-keys': {
      const owner = values.username ? await userOrFail(values.username) : null;
      const now = Date.now();
      for (const k of await users.listApiKeys(owner?.id)) {
        const state = k.revokedAt ? `REVOKED ${k.revokedAt} (${k.revokeReason ?? ''})` : k.expiresAt && Date.parse(k.expiresAt) <= now ? `EXPIRED ${k.expiresAt}` : 'active';
        const name = (await users.byId(k.userId))?.username ?? k.userId;
        process.stdout.write(`${k.keyId}  ${name.padEnd(20)} ${k.name.padEnd(28)} ${k.roles.join(',')}; ${scopeText(k.scope)}${k.channel ? `; channel ${k.channel}` : ''}; issued ${k.createdAt}; last used ${k.lastUsedAt ?? 'never'}; ${state}\n`);
      }
      break;
    }
    case 'revoke-api-key': {
      const keyId = values['key-id'];
      if (!keyId || !/^ak_[0-9a-f]{16}$/.test(keyId)) fail('--key-id must be a key id (ak_ and 16 hex digits; see list-api-keys)');
      const key = await auth.revokeApiKey(null, keyId, values.reason ?? 'revoked with npm run admin', ctx);
      process.stdout.write(`revoked ${key.keyId} (${key.name}) at ${key.revokedAt}\n`);
      break;
    }
    case 'list-users': {
      const problems = new Map((await auth.accountProblems()).map((p) => [p.userId, p.problem]));
      for (const u of await users.list()) {
        const problem = problems.get(u.id);
        process.stdout.write(
          `${u.username.padEnd(24)} ${u.roles.join(',').padEnd(32)} ${scopeText(u.scope)}${u.teamId ? `  team ${u.teamId}` : ''}${u.disabled ? '  DISABLED' : ''}${u.demo ? '  demo' : ''}${problem ? `  BREAKS THE RULES: ${problem}` : ''}\n`,
        );
      }
      if (problems.size) process.stdout.write(`\n${problems.size} account(s) break the separation rules and cannot be used; mend them with set-roles.\n`);
      break;
    }
    default:
      fail(`unknown command ${command}`);
  }
} catch (err) {
  if (err instanceof PasswordPolicyError) fail(`password refused: ${err.problems.join(', ')} (policy: at least 8 characters from 3 of: lower case, upper case, digits, symbols)`, 1);
  if (err instanceof UsernameTakenError) fail(`a user named ${err.username} already exists`, 1);
  if (err instanceof ApiHttpError) fail(`refused: ${err.toBody('en').error.message}${err.fields.length ? ` (${err.fields.map((f) => `${f.field}: ${f.code}`).join(', ')})` : ''}`, 1);
  throw err;
} finally {
  await opened.close();
}
