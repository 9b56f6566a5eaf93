/** A packaged build trusts nothing a standard user can write to name the code it runs (issue 14, item 2). */
import { describe, expect, it } from 'vitest';
import { findPowerShell } from './powershell/find-pwsh';
import { dropEnvOverrides, engineEnv, sshClientPath, trustedEngine, windowsPowerShellPath } from './packaged-trust';

const env = { ProgramFiles: 'C:\\Program Files', ProgramW6432: 'C:\\Program Files', SystemRoot: 'C:\\Windows' };

describe('packaged build', () => {
  it('drops every DDA_* override from the environment, nothing else', () => {
    const e: NodeJS.ProcessEnv = {
      DDA_PWSH: 'C:\\Users\\u\\evil.exe',
      DDA_PROJECT_ROOT: 'C:\\Users\\u',
      dda_sim_state: 'x',
      PATH: 'C:\\Windows',
    };
    expect(dropEnvOverrides(e).sort()).toEqual(['DDA_PROJECT_ROOT', 'DDA_PWSH', 'dda_sim_state']);
    expect(e).toEqual({ PATH: 'C:\\Windows' });
  });
  it('runs only an installed engine, by its exact absolute local path', () => {
    expect(trustedEngine('C:\\Program Files\\PowerShell\\7\\pwsh.exe', env)).toBe(true);
    expect(trustedEngine('C:\\Program Files\\PowerShell\\7-preview\\pwsh.exe', env)).toBe(true);
    expect(trustedEngine('c:\\windows\\system32\\WindowsPowerShell\\v1.0\\powershell.exe', env)).toBe(true);
    for (const bad of [
      // folders under System32 a standard user may write to, and anything else there or in Program Files
      'C:\\Windows\\System32\\spool\\drivers\\color\\pwsh.exe',
      'C:\\Windows\\System32\\Tasks\\powershell.exe',
      'C:\\Windows\\System32\\pwsh.exe',
      'C:\\Program Files\\Evil\\pwsh.exe',
      'C:\\Program Files\\PowerShell\\7\\sub\\pwsh.exe',
      'C:\\Program Files\\PowerShell\\7\\evil.exe',
      'C:\\Users\\admin\\AppData\\Local\\pwsh.exe',
      'C:\\Windows\\Temp\\pwsh.exe',
      'C:\\Program Files\\..\\Users\\u\\pwsh.exe',
      'C:\\Program FilesX\\pwsh.exe',
      '\\\\server\\share\\pwsh.exe',
      '\\\\?\\C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      'pwsh.exe',
      'Program Files\\PowerShell\\7\\pwsh.exe',
    ])
      expect(trustedEngine(bad, env), bad).toBe(false);
  });
  it('finds only installed engines: never a pwsh on PATH or in the project folder, a setting only when installed', () => {
    const at =
      (...files: string[]) =>
      (p: string) =>
        files.some((f) => f.toLowerCase() === p.toLowerCase());
    const ps7 = 'C:\\Program Files\\PowerShell\\7\\pwsh.exe';
    const ps51 = 'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe';
    const planted = 'C:\\Users\\admin\\AppData\\Local\\Microsoft\\WindowsApps\\pwsh.exe';
    const find = (exists: (p: string) => boolean, setting?: string) =>
      findPowerShell({
        setting,
        env: { ...env, PATH: 'C:\\Users\\admin\\AppData\\Local\\Microsoft\\WindowsApps' },
        platform: 'win32',
        projectRoot: 'C:\\Users\\admin\\dda',
        exists,
        installedOnly: true,
      });
    expect(find(at(planted, ps51))).toEqual({ path: ps51, source: 'windows-powershell' });
    expect(find(at(planted, ps7, ps51))).toEqual({ path: ps7, source: 'installed' });
    expect(find(at(planted, 'C:\\Users\\admin\\dda\\.tools\\pwsh\\pwsh.exe'))).toBeNull();
    expect(find(at(planted, ps51), planted)).toBeNull();
    expect(find(at(ps7, ps51), ps7)).toEqual({ path: ps7, source: 'setting' });
    // Without the rule (a source checkout), the PATH is searched as before.
    expect(
      findPowerShell({
        env: { ...env, PATH: 'C:\\x' },
        platform: 'win32',
        projectRoot: 'C:\\r',
        exists: at('C:\\x\\pwsh.exe'),
      }),
    ).toEqual({ path: 'C:\\x\\pwsh.exe', source: 'path' });
  });
  it('starts the engine without the variables that load a profiler or hook the runtime, or force a language mode', () => {
    const e = engineEnv({
      PATH: 'C:\\Windows',
      COR_ENABLE_PROFILING: '1',
      COR_PROFILER_PATH: 'C:\\Users\\u\\p.dll',
      CORECLR_PROFILER: '{x}',
      COMPlus_ETWEnabled: '0',
      DOTNET_STARTUP_HOOKS: 'C:\\Users\\u\\h.dll',
      __PSLockdownPolicy: '4',
      PSExecutionPolicyPreference: 'Bypass',
      DOTNET_ROOT: 'C:\\dotnet',
    });
    expect(e).toEqual({ PATH: 'C:\\Windows', DOTNET_ROOT: 'C:\\dotnet' });
  });
  it('relaunches through Windows PowerShell by its full path', () => {
    expect(windowsPowerShellPath(env)).toBe('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe');
  });
  it("runs ssh by its full path in an administrators' folder, whatever PATH says", () => {
    expect(sshClientPath('win32', { ...env, PATH: 'C:\\Users\\u\\bin' }, true)).toBe(
      'C:\\Windows\\System32\\OpenSSH\\ssh.exe',
    );
    expect(sshClientPath('linux', { PATH: '/tmp/evil:/usr/bin' }, true)).toBe('/usr/bin/ssh');
  });
});
