/** The Node and Electron bundles carry zod's English messages and none of its other locales. */
import { build, type Plugin } from 'esbuild';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../main/project-root';
// @ts-expect-error plain JavaScript module of the build scripts
import { zodEnglishOnly as plugin } from './esbuild-zod-locales.mjs';

const zodEnglishOnly = plugin as Plugin;

const bundle = async (plugins: Plugin[]) => {
  const r = await build({
    stdin: {
      contents: "import { z } from 'zod'; export const message = z.string().safeParse(1).error?.issues[0]?.message;",
      resolveDir: projectRoot(),
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    logLevel: 'silent',
    plugins,
  });
  return r.outputFiles[0]!.text;
};

describe('zodEnglishOnly', () => {
  it('leaves out the other locales and keeps the English messages zod gives', async () => {
    const [full, slim] = await Promise.all([bundle([]), bundle([zodEnglishOnly])]);
    // Dutch and Finnish "invalid", from zod's nl and fi locales.
    expect(full).toMatch(/Ongeldige/);
    expect(slim).not.toMatch(/Ongeldige|Virheellinen/);
    expect(slim.length).toBeLessThan(full.length * 0.8);
    const file = join(mkdtempSync(join(tmpdir(), 'dda-zod-')), 'slim.mjs');
    writeFileSync(file, slim);
    const { message } = (await import(pathToFileURL(file).href)) as { message: string };
    expect(message).toBe('Invalid input: expected string, received number');
  });
});
