/**
 * use-remote.ps1's Invoke-DdaRemoteJob, the one place a remote command's answer is received: an error
 * record the host writes beside the answer (a non-terminating error after the script answered: a JEA
 * plan runs under Continue) keeps the answer, and is not taken for a lost connection; an error with no
 * answer, or a command that failed, still throws (the caller's 'connection' envelope). The remoting
 * itself is stood in for: Invoke-Command runs the command as a thread job in the same pwsh.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findPowerShell } from '../powershell/find-pwsh';
import { projectRoot } from '../project-root';

const script = `
$ErrorActionPreference = 'Stop'
$null = & $env:USE_REMOTE -Transport winrm -HostName hv1 -Endpoint jea
function global:Invoke-Command { [CmdletBinding()] param($Session, [switch]$AsJob, [object[]]$ArgumentList, [scriptblock]$ScriptBlock) Start-ThreadJob -ScriptBlock $ScriptBlock -ArgumentList $ArgumentList }
$run = { param($Command) Invoke-DdaRemoteJob -Session $null -TimeoutMs 30000 -ArgumentList @() -ScriptBlock $Command }
$out = [ordered]@{}
$out.answerAndError = (& $run { '{"ok":true}'; Write-Error -Message 'Die Eigenschaft wurde nicht gefunden.' -ErrorId 'PropertyNotFound' }).value
try { $null = & $run { Write-Error -Message 'The WinRM client cannot process the request.' -ErrorId 'WinRMOperationTimeout' }; $out.errorOnly = 'answered' } catch { $out.errorOnly = [string]$_.FullyQualifiedErrorId }
try { $null = & $run { throw 'The session broke.' }; $out.failed = 'answered' } catch { $out.failed = $_.Exception.Message }
$out | ConvertTo-Json -Compress`;

describe("a remote command's answer", () => {
  it('survives an error record written beside it; an error without an answer, or a failed command, still throws', () => {
    const pwsh = findPowerShell({ env: process.env, projectRoot: projectRoot(), platform: process.platform })!;
    const r = spawnSync(pwsh.path, ['-NoProfile', '-NonInteractive', '-Command', script], {
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, USE_REMOTE: join(projectRoot(), 'main', 'powershell', 'scripts', 'use-remote.ps1') },
    });
    if (r.status !== 0) throw new Error(`pwsh failed (${r.status}): ${r.stderr}${r.stdout}`);
    expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual({
      answerAndError: '{"ok":true}',
      errorOnly: 'WinRMOperationTimeout',
      failed: 'The session broke.',
    });
  }, 120_000);
});
