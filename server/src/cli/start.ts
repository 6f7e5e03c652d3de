import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultConfig, DEFAULT_PORT } from '../config.js';
import { DEMO_ARG_OPTIONS, demoOptionsFrom, parseCli, UsageError } from './args.js';
import { spawnSync } from 'node:child_process';
import { findElectronBinary, launchElectron } from './electron-launch.js';
import { runServer } from './run-server.js';

const USAGE = `Usage: npm start [-- --port P --data DIR --no-electron]

Starts the companion server with the demo county (seeded into ./data on first run), serves the
console at http://127.0.0.1:${DEFAULT_PORT}/ and opens the Electron window where the Electron
binary is installed; otherwise it prints the console's URL and keeps serving.
`;

const { values } = parseCli(
  { port: { type: 'string' }, data: { type: 'string' }, 'no-electron': { type: 'boolean' }, ...DEMO_ARG_OPTIONS },
  USAGE,
);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

const root = resolve(import.meta.dirname, '../../..');
const config = defaultConfig({
  port: values.port === undefined ? DEFAULT_PORT : Number(values.port),
  dataDir: resolve(values.data ?? process.env.GRIDCOMMAND_DATA ?? 'data'),
  demo: true,
});

try {
  if (!existsSync(resolve(config.staticDir, 'index.html'))) {
    process.stdout.write('Building the console (first start only)…\n');
    const { build } = await import('vite');
    await build({ configFile: resolve(root, 'renderer/vite.config.ts'), logLevel: 'warn' });
  }
  if (!values['no-electron'] && findElectronBinary() && !existsSync(resolve(root, 'out/main/index.js'))) {
    process.stdout.write('Building the Electron shell (first start only)…\n');
    spawnSync(process.execPath, [resolve(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: root, stdio: 'inherit' });
  }
  const { url } = await runServer(config, demoOptionsFrom(values));
  const electron = values['no-electron'] ? null : launchElectron({ serverUrl: url, log: (m) => process.stdout.write(`${m}\n`) });
  if (electron) {
    // The window belongs to this run: it closes when the server stops; the server keeps
    // serving browsers and other consoles when only the window is closed.
    process.once('exit', () => electron.kill());
    electron.once('exit', () => process.stdout.write(`The Electron window closed; the console is still served at ${url}\n`));
  }
  process.stdout.write(
    electron
      ? `GridCommand is running: the Electron window is opening (console also at ${url}).\n`
      : `GridCommand is running. Open the console in a browser: ${url}\n(Press Ctrl+C to stop.)\n`,
  );
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(`${err.message}\n\n${USAGE}`);
    process.exit(2);
  }
  throw err;
}
