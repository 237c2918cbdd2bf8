// Builds the dashboard (src/web) into dist/web, which the API server serves at `/`.
// In development (`npx vite`), API calls are proxied to a locally running `kept start` on port 4400.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  root: fileURLToPath(new URL('./src/web', import.meta.url)),
  base: '/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('./dist/web', import.meta.url)),
    emptyOutDir: true,
    // ECharts (line chart, axes, legend, tooltip, canvas only) is ~510 kB minified on its own; it sits in a
    // lazily loaded chunk, so only the Overview page pays for it.
    chunkSizeWarningLimit: 600,
  },
  server: {
    proxy: {
      '/api': { target: 'http://127.0.0.1:4400', changeOrigin: false },
    },
  },
});
