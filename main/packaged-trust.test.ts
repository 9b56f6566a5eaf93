/** A packaged build trusts nothing a standard user can write to name the code it runs (issue 14, item 2). */
import { describe, expect, it } from 'vitest';
import { findPowerShell } from './powershell/find-pwsh';
import {
  dropEnvOverrides,
  engineEnv,
  installedEngines,
  pinWindowsFolders,
  sshClientPath,
  systemRootFromKernel,
  trustedEngine,
  windowsFolders,
  windowsPowerShellPath,
} from './packaged-trust';

const env = { ProgramFiles: 'C:\\Program Files', ProgramW6432: 'C:\\Program Files', SystemRoot: 'C:\\Windows' };

describe('packaged build', () => {
  it("takes Windows' folder from the kernel's \\SystemRoot link and Program Files from where the app is installed", () => {
    // The environment (HKCU\\Environment) names folders the user writes; none of them is taken.
    const tampered = { SystemRoot: 'C:\\Users\\u\\win', ProgramFiles: 'C:\\Users\\u\\pf' };
    const asked: string[] = [];
    const kernel = systemRootFromKernel((p) => {
      asked.push(p);
      return '\\\\?\\D:\\WINDOWS';
    });
    expect(asked).toEqual(['\\\\?\\GLOBALROOT\\SystemRoot']);
    expect(kernel).toBe('D:\\WINDOWS');
    expect(windowsFolders(kernel, 'D:\\Program Files\\DDA Studio\\DDA Studio.exe', tampered)).toEqual({
      systemRoot: 'D:\\WINDOWS',
      programFiles: 'D:\\Program Files',
      systemRootFrom: 'kernel',
    });
    // Installed elsewhere (the installer's /D=): the system drive's Program Files, not the install folder's parent.
    expect(windowsFolders(kernel, 'E:\\Tools\\DDA Studio\\DDA Studio.exe', tampered).programFiles).toBe(
      'D:\\Program Files',
    );
    // Anything but a drive's folder is not an answer (a device path, a UNC path, a failed open).
    for (const odd of ['\\\\?\\UNC\\server\\share', '\\\\?\\Volume{x}\\Windows', 'D:\\', 'D:\\a\\b'])
      expect(
        systemRootFromKernel(() => odd),
        odd,
      ).toBeNull();
    expect(
      systemRootFromKernel(() => {
        throw new Error('EPERM');
      }),
    ).toBeNull();
    // Where the kernel's name cannot be read the environment's is used, as before, and said so.
    expect(
      windowsFolders(null, 'C:\\Program Files\\DDA Studio\\DDA Studio.exe', { SystemRoot: 'C:\\WINDOWS' }),
    ).toEqual({
      systemRoot: 'C:\\WINDOWS',
      programFiles: 'C:\\Program Files',
      systemRootFrom: 'environment',
    });
  });
  it('pins the folder variables (any spelling) so the engine rule and every child process use the true folders', () => {
    // The user's own environment (HKCU\\Environment) points Program Files and SystemRoot at folders they write.
    const e: NodeJS.ProcessEnv = {
      PROGRAMFILES: 'C:\\Users\\u\\pf',
      ProgramW6432: 'C:\\Program Files',
      SystemRoot: 'C:\\Users\\u\\win',
      windir: 'c:\\windows',
      PATH: 'x',
    };
    const folders = windowsFolders('C:\\Windows', 'C:\\Program Files\\DDA Studio\\DDA Studio.exe', e);
    expect(pinWindowsFolders(e, folders).sort()).toEqual(['ProgramFiles', 'SystemRoot']);
    expect(e).toEqual({
      ProgramFiles: 'C:\\Program Files',
      ProgramW6432: 'C:\\Program Files',
      SystemRoot: 'C:\\Windows',
      windir: 'c:\\windows',
      PATH: 'x',
    });
    expect(installedEngines(e)).toEqual([
      'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      'C:\\Program Files\\PowerShell\\7\\pwsh.exe',
      'C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe',
    ]);
    expect(trustedEngine('C:\\Users\\u\\pf\\PowerShell\\7\\pwsh.exe', e)).toBe(false);
    expect(trustedEngine('C:\\Users\\u\\win\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', e)).toBe(false);
    expect(sshClientPath('win32', e, true)).toBe('C:\\Windows\\System32\\OpenSSH\\ssh.exe');
    // A system root the kernel did not give is not pinned: windir keeps its own value.
    const f: NodeJS.ProcessEnv = { SystemRoot: 'C:\\Users\\u\\win', windir: 'C:\\Windows', ProgramFiles: 'C:\\x' };
    const fallback = windowsFolders(null, 'C:\\Program Files\\DDA Studio\\DDA Studio.exe', f);
    expect(pinWindowsFolders(f, fallback).sort()).toEqual(['ProgramFiles', 'ProgramW6432']);
    expect(f).toMatchObject({
      SystemRoot: 'C:\\Users\\u\\win',
      windir: 'C:\\Windows',
      ProgramFiles: 'C:\\Program Files',
    });
  });
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
