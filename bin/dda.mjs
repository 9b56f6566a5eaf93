#!/usr/bin/env node
// The `dda` command: runs the TypeScript CLI through tsx, so `npx dda` works right after `npm ci`.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/dda.ts');
process.exitCode = await main(process.argv.slice(2));
