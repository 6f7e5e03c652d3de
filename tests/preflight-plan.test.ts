import { describe, expect, it } from 'vitest';
import { fontState, installOptOut, runPreflight, type Probes } from './preflight-plan.js';

/** A machine described by its answers; `installs` makes the next probes see installed packages. */
function machine(m: { env?: Record<string, string>; root?: boolean; apt?: boolean; files?: string[]; fcList?: string | null; dpkg?: string[] | null; postgres?: boolean; redis?: boolean }) {
  const files = new Set(m.files ?? []);
  let postgres = m.postgres ?? true;
  let redis = m.redis ?? true;
  const packages = m.dpkg ? new Set(m.dpkg) : null;
  let fcList = m.fcList === undefined ? '' : m.fcList;
  const probes: Probes = {
    env: m.env ?? {},
    isRoot: m.root ?? false,
    isExecutable: (path) => files.has(path),
    hasAptGet: () => m.apt ?? true,
    chineseFonts: () => fcList,
    debianPackageInstalled: (name) => (packages === null ? null : packages.has(name)),
    postgresBin: () => (postgres ? PG_BIN : null),
    redisServer: () => (redis ? '/usr/bin/redis-server' : null),
  };
  const installed: string[][] = [];
  const installs = (result: { ok: boolean; detail: string }) => (pkgs: string[]) => {
    installed.push(pkgs);
    if (result.ok) {
      if (pkgs.includes('chromium')) files.add('/usr/bin/chromium');
      if (pkgs.includes('postgresql')) postgres = true;
      if (pkgs.includes('redis-server')) redis = true;
      for (const [pkg, family] of [['fonts-wqy-microhei', 'WenQuanYi Micro Hei'], ['fonts-noto-cjk', 'Noto Serif CJK SC']] as const) {
        if (!pkgs.includes(pkg)) continue;
        packages?.add(pkg);
        if (fcList !== null) fcList += `${family}\n`;
      }
    }
    return result;
  };
  return { probes, installed, installs };
}

const OK = { ok: true, detail: '' };
const PG_BIN = '/usr/lib/postgresql/15/bin';
const neverInstall = () => {
  throw new Error('must not install');
};

describe('npm test preflight', () => {
  it('passes a machine that has the browser and a CJK font, installing nothing', () => {
    const m = machine({ root: true, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n' });
    expect(runPreflight(m.probes, neverInstall)).toEqual({ code: 0, line: 'npm test preflight: Chromium at /usr/bin/chromium, a CJK font, PostgreSQL at /usr/lib/postgresql/15/bin, Redis at /usr/bin/redis-server' });
  });

  it('uses the browser CHROMIUM_PATH names, as the e2e config does', () => {
    const m = machine({ env: { CHROMIUM_PATH: '/opt/chromium/chrome' }, files: ['/opt/chromium/chrome'], fcList: 'Noto Sans CJK SC\n' });
    expect(runPreflight(m.probes, neverInstall)).toMatchObject({ code: 0, line: expect.stringContaining('/opt/chromium/chrome') });
  });

  it('as root with apt-get, installs exactly what is missing, then passes', () => {
    const m = machine({ root: true, fcList: '' });
    expect(runPreflight(m.probes, m.installs(OK)).code).toBe(0);
    expect(m.installed).toEqual([['chromium', 'fonts-wqy-microhei', 'fonts-noto-cjk']]);

    const fontOnly = machine({ root: true, files: ['/usr/bin/chromium'], fcList: '' });
    expect(runPreflight(fontOnly.probes, fontOnly.installs(OK)).code).toBe(0);
    expect(fontOnly.installed).toEqual([['fonts-wqy-microhei', 'fonts-noto-cjk']]);
  });

  it('without root, stops with one line naming the sudo command', () => {
    const m = machine({ root: false, fcList: '' });
    expect(runPreflight(m.probes, neverInstall)).toEqual({
      code: 1,
      line: 'npm test needs Chromium and a CJK font: run `sudo apt-get install -y chromium fonts-wqy-microhei fonts-noto-cjk` (or set CHROMIUM_PATH)',
    });
  });

  it('with GRIDCOMMAND_NO_INSTALL set, only checks, even as root', () => {
    const m = machine({ root: true, env: { GRIDCOMMAND_NO_INSTALL: '1' }, files: ['/usr/bin/chromium'], fcList: '' });
    expect(runPreflight(m.probes, neverInstall)).toEqual({
      code: 1,
      line: 'npm test needs a CJK font (GRIDCOMMAND_NO_INSTALL is set: nothing was installed): run `apt-get install -y fonts-wqy-microhei fonts-noto-cjk`',
    });
    expect(installOptOut({ GRIDCOMMAND_NO_INSTALL: 'yes' })).toBe(true);
    for (const off of [undefined, '', '0', 'false']) expect(installOptOut({ GRIDCOMMAND_NO_INSTALL: off })).toBe(false);
  });

  it('never installs over a CHROMIUM_PATH that points nowhere: the user chose that browser', () => {
    const m = machine({ root: true, env: { CHROMIUM_PATH: '/nonexistent' }, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n' });
    expect(runPreflight(m.probes, neverInstall)).toEqual({
      code: 1,
      line: "npm test needs Chromium: CHROMIUM_PATH=/nonexistent is not an executable file: point it at Chromium's binary, or unset it to use /usr/bin/chromium",
    });
  });

  it('stops with the failed apt-get named when the install fails or does not help', () => {
    const failed = machine({ root: true, files: ['/usr/bin/chromium'], fcList: '' });
    expect(runPreflight(failed.probes, failed.installs({ ok: false, detail: '`apt-get update` failed with exit code 100, see its output above' }))).toEqual({
      code: 1,
      line: 'npm test needs a CJK font (`apt-get update` failed with exit code 100, see its output above): run `apt-get install -y fonts-wqy-microhei fonts-noto-cjk`',
    });

    const useless = machine({ root: true, fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n' });
    const pretend = (pkgs: string[]) => (useless.installed.push(pkgs), OK); // succeeds, yet no browser appears
    expect(runPreflight(useless.probes, pretend).line).toBe(
      'npm test needs Chromium (apt-get installed chromium, but it is still not found): run `apt-get install -y chromium` (or set CHROMIUM_PATH)',
    );
    expect(useless.installed).toEqual([['chromium']]);
  });

  it('installs PostgreSQL for the store tests as it installs Chromium, and names it when it cannot', () => {
    const root = machine({ root: true, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n', postgres: false });
    expect(runPreflight(root.probes, root.installs(OK)).code).toBe(0);
    expect(root.installed).toEqual([['postgresql']]);

    const user = machine({ root: false, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n', postgres: false });
    expect(runPreflight(user.probes, neverInstall)).toEqual({ code: 1, line: 'npm test needs PostgreSQL: run `sudo apt-get install -y postgresql`' });

    const noApt = machine({ root: true, apt: false, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n', postgres: false });
    expect(runPreflight(noApt.probes, neverInstall).line).toBe(
      "npm test needs PostgreSQL: install PostgreSQL's server (initdb under /usr/lib/postgresql/<version>/bin, as Debian's postgresql package puts it)",
    );
  });

  it('installs Redis for the tests of several server nodes, with PostgreSQL when both are missing', () => {
    const root = machine({ root: true, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n', postgres: false, redis: false });
    expect(runPreflight(root.probes, root.installs(OK)).code).toBe(0);
    expect(root.installed).toEqual([['postgresql', 'redis-server']]);

    const user = machine({ root: false, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\nNoto Serif CJK SC\n', redis: false });
    expect(runPreflight(user.probes, neverInstall)).toEqual({ code: 1, line: 'npm test needs Redis: run `sudo apt-get install -y redis-server`' });
  });

  it('without apt-get, names what to install in words', () => {
    const m = machine({ root: true, apt: false, fcList: '' });
    expect(runPreflight(m.probes, neverInstall).line).toBe(
      'npm test needs Chromium and a CJK font: install Chromium and set CHROMIUM_PATH to its binary; install a CJK font (e.g. WenQuanYi Micro Hei)',
    );
  });

  it('asks dpkg about the font where fc-list is not installed, and does not block where it cannot tell', () => {
    expect(fontState('WenQuanYi Micro Hei\n', () => null)).toBe('present');
    expect(fontState('\n', () => true)).toBe('missing');
    expect(fontState(null, () => true)).toBe('present');
    expect(fontState(null, () => false)).toBe('missing');
    expect(fontState(null, () => null)).toBe('unknown');

    // a fresh Debian machine without fontconfig's tools: installed through apt, then seen by dpkg
    const fresh = machine({ root: true, fcList: null, dpkg: [] });
    expect(runPreflight(fresh.probes, fresh.installs(OK)).code).toBe(0);
    expect(fresh.installed).toEqual([['chromium', 'fonts-wqy-microhei', 'fonts-noto-cjk']]);

    const elsewhere = machine({ apt: false, files: ['/usr/bin/chromium'], fcList: null, dpkg: null });
    expect(runPreflight(elsewhere.probes, neverInstall)).toMatchObject({ code: 0, line: expect.stringContaining('no way to check for a CJK font') });
  });

  it('installs the print font where it can, and never stops the tests for it', () => {
    const root = machine({ root: true, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\n' });
    expect(runPreflight(root.probes, root.installs(OK)).code).toBe(0);
    expect(root.installed).toEqual([['fonts-noto-cjk']]);

    const user = machine({ root: false, files: ['/usr/bin/chromium'], fcList: 'WenQuanYi Micro Hei\n' });
    expect(runPreflight(user.probes, neverInstall)).toEqual({
      code: 0,
      line: 'npm test preflight: Chromium at /usr/bin/chromium, a CJK font, PostgreSQL at /usr/lib/postgresql/15/bin, Redis at /usr/bin/redis-server; no serif CJK font for printing (`apt-get install -y fonts-noto-cjk`): the briefing prints in the UI font',
    });
  });
});
