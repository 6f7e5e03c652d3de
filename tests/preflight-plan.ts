/**
 * What `npm test` needs from the machine beyond `npm install`, and what to do when it is missing:
 * the browser tests drive a system Chromium (tests/e2e/playwright.config.ts: CHROMIUM_PATH, else
 * /usr/bin/chromium), Chinese text needs a CJK font, and the store tests start a throwaway
 * PostgreSQL cluster from Debian's server binaries (tests/integration/postgres.ts), the several-node
 * tests a throwaway Redis (tests/integration/redis.ts). Decisions are pure functions over what the
 * machine answered (`Probes`), so every branch is tested without touching the machine; the
 * commands themselves run in preflight.ts.
 */

/** Where the e2e config looks for the browser when CHROMIUM_PATH is not set. */
const DEFAULT_CHROMIUM = '/usr/bin/chromium';
/** Debian's packages for the two needs. */
const CHROMIUM_PACKAGE = 'chromium';
const CJK_FONT_PACKAGE = 'fonts-wqy-microhei';
/** Debian's PostgreSQL server (initdb, pg_ctl under /usr/lib/postgresql/<major>/bin; pg_trgm and citext included). */
const POSTGRES_PACKAGE = 'postgresql';
/** Debian's Redis server, for the tests of several server nodes (redis-server on the PATH). */
const REDIS_PACKAGE = 'redis-server';
/**
 * The shift briefing prints in a serif (GB/T 9704 asks for 小标宋/仿宋 styles): Noto Serif CJK.
 * Without it the print falls back to the UI font, so it is installed when possible, never required.
 */
const PRINT_FONT_PACKAGE = 'fonts-noto-cjk';
const PRINT_FONT_FAMILY = 'Noto Serif CJK';
/** Set (to anything but empty, 0 or false) to only check, never install. */
const NO_INSTALL_ENV = 'GRIDCOMMAND_NO_INSTALL';

/** The machine's answers, each one command or file check; preflight.ts gives the real ones. */
export interface Probes {
  env: Readonly<Record<string, string | undefined>>;
  isRoot: boolean;
  /** Whether `path` is a file this process may execute. */
  isExecutable(path: string): boolean;
  /** Whether `apt-get` is on the PATH. */
  hasAptGet(): boolean;
  /** `fc-list :lang=zh family` output, or null where fc-list is not installed. */
  chineseFonts(): string | null;
  /** Whether dpkg has the package installed, or null where there is no dpkg. */
  debianPackageInstalled(name: string): boolean | null;
  /** The newest /usr/lib/postgresql/<major>/bin that holds initdb, or null. */
  postgresBin(): string | null;
  /** redis-server's path on the PATH, or null. */
  redisServer(): string | null;
}

export type FontState = 'present' | 'missing' | 'unknown';

interface Findings {
  browser: { path: string; fromEnv: boolean; ok: boolean };
  font: FontState;
  printFont: FontState;
  postgresBin: string | null;
  redisServer: string | null;
}

function findings(p: Probes): Findings {
  const fromEnv = p.env.CHROMIUM_PATH !== undefined;
  const path = p.env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  const fcList = p.chineseFonts();
  return {
    browser: { path, fromEnv, ok: p.isExecutable(path) },
    font: fontState(fcList, () => p.debianPackageInstalled(CJK_FONT_PACKAGE)),
    printFont: fontState(fcList === null ? null : fcList.includes(PRINT_FONT_FAMILY) ? PRINT_FONT_FAMILY : '', () => p.debianPackageInstalled(PRINT_FONT_PACKAGE)),
    postgresBin: p.postgresBin(),
    redisServer: p.redisServer(),
  };
}

/**
 * fontconfig is the authority (Chromium finds its fonts through it), but its `fc-list` comes with
 * the `fontconfig` package, which a `--no-install-recommends` install leaves out: then dpkg says
 * whether Debian's CJK font is there. Neither tool (not Debian): unknown, which does not stop
 * the tests, since nothing here could install one.
 */
export function fontState(fcListOutput: string | null, fontPackage: () => boolean | null): FontState {
  if (fcListOutput !== null) return fcListOutput.trim() !== '' ? 'present' : 'missing';
  const installed = fontPackage();
  return installed === null ? 'unknown' : installed ? 'present' : 'missing';
}

export function installOptOut(env: Probes['env']): boolean {
  const v = env[NO_INSTALL_ENV]?.trim().toLowerCase();
  return v !== undefined && v !== '' && v !== '0' && v !== 'false';
}

/** Whether this run may install packages itself: unattended, as root, with apt-get, not opted out. */
interface InstallContext {
  isRoot: boolean;
  hasAptGet: boolean;
  optOut: boolean;
}

function mayInstall(ctx: InstallContext): boolean {
  return ctx.isRoot && ctx.hasAptGet && !ctx.optOut;
}

/** Debian packages that fix what is missing; a browser chosen through CHROMIUM_PATH is the user's to fix. */
function packagesFor(f: Findings): string[] {
  return [
    ...(!f.browser.ok && !f.browser.fromEnv ? [CHROMIUM_PACKAGE] : []),
    ...(f.font === 'missing' ? [CJK_FONT_PACKAGE] : []),
    ...(f.printFont === 'missing' ? [PRINT_FONT_PACKAGE] : []),
    ...(f.postgresBin === null ? [POSTGRES_PACKAGE] : []),
    ...(f.redisServer === null ? [REDIS_PACKAGE] : []),
  ];
}

export interface Verdict {
  code: 0 | 1;
  /** The one line to print: what was found, or what is missing and the command that fixes it. */
  line: string;
}

/** Go or stop, in one line. `installNote` says how an install this run attempted went. */
function verdict(f: Findings, ctx: InstallContext, installNote?: string): Verdict {
  const browserMissing = !f.browser.ok;
  const fontMissing = f.font === 'missing';
  const postgresMissing = f.postgresBin === null;
  const redisMissing = f.redisServer === null;
  if (!browserMissing && !fontMissing && !postgresMissing && !redisMissing) {
    const font = f.font === 'present' ? 'a CJK font' : 'no way to check for a CJK font here (no fc-list, no dpkg): Chinese text may show as boxes';
    const print = f.printFont === 'missing' ? `; no serif CJK font for printing (\`apt-get install -y ${PRINT_FONT_PACKAGE}\`): the briefing prints in the UI font` : '';
    return { code: 0, line: `npm test preflight: Chromium at ${f.browser.path}, ${font}, PostgreSQL at ${f.postgresBin}, Redis at ${f.redisServer}${print}` };
  }
  const packages = packagesFor(f).filter((p) => p !== PRINT_FONT_PACKAGE || fontMissing);
  const needs = [browserMissing ? 'Chromium' : null, fontMissing ? 'a CJK font' : null, postgresMissing ? 'PostgreSQL' : null, redisMissing ? 'Redis' : null]
    .filter((n) => n !== null)
    .join(' and ');
  const fixes: string[] = [];
  if (packages.length > 0 && ctx.hasAptGet) {
    fixes.push(`run \`${ctx.isRoot ? '' : 'sudo '}apt-get install -y ${packages.join(' ')}\`${packages.includes(CHROMIUM_PACKAGE) ? ' (or set CHROMIUM_PATH)' : ''}`);
  } else {
    if (packages.includes(CHROMIUM_PACKAGE)) fixes.push('install Chromium and set CHROMIUM_PATH to its binary');
    if (fontMissing) fixes.push('install a CJK font (e.g. WenQuanYi Micro Hei)');
    if (postgresMissing) fixes.push("install PostgreSQL's server (initdb under /usr/lib/postgresql/<version>/bin, as Debian's postgresql package puts it)");
    if (redisMissing) fixes.push('install the Redis server (redis-server on the PATH)');
  }
  if (browserMissing && f.browser.fromEnv) {
    fixes.push(`CHROMIUM_PATH=${f.browser.path} is not an executable file: point it at Chromium's binary, or unset it to use ${DEFAULT_CHROMIUM}`);
  }
  const why = installNote !== undefined ? ` (${installNote})` : packages.length > 0 && ctx.optOut && ctx.isRoot && ctx.hasAptGet ? ` (${NO_INSTALL_ENV} is set: nothing was installed)` : '';
  return { code: 1, line: `npm test needs ${needs}${why}: ${fixes.join('; ')}` };
}

/** The whole preflight: check, install what Debian's packages fix when allowed, check again. */
export function runPreflight(p: Probes, install: (packages: string[]) => { ok: boolean; detail: string }): Verdict {
  const ctx: InstallContext = { isRoot: p.isRoot, hasAptGet: p.hasAptGet(), optOut: installOptOut(p.env) };
  const before = findings(p);
  const packages = packagesFor(before);
  if (packages.length === 0 || !mayInstall(ctx)) return verdict(before, ctx);
  const result = install(packages);
  return verdict(findings(p), ctx, result.ok ? `apt-get installed ${packages.join(' ')}, but it is still not found` : result.detail);
}
