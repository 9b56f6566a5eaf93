#!/usr/bin/env node
// Bundles the Electron main process (ESM sources -> dist/main/electron-main.cjs) and the sandboxed
// preload (-> dist/main/preload.cjs, CommonJS, only `electron` external, as sandboxed preloads require).
import { build } from 'esbuild';
import { zodEnglishOnly } from './esbuild-zod-locales.mjs';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: false,
  logLevel: 'warning',
  legalComments: 'none',
  plugins: [zodEnglishOnly],
};
await build({
  ...common,
  entryPoints: ['main/electron/main.ts'],
  outfile: 'dist/main/electron-main.cjs',
  external: ['electron'],
  // Code outside main/electron finds its files through projectRoot(); main.ts sets DDA_PROJECT_ROOT.
  define: { 'import.meta.url': 'undefined', 'import.meta.dirname': 'undefined' },
});
await build({
  ...common,
  entryPoints: ['main/electron/preload.ts'],
  outfile: 'dist/main/preload.cjs',
  external: ['electron'],
});
