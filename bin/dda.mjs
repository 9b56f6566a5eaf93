#!/usr/bin/env node
// The `dda` command: runs the bundled CLI (dist/node/dda.mjs), building it first in a source checkout
// whose bundle is missing or older than the sources (bin/node-bundle.mjs). `npm link` puts it on PATH.
import { loadEntry } from './node-bundle.mjs';

const { main } = await loadEntry('dda', 'main/cli/dda.ts');
process.exitCode = await main(process.argv.slice(2));
