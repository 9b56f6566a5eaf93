/** The shipped simulator host profiles, and simulator state files made from them. */
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isLocalPath, LOCAL_PATH_MESSAGE } from '../../shared/local-path';
import { projectRoot } from '../project-root';
import { hostProfileSchema, type HostProfile } from './profile-schema';
import { simulatedDataDir } from '../data-dir';
import { writeFileAtomic } from '../write-file-atomic';

/** The profile used when none is named. */
export const DEFAULT_PROFILE = 'ml30-connectx4';
const simulatorDir = () => join(projectRoot(), 'main', 'simulator');
const profilesDir = () => join(simulatorDir(), 'profiles');

/** Path of the simulator module, for `Import-Module` in any pwsh. */
export function simulatorModulePath(): string {
  return join(simulatorDir(), 'DdaSim.psm1');
}

/** Names of the shipped profiles. */
export function listProfiles(): string[] {
  return readdirSync(profilesDir())
    .filter((f) => f.endsWith('.json'))
    .map((f) => basename(f, '.json'))
    .sort();
}

/** The file of a profile given by shipped name or by path; throws a clear error when neither exists. */
export function profilePath(nameOrPath: string): string {
  if (/^[a-z0-9-]+$/.test(nameOrPath)) {
    const shipped = join(profilesDir(), `${nameOrPath}.json`);
    if (existsSync(shipped)) return shipped;
  }
  if (!isLocalPath(nameOrPath)) throw new Error(`Simulator profile "${nameOrPath}": ${LOCAL_PATH_MESSAGE}.`);
  if (existsSync(nameOrPath)) return nameOrPath;
  throw new Error(
    `No simulator profile named "${nameOrPath}" (shipped: ${listProfiles().join(', ')}) and no such file.`,
  );
}

/** Reads and validates a profile; the error names the field that is wrong. */
export function loadProfile(nameOrPath: string): HostProfile {
  const file = profilePath(nameOrPath);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`Simulator profile ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = hostProfileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`Invalid simulator profile ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return parsed.data;
}

/**
 * The state file of a simulated host. With `stateFile`, that file is used, created from the profile
 * on first use (so several runs share one host); without it a fresh copy goes to a temp folder.
 */
export function createSimState(profile: string | null, stateFile?: string): string {
  if (stateFile && existsSync(stateFile)) {
    loadProfile(stateFile);
    return stateFile;
  }
  const source = profilePath(profile ?? DEFAULT_PROFILE);
  loadProfile(source);
  const target = stateFile ?? join(mkdtempSync(join(tmpdir(), 'dda-sim-')), 'state.json');
  copyFileSync(source, target);
  seedDdaStudioData(target);
  return target;
}

/**
 * A profile that shows a host after a change brings what DDA Studio had recorded before it
 * (ddaStudioData): written to the simulated host's data folder, where the app keeps them.
 */
export function seedDdaStudioData(stateFile: string): void {
  const seed = loadProfile(stateFile).ddaStudioData;
  if (seed)
    writeFileAtomic(
      join(simulatedDataDir(stateFile), 'assignments.json'),
      JSON.stringify({ schema: 'dda-studio/assignments@1', records: seed.assignments }, null, 1),
    );
  if (seed?.measurements)
    writeFileAtomic(
      join(simulatedDataDir(stateFile), 'measurements.json'),
      JSON.stringify({ schema: 'dda-studio/measurements@1', devices: seed.measurements }, null, 1),
    );
}
