/**
 * A change of PowerShell engine is the main process's decision (issue 14, item 2): the page may ask, the
 * main process's own question decides, an installed Windows build refuses an untrusted engine without
 * asking, and browser mode never changes it from the page.
 */
import { describe, expect, it, vi } from 'vitest';
import { browserShellHooks, screenEngineChange } from './engine-setting';

describe('a change of PowerShell engine', () => {
  it('takes effect only when the main process asked and the admin said yes', () => {
    const confirm = vi.fn(() => false);
    const patch = { powershellPath: '/opt/microsoft/powershell/7/pwsh', theme: 'dark' as const };
    expect(screenEngineChange(patch, { current: null, allowed: () => true, confirm })).toEqual({ theme: 'dark' });
    expect(confirm).toHaveBeenCalledWith('/opt/microsoft/powershell/7/pwsh');
    expect(screenEngineChange(patch, { current: null, allowed: () => true, confirm: () => true })).toEqual(patch);
    // Back to the default engine is a change too.
    const back = vi.fn(() => false);
    expect(
      screenEngineChange({ powershellPath: null }, { current: '/opt/pwsh', allowed: () => true, confirm: back }),
    ).toEqual({});
    expect(back).toHaveBeenCalledWith(null);
  });

  it('is refused without a question when the build may not run that engine', () => {
    const confirm = vi.fn(() => true);
    expect(
      screenEngineChange(
        { powershellPath: 'C:\\Users\\u\\pwsh.exe' },
        { current: null, allowed: () => false, confirm },
      ),
    ).toEqual({});
    expect(confirm).not.toHaveBeenCalled();
  });

  it('asks nothing when the engine does not change, and passes every other setting', () => {
    const confirm = vi.fn(() => false);
    expect(screenEngineChange({ language: 'zh-CN' as const }, { current: '/x', allowed: () => true, confirm })).toEqual(
      { language: 'zh-CN' },
    );
    expect(screenEngineChange({ powershellPath: '/x' }, { current: '/x', allowed: () => true, confirm })).toEqual({
      powershellPath: '/x',
    });
    expect(confirm).not.toHaveBeenCalled();
  });

  it('cannot be made from the page in browser mode', () => {
    const hooks = browserShellHooks();
    const after = hooks.setSettings({ powershellPath: '/tmp/planted/pwsh', theme: 'dark' });
    expect(after).toMatchObject({ powershellPath: null, theme: 'dark' });
    expect(hooks.getSettings().powershellPath).toBeNull();
  });
});
