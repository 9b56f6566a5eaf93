#!/usr/bin/env node
// `npm run demo` / `npm run serve`: the browser-mode server (main/server/demo.ts) as built JavaScript
// (dist/node/demo.mjs; bin/node-bundle.mjs builds it when missing or older than the sources).
import { loadEntry } from './node-bundle.mjs';

const { main } = await loadEntry('demo', 'main/server/demo.ts');
main().catch((e) => {
  process.stderr.write(`demo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
