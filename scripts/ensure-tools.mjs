#!/usr/bin/env node
// Installs what the quick-start commands need and finds missing on this machine:
// node modules (npm ci), PowerShell 7.6.9 (a .NET tool in .tools/pwsh, compiled ReadyToRun) and, when asked with
// --chromium, Debian's chromium (and the CJK font fonts-noto-cjk) for the end-to-end tests, with --sshd, OpenSSH for the remote tests. Plain Node, no dependencies, so it runs
// before node_modules exists. In CI a missing tool is a hard failure, never a silent skip.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { releaseLikePwsh } from './release-like-pwsh.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const isWindows = process.platform === 'win32';
const wantChromium = process.argv.includes('--chromium');
// --sshd: OpenSSH server and client, for the remote-host tests (a private sshd on 127.0.0.2/.3).
const wantSshd = process.argv.includes('--sshd');
const log = (line) => process.stderr.write(`[ensure-tools] ${line}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts });
  if (r.status !== 0) {
    log(`FAILED: ${cmd} ${args.join(' ')} (exit ${r.status ?? r.signal})`);
    process.exit(1);
  }
}
const has = (cmd) =>
  spawnSync(isWindows ? 'where' : 'sh', isWindows ? [cmd] : ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status ===
  0;

if (!existsSync(join(root, 'node_modules', '.package-lock.json'))) {
  log('node_modules missing: npm ci');
  run('npm', ['ci', '--no-audit', '--no-fund'], {
    env: { ...process.env, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD: '1' },
    shell: isWindows,
  });
}

const toolPwsh = join(root, '.tools', 'pwsh', isWindows ? 'pwsh.exe' : 'pwsh');
if (!process.env.DDA_PWSH && !existsSync(toolPwsh)) {
  if (!has('dotnet')) {
    log('PowerShell 7 is missing and the .NET SDK (dotnet) is not installed to fetch it.');
    process.exit(1);
  }
  log('PowerShell 7.6.9 missing: dotnet tool install PowerShell --version 7.6.9 --tool-path .tools/pwsh');
  run('dotnet', ['tool', 'install', 'PowerShell', '--version', '7.6.9', '--tool-path', join(root, '.tools', 'pwsh')]);
}
// Our tool's pwsh made to start like a release install: compiled ahead of time, launched through its
// apphost (once; see release-like-pwsh.mjs). A step that cannot be done leaves a pwsh that works, slower.
if (!process.env.DDA_PWSH && existsSync(toolPwsh)) {
  for (const line of releaseLikePwsh(join(root, '.tools', 'pwsh'), log))
    if (line.includes('skipped')) log(`PowerShell ${line}: it works, it starts slower`);
}
const pwsh = process.env.DDA_PWSH || toolPwsh;
try {
  execFileSync(pwsh, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    stdio: 'pipe',
  });
} catch (e) {
  log(`PowerShell at ${pwsh} does not run: ${e.message}`);
  process.exit(1);
}

const aptPackages = [];
if (wantChromium && !isWindows && !existsSync('/usr/bin/chromium')) aptPackages.push('chromium');
// Debian's fonts-noto-cjk, so the e2e screenshots in zh-CN (main-zh-CN) show Chinese, not boxes.
const cjkFont = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';
if (wantChromium && process.platform === 'linux' && !existsSync(cjkFont)) aptPackages.push('fonts-noto-cjk');
if (wantSshd && process.platform === 'linux' && !(existsSync('/usr/sbin/sshd') && has('ssh') && has('ssh-keyscan')))
  aptPackages.push('openssh-server', 'openssh-client');
if (aptPackages.length > 0) {
  log(`missing: apt-get install -y ${aptPackages.join(' ')}`);
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => (sudo.length ? run('sudo', ['apt-get', ...args]) : run('apt-get', args));
  apt(['update']);
  run(
    sudo.length ? 'sudo' : 'apt-get',
    [...(sudo.length ? ['apt-get'] : []), 'install', '-y', '--no-install-recommends', ...aptPackages],
    {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  );
}
