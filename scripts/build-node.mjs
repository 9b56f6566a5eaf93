#!/usr/bin/env node
// Bundles the Node entry points (the `dda` CLI, the browser-mode server, and the CLI's small first step
// that starts PowerShell early, main/cli/prestart-cli.ts) into dist/node/*.mjs, so they
// start as plain JavaScript instead of compiling TypeScript through tsx at every start. ESM, so each
// bundle keeps import.meta.url: projectRoot() finds package.json, the scripts and the simulator above
// dist/node exactly as it does from main/. `npm run build` runs this; bin/dda.mjs runs it when the
// bundle is missing or older than the sources (bin/node-bundle.mjs).
import { build } from 'esbuild';
import { zodEnglishOnly } from './esbuild-zod-locales.mjs';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Entry point (from the project root) -> bundle name in dist/node. */
export const nodeEntries = {
  dda: 'main/cli/dda.ts',
  demo: 'main/server/demo.ts',
  prestart: 'main/cli/prestart-cli.ts',
};

/** Builds every bundle; each is written to a private temporary file, then renamed (concurrent starts never read half a file). */
export async function buildNodeBundles() {
  const out = join(root, 'dist', 'node');
  mkdirSync(out, { recursive: true });
  await Promise.all(
    Object.entries(nodeEntries).map(async ([name, entry]) => {
      const r = await build({
        entryPoints: [join(root, entry)],
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        write: false,
        outfile: join(out, `${name}.mjs`),
        legalComments: 'none',
        minify: true,
        keepNames: true,
        logLevel: 'warning',
        plugins: [zodEnglishOnly],
      });
      const file = join(out, `${name}.mjs`);
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, r.outputFiles[0].contents);
      renameSync(tmp, file);
    }),
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await buildNodeBundles();
