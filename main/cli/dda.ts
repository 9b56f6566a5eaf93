/**
 * `dda`: the command line of DDA Studio. Exit codes: 0 done, 1 failed (rolled back where it applies),
 * 2 refused (needs consent, not allowed, or the host is not ready), 3 bad arguments.
 */
import { consentIds } from '../../shared/plan';
import { readHost } from '../host/inventory-service';
import { errorCodeOf, EXIT, exitCodeOf } from '../api/error-codes';
import { fileAssignmentStore } from '../host/assignment-store';
import { readReconciledInventory } from '../host/reconcile-service';
import { listProfiles, simulatorModulePath } from '../simulator/profiles';
import { hostOptions, jsonText, parseCommand, RefusedError, UsageError, type Io } from './args';
import { withHost } from './cli-host';
import { doctorCommand, hostCommand } from './diagnose-commands';
import { hostsCommand } from './hosts-commands';
import { formatInventory } from './inventory-table';
import { operationCommands } from './operation-commands';
import { compileQuickly } from '../powershell/prestart';

export type { Io } from './args';

export { EXIT };

const processIo: Io = { out: (t) => process.stdout.write(t + '\n'), err: (t) => process.stderr.write(t + '\n') };

const usage = `Usage: dda <command> [options]

Commands:
  inventory                         devices with survey verdicts, VMs, host readiness
  plan <assign|revert|move|repair|return-orphans|enable-device|fit-vm|start-vm> [options]   show the plan, change nothing
  assign --device <location path> --vm <name>
  revert --device <location path>
  move --device <location path> --to <vm>
  repair --vm <name>                re-points entries of moved cards (see inventory's changes), else removes stale ones
  return-orphans
  enable-device --device <location path>   enable a device left disabled on the host
  fit-vm --vm <name>                fit a VM's settings (MMIO, stop action, memory) to the devices it holds
  start --vm <name>                 start a VM that is off
  recover [--finish|--rollback]     finish or roll back an interrupted operation
  hosts <add|list|test|remove|prepare>   remote Hyper-V hosts ("dda hosts help")
  doctor [--lang en|zh-CN]          check, read-only, that the host behaves as DDA Studio expects (0 pass, 1 fail, 2 could not check)
  host capture --out <file> [--anonymize]   write the host as a simulator profile (for a bug report)
  simulator module-path             path of the simulator module (Import-Module it in any pwsh)
  simulator profiles                the shipped simulator profiles

Host options (every command): --host <id> (a host from "dda hosts list"; default local) --password-stdin
  --simulate <profile|file> --sim-state <file> (this machine only) --pwsh <path> --data-dir <dir> --json
Consents: --yes (run without asking) ${consentIds.map((id) => `--${id}`).join(' ')} --start-vm-after
Exit codes: 0 done, 1 failed and rolled back, 2 refused, 3 bad arguments.`;

async function inventoryCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommand(argv, hostOptions);
  if (values.help) return (io.out(usage), EXIT.ok);
  return withHost(values, io, async (host) => {
    // Reconciled like every host open (issue 18): the changes and each VM's last start failure come with it.
    const inv = await readReconciledInventory(
      () => readHost(host.runner, { memory: host.measurements }),
      fileAssignmentStore(host.dataDir),
    );
    io.out(values.json ? jsonText(inv) : formatInventory(inv));
    if (!inv.host.hyperVPresent)
      return (
        io.err(
          `Hyper-V is not available on ${inv.host.computerName}: install the Hyper-V role and its PowerShell module.`,
        ),
        EXIT.refused
      );
    if (!inv.host.elevated)
      return (
        io.err('Not elevated: run dda from an elevated (Administrator) PowerShell to change anything.'),
        EXIT.refused
      );
    return EXIT.ok;
  });
}

function simulatorCommand(argv: string[], io: Io): number {
  const [sub, ...rest] = argv;
  if (rest.length > 0) throw new UsageError(`Unexpected argument: ${rest[0]}`);
  if (sub === 'module-path') return (io.out(simulatorModulePath()), EXIT.ok);
  if (sub === 'profiles') return (io.out(listProfiles().join('\n')), EXIT.ok);
  throw new UsageError('Usage: dda simulator <module-path|profiles>');
}

/** Runs one dda invocation and returns its exit code; never throws. */
export async function main(argv: string[], io: Io = processIo): Promise<number> {
  // One command, one read of the host: its PowerShell compiles quickly (prestart.ts says the trade).
  compileQuickly();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'inventory':
        return await inventoryCommand(rest, io);
      case 'simulator':
        return simulatorCommand(rest, io);
      case 'hosts':
        return await hostsCommand(rest, io);
      case 'doctor':
        return await doctorCommand(rest, io);
      case 'host':
        return await hostCommand(rest, io);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        io.out(usage);
        return command === undefined ? EXIT.usage : EXIT.ok;
      default: {
        const op = operationCommands[command];
        if (op) return await op(rest, io);
        throw new UsageError(`Unknown command: ${command}`);
      }
    }
  } catch (e) {
    if (e instanceof UsageError)
      return (io.err(`dda: ${e.message}\n\n${command === 'hosts' ? 'See "dda hosts help".' : usage}`), EXIT.usage);
    if (e instanceof RefusedError) return (io.err(`dda: ${e.message}`), EXIT.refused);
    // Our own errors mean what the API's error codes say (one table, api/error-codes.ts).
    const code = errorCodeOf(e);
    if (code) return (io.err(`dda: ${(e as Error).message}`), exitCodeOf(code));
    return (io.err(`dda: ${e instanceof Error ? e.message : String(e)}`), EXIT.failed);
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) process.exitCode = await main(process.argv.slice(2));
