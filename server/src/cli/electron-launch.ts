import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';

const repoRoot = resolve(import.meta.dirname, '../../..');
const builtMain = join(repoRoot, 'out/main/index.js');

/** Executable inside Electron's dist folder, as electron's install.js names it per platform. */
function platformExecutable(): string | null {
  switch (process.platform) {
    case 'darwin':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    case 'linux':
    case 'freebsd':
    case 'openbsd':
      return 'electron';
    default:
      return null;
  }
}

/**
 * Path of the installed Electron binary, or null when it is absent.
 *
 * Mirrors `node_modules/electron/index.js` without loading it: in Electron 45 merely requiring the
 * package starts a download of a missing binary, which cannot succeed offline. Resolving
 * `electron/package.json` only locates the package. `ELECTRON_OVERRIDE_DIST_PATH` is honoured as
 * electron's own index.js does.
 */
export function findElectronBinary(): string | null {
  let packageDir: string;
  try {
    packageDir = dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
  const pathFile = join(packageDir, 'path.txt');
  const recorded = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let binary: string | null;
  if (override) {
    const executable = recorded || platformExecutable();
    binary = executable === null ? null : join(override, executable);
  } else {
    // path.txt is written by electron's install script only after the binary was unpacked.
    binary = recorded ? join(packageDir, 'dist', recorded) : null;
  }
  return binary !== null && existsSync(binary) ? binary : null;
}

/**
 * Opens the Electron shell on `serverUrl`. Returns null, after logging why, when the binary or the
 * built main process (`npm run build:electron`) is missing, so the caller can fall back to printing
 * the console URL.
 */
export function launchElectron(opts: { serverUrl: string; log: (msg: string) => void }): ChildProcess | null {
  const { serverUrl, log } = opts;
  const binary = findElectronBinary();
  if (binary === null) {
    log('Electron shell not started: the Electron binary is not installed (node_modules/electron/dist is missing).');
    return null;
  }
  if (!existsSync(builtMain)) {
    log(`Electron shell not started: ${relative(repoRoot, builtMain)} is not built (run \`npm run build:electron\`).`);
    return null;
  }
  // Inherited ELECTRON_RUN_AS_NODE would make the binary behave as plain Node and ignore the app.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(binary, [builtMain, `--server-url=${serverUrl}`], { cwd: repoRoot, env, stdio: 'inherit' });
  child.on('error', (error) => log(`Electron shell failed to start: ${error.message}`));
  child.on('exit', (code, signal) => log(`Electron shell exited (${signal ?? `code ${code}`}).`));
  return child;
}
