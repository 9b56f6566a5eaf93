/** A packaged build trusts nothing a standard user can write to name the code it runs (issue 14, item 2). */
import { describe, expect, it } from 'vitest';
import { dropEnvOverrides, sshClientPath, trustedEngine, windowsPowerShellPath } from './packaged-trust';

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
  it('runs an engine only from Program Files or System32, by an absolute local path', () => {
    expect(trustedEngine('C:\\Program Files\\PowerShell\\7\\pwsh.exe', env)).toBe(true);
    expect(trustedEngine('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', env)).toBe(true);
    for (const bad of [
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
