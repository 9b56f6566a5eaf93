// An esbuild plugin for the Node and Electron bundles: zod's `z` namespace re-exports all of its ~60
// message locales (`z.locales`), and esbuild keeps every member of a namespace that is used as an object,
// so each bundle carried a quarter of a megabyte of translations nobody loads (zod itself only calls
// `config(en())`, and no code of ours uses `z.locales`). The locales' index is replaced by one that
// exports English alone; Vite's renderer bundle drops them by itself.
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const zodRoot = dirname(createRequire(import.meta.url).resolve('zod/package.json'));

export const zodEnglishOnly = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      args.importer.startsWith(zodRoot) ? { path: 'zod-locales-en', namespace: 'zod-english-only' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-english-only' }, () => ({
      contents: "export { default as en } from 'zod/v4/locales/en.js';",
      resolveDir: zodRoot,
      loader: 'js',
    }));
  },
};
