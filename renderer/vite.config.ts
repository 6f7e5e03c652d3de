import { resolve } from 'node:path';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The built console allows only itself: no remote scripts, styles, fonts or tiles.
 * `worker-src` needs `'self'` for MapLibre's worker file and `blob:` for its fallback.
 * Dev mode keeps no CSP because Vite's HMR client injects inline scripts.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'self'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'gridcommand-csp',
    apply: 'build',
    transformIndexHtml: () => [
      { tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' },
    ],
  };
}

const rendererRoot = import.meta.dirname;
const devServerTarget = process.env.GRIDCOMMAND_SERVER ?? 'http://127.0.0.1:8600';

export default defineConfig({
  root: rendererRoot,
  // The companion server serves the console at `/`; Electron loads it from the same origin.
  base: '/',
  plugins: [react(), contentSecurityPolicy()],
  build: {
    outDir: resolve(rendererRoot, '../out/renderer'),
    emptyOutDir: true,
    target: 'es2022',
    // MapLibre alone is ~1 MB minified; it gets its own long-cached chunk.
    chunkSizeWarningLimit: 1100,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            { name: 'maplibre', test: /node_modules[\\/]maplibre-gl/ },
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
