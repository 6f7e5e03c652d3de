import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { runPreflight, type Probes } from './preflight-plan.js';

/**
 * `npm test`'s first step (`npm run test:preflight`): makes sure the machine has what the browser
 * and store tests need before any suite starts, so a fresh machine gets either the packages (installed here
 * as root with apt-get, unless GRIDCOMMAND_NO_INSTALL is set) or one line naming the command to
 * run and a non-zero exit — not a browser launch error halfway through the run.
 */

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** stdout of a command, or null when the command is not installed. */
function output(command: string, args: string[]): string | null {
  const res = spawnSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return res.error ? null : res.stdout;
}

const probes: Probes = {
  env: process.env,
  isRoot: process.getuid?.() === 0,
  isExecutable,
  hasAptGet: () => (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, 'apt-get'))),
  chineseFonts: () => output('fc-list', [':lang=zh', 'family']),
  debianPackageInstalled: (name) => {
    const status = output('dpkg-query', ['-W', '-f=${Status}', name]);
    return status === null ? null : status.trim() === 'install ok installed';
  },
  redisServer: () => (process.env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'redis-server')).find((path) => isExecutable(path)) ?? null,
  postgresBin: () => {
    const root = '/usr/lib/postgresql';
    let majors: string[] = [];
    try {
      majors = readdirSync(root).filter((v) => /^\d+$/.test(v) && isExecutable(join(root, v, 'bin', 'initdb')));
    } catch {
      return null;
    }
    const newest = majors.sort((a, b) => Number(b) - Number(a))[0];
    return newest === undefined ? null : join(root, newest, 'bin');
  },
};

/** apt-get, unattended: its progress goes to the terminal, its failure into the one line. */
function aptInstall(packages: string[]): { ok: boolean; detail: string } {
  process.stdout.write(`npm test preflight: installing ${packages.join(' ')} with apt-get (set GRIDCOMMAND_NO_INSTALL=1 to only check)\n`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const args of [['update', '-q'], ['install', '-y', '-q', '--no-install-recommends', ...packages]]) {
    const res = spawnSync('apt-get', args, { env, stdio: ['ignore', 'inherit', 'inherit'] });
    if (res.status !== 0) return { ok: false, detail: `\`apt-get ${args[0]}\` failed${res.status === null ? '' : ` with exit code ${res.status}`}, see its output above` };
  }
  return { ok: true, detail: '' };
}

try {
  const { code, line } = runPreflight(probes, aptInstall);
  (code === 0 ? process.stdout : process.stderr).write(`${line}\n`);
  process.exitCode = code;
} catch (err) {
  process.stderr.write(`npm test preflight could not check the machine: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
