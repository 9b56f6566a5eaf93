/**
 * bin/dda.mjs's first step, from a bundle of its own (dist/node/prestart.mjs, a few kB): starts the
 * PowerShell that the command's session will take over (main/powershell/prestart.ts), before the CLI
 * bundle loads. Only for a command that opens a host; the executable is found by the one rule, with
 * --pwsh as the setting. A guess that turns out wrong (bad options, a remote host's own PowerShell)
 * costs a process that is ended, nothing else.
 */
import { findPowerShell } from '../powershell/find-pwsh';
import { discardPrestarted, prestartPowerShell } from '../powershell/prestart';

export { discardPrestarted };

/**
 * The commands that open a host, as `dda <command> [<sub>]` (dda.ts, operation-commands.ts,
 * diagnose-commands.ts, hosts-commands.ts; prestart.test.ts keeps this list whole). Anything else,
 * a typo included, starts nothing: an executable named by --pwsh or DDA_PWSH only runs for a command
 * that would run it anyway.
 */
export const HOST_COMMANDS: readonly string[] = [
  'inventory',
  'plan',
  'assign',
  'revert',
  'move',
  'repair',
  'return-orphans',
  'enable-device',
  'fit-vm',
  'start',
  'recover',
  'doctor',
  'host capture',
  'hosts test',
];

/** The value of --pwsh in argv (`--pwsh X` or `--pwsh=X`), or undefined. */
function pwshOption(argv: string[]): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return undefined;
    if (a === '--pwsh') return argv[i + 1];
    if (a.startsWith('--pwsh=')) return a.slice('--pwsh='.length);
  }
  return undefined;
}

/** Starts PowerShell for `dda <argv>` when the command will open a host; never throws. */
export function prestartFor(argv: string[]): void {
  const [command, sub] = argv;
  const opensHost = HOST_COMMANDS.includes(command ?? '') || HOST_COMMANDS.includes(`${command} ${sub}`);
  if (!opensHost || argv.includes('--help') || argv.includes('-h')) return;
  try {
    const found = findPowerShell({ setting: pwshOption(argv) ?? null });
    if (found) prestartPowerShell(found.path);
  } catch {
    // the command finds PowerShell again and reports what is wrong
  }
}
