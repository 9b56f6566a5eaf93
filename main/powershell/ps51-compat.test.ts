/**
 * Our scripts run in Windows PowerShell 5.1 on a remote host's default endpoint (and locally where
 * no pwsh is installed). CI has only PowerShell 7, so this walks every script's syntax tree with
 * PowerShell's parser and refuses 7-only constructs (?:, ??, ?., &&, ::new, -AsHashtable, -Parallel).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findPowerShell } from './find-pwsh';
import { PowerShellSession } from './session';
import { projectRoot } from '../project-root';

const root = projectRoot();
const fixtures = join(root, 'main', 'powershell', 'test-fixtures');
const pwsh = findPowerShell({ env: process.env, projectRoot: root, platform: process.platform })!;
const session = new PowerShellSession({ executable: pwsh.path, scriptDirs: [fixtures] });
afterAll(() => session.dispose());

function ps1Files(dir: string, ext = /\.(ps1|psm1|psd1)$/): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? ps1Files(join(dir, e.name), ext) : ext.test(e.name) ? [join(dir, e.name)] : [],
  );
}

type Finding = { file: string; line: number; what: string; text?: string };

describe('Windows PowerShell 5.1 compatibility', () => {
  it('finds 7-only syntax when it is there (the checker works)', async () => {
    const r = await session.invoke<Finding[]>('ps51-compat', { Paths: [join(fixtures, 'ps7-only-syntax.ps1')] });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const kinds = r.value.map((f) => f.what.split(' ')[0]);
    expect(kinds).toEqual(
      expect.arrayContaining(['ternary', 'null-coalescing', 'null-conditional', 'pipeline', '::new()', '-AsHashtable']),
    );
  });

  it('none in the product scripts, the dispatcher, the simulator or the DDAStudio.Host module', async () => {
    const files = [
      ...ps1Files(join(root, 'main', 'powershell')).filter((f) => !f.includes('test-fixtures')),
      join(root, 'main', 'simulator', 'DdaSim.psm1'),
      join(root, 'main', 'simulator', 'DdaSim.Host.ps1'),
    ];
    expect(files.length).toBeGreaterThan(10);
    const r = await session.invoke<Finding[]>('ps51-compat', { Paths: files });
    expect(r.ok && r.value).toEqual([]);
  });

  it('every shipped PowerShell file is ASCII or says it is UTF-8 (a byte-order mark): 5.1 reads a file without one in the ANSI code page', () => {
    const files = [
      ...ps1Files(join(root, 'main', 'powershell'), /\.(ps1|psm1|psd1|pssc|psrc)$/).filter(
        (f) => !f.includes('test-fixtures'),
      ),
      join(root, 'main', 'simulator', 'DdaSim.psm1'),
      join(root, 'main', 'simulator', 'DdaSim.Host.ps1'),
    ];
    const unmarked = files.filter((f) => {
      const b = readFileSync(f);
      const bom = b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
      return !bom && b.some((x) => x > 0x7f);
    });
    expect(unmarked).toEqual([]);
  });
});
