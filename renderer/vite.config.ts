import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const rendererRoot = import.meta.dirname;
const devServerTarget = process.env.GRIDCOMMAND_SERVER ?? 'http://127.0.0.1:8600';

export default defineConfig({
  root: rendererRoot,
  // The companion server serves the console at `/`; Electron loads it from the same origin.
  base: '/',
  // No CSP meta tag: the policy comes as a header from whoever serves the files — the companion
  // server (server/src/http/security-headers.ts) or the shell's app:// protocol
  // (electron/main/app-files.ts), whose connect-src names the configured server. A meta tag
  // would be enforced as well and could only narrow those to one of the two.
  plugins: [react()],
  build: {
    outDir: resolve(rendererRoot, '../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // MapLibre alone is ~1 MB minified; it gets its own long-cached chunk.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      // Three pages: the console (index.html), the field app for phones (field.html, served at
      // /field) and the residents' report page (report.html, served at /report).
      input: { index: resolve(rendererRoot, 'index.html'), field: resolve(rendererRoot, 'field.html'), report: resolve(rendererRoot, 'report.html') },
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
            // ECharts loads only on screens with charts (the wall, analysis, evaluation).
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender)[\\/]/ },
            { name: 'vendor', test: /node_modules/ },
          ],
        },
      },
    },
  },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': { target: devServerTarget, changeOrigin: false },
      '/socket.io': { target: devServerTarget, ws: true, changeOrigin: false },
    },
  },
});
