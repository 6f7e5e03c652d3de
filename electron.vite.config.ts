import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig, mergeConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import rendererConfig from './renderer/vite.config';

const root = import.meta.dirname;
const { version } = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as { version: string };

// electron-vite 6.0.0 derives the target from its own Electron→Node table, which stops at Electron 44
// and would leave it empty for 45. Electron 40+ embed Node 24, so node24 is a safe floor.
const NODE_TARGET = 'node24';

/**
 * electron-vite forces `base: './'` on production renderer builds (meant for file:// loading). The
 * shell never uses file://: it loads the console from the companion server like any browser does,
 * or (packaged) from `app://gridcommand/`, a standard scheme where root-relative URLs work the
 * same. So the renderer keeps the base its own config chose and this build stays interchangeable
 * with `vite build`, which writes the same out/renderer the server serves.
 */
function keepRendererBase(base: string): Plugin {
  return { name: 'gridcommand:keep-renderer-base', config: () => ({ base }) };
}

export default defineConfig({
  main: {
    define: { __GRIDCOMMAND_VERSION__: JSON.stringify(version) },
    build: {
      target: NODE_TARGET,
      outDir: resolve(root, 'out/main'),
      rolldownOptions: { input: { index: resolve(root, 'electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      target: NODE_TARGET,
      outDir: resolve(root, 'out/preload'),
      rolldownOptions: {
        input: { index: resolve(root, 'electron/preload/index.ts') },
        // Sandboxed preloads cannot be ES modules.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  // The renderer's own Vite config, with the paths re-anchored here: electron-vite inlines that file
  // into this one when loading it, so `import.meta.dirname` inside it names the repo root, not renderer/.
  // electron-vite also needs the HTML entry spelled out (it looks for src/renderer/index.html), and its
  // default of no minification would differ from `vite build`.
  renderer: mergeConfig(rendererConfig, {
    root: resolve(root, 'renderer'),
    plugins: [keepRendererBase(rendererConfig.base ?? '/')],
    build: {
      outDir: resolve(root, 'out/renderer'),
      minify: rendererConfig.build?.minify ?? true,
      // Every page, as `vite build` makes them: the console, the field app (/field) and the resident
      // page (/report). Each must be named here: the merge keeps the renderer config's entries, whose
      // paths are anchored wrong once inlined.
      rolldownOptions: {
        input: { index: resolve(root, 'renderer/index.html'), field: resolve(root, 'renderer/field.html'), report: resolve(root, 'renderer/report.html') },
      },
    },
  }),
});
