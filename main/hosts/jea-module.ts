/**
 * Builds the DDAStudio.Host module folder an admin copies to a Hyper-V host for the JEA endpoint:
 * main/powershell/jea/DDAStudio.Host plus the dispatcher and our product scripts (not the ones that
 * only run on this machine: use-simulator, use-remote, remote-status).
 */
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../project-root';

export const JEA_MODULE_FOLDER = 'DDAStudio.Host';
const CLIENT_ONLY = new Set(['use-simulator.ps1', 'use-remote.ps1', 'remote-status.ps1']);

/** Writes `<outDir>/DDAStudio.Host/` (replacing an older build there) and returns its path. */
export function buildJeaModule(outDir: string): string {
  const src = join(projectRoot(), 'main', 'powershell');
  const dest = join(outDir, JEA_MODULE_FOLDER);
  if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, 'scripts'), { recursive: true });
  cpSync(join(src, 'jea', JEA_MODULE_FOLDER), dest, { recursive: true });
  cpSync(join(src, 'dispatcher.ps1'), join(dest, 'dispatcher.ps1'));
  for (const f of readdirSync(join(src, 'scripts'))) {
    if (f.endsWith('.ps1') && !CLIENT_ONLY.has(f)) cpSync(join(src, 'scripts', f), join(dest, 'scripts', f));
  }
  return dest;
}
