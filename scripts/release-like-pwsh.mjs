// Makes the PowerShell of .tools/pwsh start like a release install of it, in two steps (Linux):
// 1. ReadyToRun: Microsoft's release packages are compiled ahead of time (PowerShell/PowerShell#12361,
//    "Turn on ReadyToRun"; the MSI, deb and tar.gz builds are crossgen'd). The NuGet .NET tool we install
//    ships IL only (dotnet/sdk#10801: no ReadyToRun for tools), so every pwsh start JIT-compiles
//    PowerShell's engine: about twice the start-up of a real install, and every first run of a script
//    pays again. Tests and benchmarks should meet the PowerShell an admin runs.
// 2. The launcher: .tools/pwsh/pwsh is the .NET tool's shim, a .NET program that starts a second
//    process (`dotnet pwsh.dll`); a release install starts pwsh through its native apphost, which the
//    package ships beside pwsh.dll. .tools/pwsh/pwsh becomes a link to that apphost (the shim is kept
//    as pwsh.shim), once it has been seen to run.
//
// crossgen2 comes from NuGet the SDK's own way: restoring a scratch project with PublishReadyToRun
// makes the SDK download the Crossgen2 pack of its choice (no version is named here). Each assembly is
// compiled to a temporary file and then renamed over the IL one, so an interruption leaves a working
// pwsh. Any failure only logs: an IL-only pwsh runs the same scripts, just slower.
// Plain Node, no dependencies: ensure-tools runs it before node_modules exists.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';

/** The assemblies a session loads (engine, console host, the two command modules, JSON, CIM, the tool's shim). */
const ASSEMBLIES = [
  'pwsh.dll',
  'System.Management.Automation.dll',
  'Microsoft.PowerShell.ConsoleHost.dll',
  'Microsoft.PowerShell.Commands.Utility.dll',
  'Microsoft.PowerShell.Commands.Management.dll',
  'Microsoft.PowerShell.Security.dll',
  'Microsoft.PowerShell.MarkdownRender.dll',
  'Newtonsoft.Json.dll',
  'System.Management.dll',
  'Microsoft.ApplicationInsights.dll',
  'runtimes/unix/lib/netstandard1.6/Microsoft.Management.Infrastructure.dll',
  '../Microsoft.PowerShell.GlobalTool.Shim.dll',
];
const MARKER = '.ready-to-run';

/** Both steps (Linux only; elsewhere none); `toolDir` is .tools/pwsh, `log` writes one line. A line per step. */
export function releaseLikePwsh(toolDir, log) {
  if (process.platform !== 'linux') return [];
  return [`ReadyToRun: ${readyToRunPwsh(toolDir, log)}`, `launcher: ${launchThroughApphost(toolDir)}`];
}

/** Step 2: .tools/pwsh/pwsh -> the package's apphost, when it runs. 'done', 'already' or 'skipped: <why>'. */
function launchThroughApphost(toolDir) {
  const app = findAppDir(toolDir);
  const shim = join(toolDir, 'pwsh');
  const apphost = app && join(app, 'pwsh');
  if (!apphost || !existsSync(apphost)) return 'skipped: the package has no apphost';
  if (lstatSync(shim).isSymbolicLink()) return 'already';
  const r = spawnSync(apphost, ['-NoProfile', '-NonInteractive', '-Command', '$PSVersionTable.PSVersion.ToString()'], {
    encoding: 'utf8',
  });
  if (r.status !== 0)
    return `skipped: the apphost does not run (${(r.stderr || String(r.error)).trim().slice(0, 200)})`;
  // The shim is kept (copied), then replaced in one rename: there is a .tools/pwsh/pwsh at every moment.
  copyFileSync(shim, `${shim}.shim`);
  const link = `${shim}.${process.pid}.tmp`;
  symlinkSync(relative(toolDir, apphost), link);
  renameSync(link, shim);
  return 'done';
}

/**
 * Step 1: compiles the tool's assemblies once (a marker file remembers it). Returns what happened:
 * 'done', 'already', or 'skipped: <why>'.
 */
function readyToRunPwsh(toolDir, log) {
  const arch = { x64: 'x64', arm64: 'arm64' }[process.arch];
  if (!arch) return 'skipped: only x64 and arm64 are compiled here';
  const app = findAppDir(toolDir);
  if (!app) return 'skipped: the PowerShell tool layout was not recognised';
  if (existsSync(join(app, MARKER))) return 'already';
  const scratch = mkdtempSync(join(tmpdir(), 'dda-r2r-'));
  try {
    // The runtime pwsh runs on: the newest one of the major its runtimeconfig names (it rolls forward).
    const config = JSON.parse(readFileSync(join(app, 'pwsh.runtimeconfig.json'), 'utf8'));
    const major = String(config.runtimeOptions?.framework?.version ?? '').split('.')[0];
    const framework = frameworkDir(major);
    if (!framework) return `skipped: no .NET ${major} runtime found`;
    const crossgen = restoreCrossgen(scratch, arch, major);
    if (!crossgen) return 'skipped: crossgen2 could not be restored';
    log(`compiling PowerShell ahead of time (ReadyToRun, like its release packages) with ${crossgen}`);
    const started = Date.now();
    for (const rel of ASSEMBLIES) {
      const dll = join(app, rel);
      if (!existsSync(dll)) continue;
      const out = join(scratch, 'out.dll');
      const r = spawnSync(
        crossgen,
        [dll, '-o', out, '-r', `${framework}/`, '-r', `${app}/`, '--targetos:linux', `--targetarch:${arch}`, '-O'],
        { encoding: 'utf8' },
      );
      if (r.status !== 0) {
        log(
          `crossgen2 failed on ${rel} (exit ${r.status ?? r.signal}); it stays IL: ${(r.stderr || r.stdout).trim().slice(-300)}`,
        );
        continue;
      }
      renameSync(out, dll);
    }
    writeFileSync(join(app, MARKER), `crossgen2 ${crossgen}\n`);
    log(`ReadyToRun done in ${Math.round((Date.now() - started) / 1000)} s`);
    return 'done';
  } catch (e) {
    return `skipped: ${e instanceof Error ? e.message : String(e)}`;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** .tools/pwsh/.store/powershell/<v>/powershell/<v>/tools/<tfm>/any/unix, where pwsh.dll is. */
function findAppDir(toolDir) {
  const store = join(toolDir, '.store', 'powershell');
  const ls = (d) => (existsSync(d) ? readdirSync(d) : []);
  for (const v of ls(store)) {
    for (const tfm of ls(join(store, v, 'powershell', v, 'tools'))) {
      const app = join(store, v, 'powershell', v, 'tools', tfm, 'any', 'unix');
      if (existsSync(join(app, 'pwsh.dll'))) return app;
    }
  }
  return null;
}

/** Restores a scratch ReadyToRun project; returns the crossgen2 of the pack the SDK chose, or null. */
function restoreCrossgen(scratch, arch, major) {
  const rid = `linux-${arch}`;
  writeFileSync(
    join(scratch, 'r2r.csproj'),
    `<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net${major}.0</TargetFramework>` +
      `<RuntimeIdentifier>${rid}</RuntimeIdentifier><PublishReadyToRun>true</PublishReadyToRun>` +
      `<SelfContained>false</SelfContained></PropertyGroup></Project>\n`,
  );
  const r = spawnSync('dotnet', ['restore', scratch], {
    encoding: 'utf8',
    env: { ...process.env, DOTNET_NOLOGO: '1' },
  });
  if (r.status !== 0) return null;
  const assets = JSON.parse(readFileSync(join(scratch, 'obj', 'project.assets.json'), 'utf8'));
  const packages = Object.keys(assets.packageFolders ?? {})[0];
  const frameworks = Object.values(assets.project?.frameworks ?? {});
  const pack = frameworks.flatMap((f) => f.downloadDependencies ?? []).find((d) => /Crossgen2/i.test(d.name));
  if (!packages || !pack) return null;
  const version = String(pack.version)
    .replace(/[[\]\s]/g, '')
    .split(',')[0];
  const exe = join(packages, pack.name.toLowerCase(), version, 'tools', 'crossgen2');
  return existsSync(exe) ? exe : null;
}

/** The folder of the newest Microsoft.NETCore.App runtime of that major, or null. */
function frameworkDir(major) {
  const r = spawnSync('dotnet', ['--list-runtimes'], { encoding: 'utf8' });
  const found = (r.stdout ?? '')
    .split('\n')
    .map((l) => /^Microsoft\.NETCore\.App (\S+) \[(.+)\]$/.exec(l.trim()))
    .filter((m) => m && m[1].split('.')[0] === major)
    .map((m) => ({ version: m[1], dir: join(m[2], m[1]) }))
    .sort((a, b) => compareVersions(a.version, b.version));
  return found.length ? found[found.length - 1].dir : null;
}

function compareVersions(a, b) {
  const pa = a.split(/[.-]/).map((x) => Number(x) || 0);
  const pb = b.split(/[.-]/).map((x) => Number(x) || 0);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++)
    if ((pa[i] ?? 0) !== (pb[i] ?? 0)) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}
