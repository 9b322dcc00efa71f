import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The Node server (npm run serve) owns /ws, /api, /healthz and /metrics; the dev server proxies them.
const serverUrl = process.env.PHASE_SERVER_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', sourcemap: true, chunkSizeWarningLimit: 1200 },
  worker: { format: 'es' },
  server: {
    proxy: {
      '/api': serverUrl,
      '/healthz': serverUrl,
      '/metrics': serverUrl,
      '/ws': { target: serverUrl.replace(/^http/, 'ws'), ws: true },
    },
  },
});
