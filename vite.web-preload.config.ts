import { resolve } from 'node:path';
import { defineConfig } from 'vite';

/** The web host's bridge (src/preload/web.ts) as one classic script, loaded before the renderer. */
export default defineConfig({
  build: {
    outDir: resolve(import.meta.dirname, 'out/web-preload'),
    emptyOutDir: true,
    lib: {
      entry: resolve(import.meta.dirname, 'src/preload/web.ts'),
      formats: ['iife'],
      name: 'orderbookWebBridge',
      fileName: () => 'web-preload.js',
    },
  },
});
