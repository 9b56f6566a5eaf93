/**
 * Builds the DDAStudio.Host module folder an admin copies to a Hyper-V host for the JEA endpoint:
 * main/powershell/jea/DDAStudio.Host plus the dispatcher and our product scripts (not the ones that
 * only run on this machine: use-simulator, use-remote, remote-status). Also computes the hash of those
 * scripts that the module reports in Get-DdaHostInfo (scriptsHash), so a client can detect skew.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { JEA_MODULE_NAME, JEA_REGISTER_SCRIPT } from '../../shared/prepare-host';
import { projectRoot } from '../project-root';

/**
 * Scripts the module does not ship: those that run only in the app's own local PowerShell process, and
 * host-plan, the name of the request the endpoint serves with its own code (Invoke-DdaHostPlan).
 */
export const JEA_CLIENT_ONLY_SCRIPTS: ReadonlySet<string> = new Set([
  'use-simulator.ps1',
  'use-remote.ps1',
  'remote-status.ps1',
  'host-plan.ps1',
]);
/** What the module folder must hold before the shipped scripts are added. */
const MODULE_FILES = [
  `${JEA_MODULE_NAME}.psd1`,
  `${JEA_MODULE_NAME}.psm1`,
  `${JEA_MODULE_NAME}.Plan.ps1`,
  JEA_REGISTER_SCRIPT,
  join('RoleCapabilities', 'DDAStudioOperator.psrc'),
];

/** The scripts the module ships: path relative to the module folder ('/'-separated) and source file. */
function shippedScripts(): { rel: string; src: string }[] {
  const ps = join(projectRoot(), 'main', 'powershell');
  const scripts = readdirSync(join(ps, 'scripts'))
    .filter((f) => f.endsWith('.ps1') && !JEA_CLIENT_ONLY_SCRIPTS.has(f))
    .map((f) => ({ rel: `scripts/${f}`, src: join(ps, 'scripts', f) }));
  return [{ rel: 'dispatcher.ps1', src: join(ps, 'dispatcher.ps1') }, ...scripts];
}

/** Writes `<outDir>/DDAStudio.Host/` (replacing an older build there) and returns its path. */
export function buildJeaModule(outDir: string): string {
  const src = join(projectRoot(), 'main', 'powershell', 'jea', JEA_MODULE_NAME);
  const missing = MODULE_FILES.filter((f) => !existsSync(join(src, f)));
  if (missing.length)
    throw new Error(
      `The DDAStudio.Host module files are missing from this installation (${src}): ${missing.join(', ')}.`,
    );
  const dest = join(outDir, JEA_MODULE_NAME);
  if (existsSync(dest)) rmSync(dest, { recursive: true, force: true });
  mkdirSync(join(dest, 'scripts'), { recursive: true });
  cpSync(src, dest, { recursive: true });
  for (const s of shippedScripts()) cpSync(s.src, join(dest, ...s.rel.split('/')));
  return dest;
}

let scriptsHash: string | null = null;

/**
 * The scriptsHash Get-DdaHostInfo reports for a module built from this app's files (the rule is in
 * DDAStudio.Host.psm1): SHA-256, lowercase hex, of "<path>\n<text>\n" for every shipped script in
 * ordinal order of path, the text as UTF-8 without a byte order mark. Computed once per process.
 */
export function jeaScriptsHash(): string {
  if (scriptsHash) return scriptsHash;
  const h = createHash('sha256');
  const files = shippedScripts().sort((a, b) => (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0));
  for (const f of files) h.update(`${f.rel}\n${readFileSync(f.src, 'utf8').replace(/^\uFEFF/, '')}\n`, 'utf8');
  return (scriptsHash = h.digest('hex'));
}
