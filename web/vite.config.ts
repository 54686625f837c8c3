/** The command center's build: `npm run build:web` (npm start and cdk synth build it when stale: web/build.ts) into web/dist. */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  // Served at the site's root: locally on the API's port, in the cloud from its own origin.
  base: '/',
  oxc: { jsx: { runtime: 'automatic' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Browsers of the last few years; no legacy bundle.
    target: 'es2022',
    sourcemap: false,
    reportCompressedSize: false,
  },
});
