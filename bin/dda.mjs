#!/usr/bin/env node
// The `dda` command: runs the bundled CLI (dist/node/dda.mjs), building it first in a source checkout
// whose bundle is missing or older than the sources (bin/node-bundle.mjs). `npm link` puts it on PATH.
// First it starts PowerShell from a small bundle of its own (main/cli/prestart-cli.ts), so that
// PowerShell starts while Node loads the CLI; the command's session takes that process over.
import { loadEntry } from './node-bundle.mjs';

const prestart = await loadEntry('prestart', 'main/cli/prestart-cli.ts');
const argv = process.argv.slice(2);
prestart.prestartFor(argv);
try {
  const { main } = await loadEntry('dda', 'main/cli/dda.ts');
  process.exitCode = await main(argv);
} finally {
  prestart.discardPrestarted();
}
