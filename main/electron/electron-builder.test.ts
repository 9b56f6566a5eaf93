/** The packaging configuration, validated offline with electron-builder's own schema, and its security values. */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root';

const require = createRequire(import.meta.url);

interface BuilderConfig {
  win: { requestedExecutionLevel: string; target: Array<{ target: string }> };
  nsis: Record<string, unknown>;
  electronFuses: Record<string, boolean>;
  asar: boolean;
}

describe('electron-builder.yml', () => {
  it("passes electron-builder's schema and keeps the security settings", async () => {
    const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      getConfig: (dir: string, path: string | null, opts: null) => Promise<BuilderConfig>;
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    const config = await getConfig(projectRoot(), join(projectRoot(), 'electron-builder.yml'), null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
    expect(config.win.requestedExecutionLevel).toBe('requireAdministrator');
    // per machine, into Program Files only (elsewhere the folder may be writable by users)
    expect(config.nsis).toMatchObject({ perMachine: true, oneClick: false, allowToChangeInstallationDirectory: false });
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
    expect(config.asar).toBe(true);
    // no portable target: it unpacks the scripts to the user's temp folder (issue 14)
    expect(config.win.target.map((t) => t.target)).toEqual(['nsis']);
  });

  it('rejects a configuration with an unknown key (the check can fail)', async () => {
    const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
      validateConfiguration: (c: unknown, log: unknown) => Promise<void>;
    };
    const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
    await expect(validateConfiguration({ appId: 'x', notAKey: true }, new DebugLogger(false))).rejects.toThrow();
  });
});
