#!/usr/bin/env node
// `npm run dist [-- <electron-builder options>]`: builds the app and packages it with electron-builder
// (electron-builder.yml): on Windows the NSIS installer `release/DDA Studio Setup <version>.exe`, on
// Linux the AppImage `release/DDA Studio-<version>.AppImage`. Extra options go to electron-builder
// (e.g. `-- --win` on Linux, which needs Wine). electron-builder downloads the Electron runtime for the
// target from GitHub (or ELECTRON_MIRROR); where it cannot, this says so plainly and produces nothing.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';
const log = (line) => process.stderr.write(`[dist] ${line}\n`);
const run = (cmd, args) => spawnSync(cmd, args, { stdio: 'inherit', cwd: root, shell: isWindows });

const build = run('npm', ['run', 'build']);
if (build.status !== 0) {
  log('the build failed; nothing was packaged.');
  process.exit(build.status ?? 1);
}
const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const electronVersion = JSON.parse(
  readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8'),
).version;
const builder = join(root, 'node_modules', 'electron-builder', 'cli.js');
if (!existsSync(builder)) {
  log('electron-builder is not installed (npm ci installs it).');
  process.exit(1);
}
const args = process.argv.slice(2);
log(`packaging DDA Studio ${version} on Electron ${electronVersion} with electron-builder ${args.join(' ')}`.trim());
const r = spawnSync(process.execPath, [builder, '--publish', 'never', ...args], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  log('electron-builder did not finish: nothing usable is in release/.');
  log(
    `It needs the Electron ${electronVersion} runtime for the target, downloaded from github.com/electron/electron/releases`,
  );
  log("(or from ELECTRON_MIRROR) into its cache. On a machine without that access, such as this project's CI,");
  log('packaging cannot happen here: run `npm run dist` on a Windows machine with network access, or put the');
  log('Electron zip into the electron-builder cache (ELECTRON_CACHE) first. The build in dist/ is complete and');
  log('`npm run demo` / `npm run serve` run without Electron.');
  process.exit(r.status ?? 1);
}
log(isWindows ? `done: release/DDA Studio Setup ${version}.exe` : 'done: see release/');
