import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

// The renderer builds to dist/renderer with relative asset paths (file:// in Electron, / in browser mode).
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    sourcemap: false,
    target: 'es2022',
  },
});
