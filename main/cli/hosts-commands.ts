/** `dda hosts add|list|test|remove|prepare`: the remote Hyper-V hosts of a data folder. */
import { resolve } from 'node:path';
import {
  describeTarget,
  JEA_CONFIGURATION_NAME,
  JEA_SSH_SUBSYSTEM,
  LOCAL_HOST_ID,
  type RemoteTargetInput,
} from '../../shared/hosts';
import { hostSetupKindSchema, type HostSetup, type HostSetupKind } from '../../shared/prepare-host';
import { prepareHost, recommendedSetupKinds, setupKindsFor } from '../hosts/prepare-host';
import { InventoryError, readInventory } from '../host/inventory-service';
import { clientSituation } from '../hosts/client-situation';
import { HostUnreachableError, testHostConnection, type HostTestOutcome } from '../hosts/host-test';
import { buildJeaModule } from '../hosts/jea-module';
import { remoteHostDataDir } from '../hosts/host-registry';
import { intOption, jsonText, parseCommand, UsageError, type Io } from './args';
import { baseDataDir, registryOf, targetOf, withHost } from './cli-host';
import { formatTable } from './inventory-table';

export const hostsUsage = `Usage: dda hosts <command>

  add <id> --ssh <hostname> [--port N] [--user U] [--key FILE] [--known-hosts FILE] [--subsystem NAME]
  add <id> --winrm <computer> [--port N] [--ssl] [--skip-cert-checks] [--auth Default|Kerberos|Negotiate]
           [--user U] [--configuration-name NAME]
           either with [--jea] [--name "display name"] [--connect-timeout MS]
  list [--json]                     the remote hosts (and this machine, "local")
  test <id> [--password-stdin] [--json]   connect, read the inventory, show what the host is
                                    (--json: the app's HostTestResult; "local" also takes --simulate, --sim-state)
  remove <id>                       forget a host (its journal stays in <data>/hosts/<id>)
  prepare <id> [--kind domain|workgroup-https|workgroup-trustedhosts|ssh|jea]
                                    the exact commands to run on the host and here
  jea-module <folder>               write the DDAStudio.Host module (copy it to the host for --jea)

Every hosts command takes --data-dir <dir> (default: the app's data folder).`;

const common = {
  'data-dir': { type: 'string' },
  json: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

const addOptions = {
  ...common,
  ssh: { type: 'string' },
  winrm: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  key: { type: 'string' },
  'known-hosts': { type: 'string' },
  subsystem: { type: 'string' },
  ssl: { type: 'boolean', default: false },
  'skip-cert-checks': { type: 'boolean', default: false },
  auth: { type: 'string' },
  'configuration-name': { type: 'string' },
  jea: { type: 'boolean', default: false },
  name: { type: 'string' },
  'connect-timeout': { type: 'string' },
} as const;

const SSH_ONLY = ['key', 'known-hosts', 'subsystem'] as const;
const WINRM_ONLY = ['ssl', 'skip-cert-checks', 'auth', 'configuration-name'] as const;

/** The one positional <id> of a hosts subcommand. */
function idOf(positionals: string[], sub: string): string {
  const id = positionals[0];
  if (!id) throw new UsageError(`Usage: dda hosts ${sub} <id>`);
  return id;
}

type AddValues = ReturnType<typeof parseCommand<typeof addOptions>>['values'];

/** The target a `hosts add` command line describes (not yet validated: the registry does that). */
export function targetFromArgs(id: string, v: AddValues): RemoteTargetInput {
  if ((v.ssh === undefined) === (v.winrm === undefined))
    throw new UsageError('hosts add needs exactly one of --ssh <hostname> and --winrm <computer>');
  const transport = v.ssh !== undefined ? 'ssh' : 'winrm';
  const foreign = transport === 'ssh' ? WINRM_ONLY : SSH_ONLY;
  for (const flag of foreign) {
    if (v[flag] !== undefined && v[flag] !== false)
      throw new UsageError(`--${flag} applies to ${transport === 'ssh' ? '--winrm' : '--ssh'} hosts only`);
  }
  if (v['skip-cert-checks'] && !v.ssl) throw new UsageError('--skip-cert-checks applies to HTTPS (--ssl) only');
  const common = {
    id,
    name: v.name ?? id,
    endpoint: v.jea ? ('jea' as const) : ('full' as const),
    ...(v['connect-timeout'] !== undefined
      ? { connectTimeoutMs: intOption(v['connect-timeout'], '--connect-timeout') }
      : {}),
    ...(v.port !== undefined ? { port: intOption(v.port, '--port') } : {}),
    ...(v.user !== undefined ? { userName: v.user } : {}),
  };
  if (transport === 'ssh') {
    return {
      ...common,
      transport,
      hostName: v.ssh as string,
      // Files are remembered as absolute paths: later commands run from other folders.
      ...(v.key !== undefined ? { keyFilePath: resolve(v.key) } : {}),
      ...(v['known-hosts'] !== undefined ? { knownHostsFile: resolve(v['known-hosts']) } : {}),
      ...(v.subsystem !== undefined ? { subsystem: v.subsystem } : v.jea ? { subsystem: JEA_SSH_SUBSYSTEM } : {}),
    } as RemoteTargetInput;
  }
  return {
    ...common,
    transport,
    computerName: v.winrm as string,
    useSsl: v.ssl,
    skipCertificateChecks: v['skip-cert-checks'],
    ...(v.auth !== undefined ? { authentication: v.auth } : {}),
    ...(v['configuration-name'] !== undefined
      ? { configurationName: v['configuration-name'] }
      : v.jea
        ? { configurationName: JEA_CONFIGURATION_NAME }
        : {}),
  } as RemoteTargetInput;
}

function addCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseCommand(argv, addOptions, 1);
  if (values.help) return (io.out(hostsUsage), 0);
  const id = idOf(positionals, 'add');
  if (id === LOCAL_HOST_ID) throw new UsageError(`"${LOCAL_HOST_ID}" is this machine and cannot be added`);
  const registry = registryOf(values);
  const existed = registry.get(id) !== null;
  const target = registry.put(targetFromArgs(id, values));
  if (values.json) return (io.out(jsonText(target)), 0);
  io.out(`${existed ? 'Updated' : 'Added'} ${target.id}: ${describeTarget(target)}`);
  io.out(
    `Next: "dda hosts prepare ${target.id}" prints the setup commands, "dda hosts test ${target.id}" checks the connection.`,
  );
  return 0;
}

function listCommand(argv: string[], io: Io): number {
  const { values } = parseCommand(argv, common);
  if (values.help) return (io.out(hostsUsage), 0);
  const hosts = registryOf(values).list();
  if (values.json) return (io.out(jsonText(hosts)), 0);
  const rows = [
    [LOCAL_HOST_ID, 'This machine', 'local', 'full'],
    ...hosts.map((h) => [h.id, h.name, describeTarget(h), h.endpoint]),
  ];
  io.out(formatTable(['ID', 'NAME', 'TARGET', 'ENDPOINT'], rows));
  return 0;
}

function removeCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseCommand(argv, common, 1);
  if (values.help) return (io.out(hostsUsage), 0);
  const id = idOf(positionals, 'remove');
  if (id === LOCAL_HOST_ID) throw new UsageError(`"${LOCAL_HOST_ID}" is this machine and cannot be removed`);
  if (!registryOf(values).remove(id)) throw new UsageError(`No host "${id}": "dda hosts list" shows the hosts`);
  io.secrets?.delete(id);
  io.out(`Removed ${id}. Its journal and measurements stay in ${remoteHostDataDir(baseDataDir(values), id)}.`);
  return 0;
}

/** A setup as text for a terminal. */
export function formatSetup(setup: HostSetup): string {
  const first = setup.clientCommandsFirst ?? [];
  const out = [`== ${setup.title.en} (--kind ${setup.kind})`, ''];
  if (first.length) out.push('First, on this machine (PowerShell):', ...first.map((c) => `  ${c}`), '');
  out.push('On the host (elevated PowerShell):', ...setup.hostCommands.map((c) => `  ${c}`));
  out.push(
    '',
    first.length ? 'Then, on this machine (same window):' : 'On this machine (PowerShell):',
    ...setup.clientCommands.map((c) => `  ${c}`),
    '',
  );
  for (const n of setup.notes) out.push(`- ${n.en}`);
  return out.join('\n');
}

function prepareCommand(argv: string[], io: Io): number {
  const { values, positionals } = parseCommand(argv, { ...common, kind: { type: 'string' } }, 1);
  if (values.help) return (io.out(hostsUsage), 0);
  const id = idOf(positionals, 'prepare');
  if (id === LOCAL_HOST_ID) throw new UsageError('"local" is this machine: it needs no remoting setup');
  const target = targetOf(values, id);
  let kinds: HostSetupKind[];
  if (values.kind !== undefined) {
    const k = hostSetupKindSchema.safeParse(values.kind);
    if (!k.success) throw new UsageError(`--kind is one of ${hostSetupKindSchema.options.join(', ')}`);
    if (!setupKindsFor(target).includes(k.data))
      throw new UsageError(
        `--kind ${k.data} does not apply to a ${target.transport} host; choose one of ${setupKindsFor(target).join(', ')}`,
      );
    kinds = [k.data];
  } else {
    kinds = recommendedSetupKinds(target);
  }
  const setups = prepareHost(target, clientSituation(target), kinds);
  if (values.json) return (io.out(jsonText(setups)), 0);
  io.out(`Preparing ${target.id}: ${describeTarget(target)}\n`);
  io.out(setups.map(formatSetup).join('\n\n'));
  const others = setupKindsFor(target).filter((k) => !kinds.includes(k));
  if (others.length > 0) io.out(`\nOther setups for this host: ${others.map((k) => `--kind ${k}`).join(', ')}`);
  return 0;
}

const yesNo = (b: boolean | null) => (b === null ? 'unknown' : b ? 'yes' : 'no');

async function testCommand(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(
    argv,
    {
      ...common,
      pwsh: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
      simulate: { type: 'string' },
      'sim-state': { type: 'string' },
    },
    1,
  );
  if (values.help) return (io.out(hostsUsage), 0);
  const id = idOf(positionals, 'test');
  const label = id === LOCAL_HOST_ID ? 'this machine' : `${id} (${describeTarget(targetOf(values, id))})`;
  return withHost({ ...values, host: id }, io, async (host) => {
    // The same test as the app's "Test connection" (hosts/host-test.ts); --json prints its HostTestResult.
    let outcome: HostTestOutcome;
    try {
      outcome = await testHostConnection({ id, target: host.remote, runner: host.runner }, () =>
        readInventory(host.runner, { memory: host.measurements }),
      );
    } catch (e) {
      if (!(e instanceof InventoryError)) throw e;
      io.err(`dda: could not reach ${label}: ${e instanceof HostUnreachableError ? e.reason : e.message}`);
      return 1;
    }
    const { result, inventory: inv } = outcome;
    if (values.json) return (io.out(jsonText(result)), 0);
    const h = inv.host;
    io.out(`${label}: connected in ${result.connectMs ?? result.roundTripMs} ms`);
    io.out(
      formatTable(
        ['', ''],
        [
          ['PowerShell', `${h.psEdition} ${h.psVersion}`],
          ['Computer', h.computerName],
          ['OS', h.osCaption ?? 'unknown'],
          ['Hyper-V', h.hyperVPresent ? 'present' : 'not present'],
          ['Elevated', yesNo(h.elevated)],
          [
            'IOMMU (IovSupport)',
            `${yesNo(h.iovSupport)}${h.iovSupportReasons.length ? ` (${h.iovSupportReasons.join('; ')})` : ''}`,
          ],
          ['Host', h.simulated ? 'simulated' : 'real'],
          ['Inventory', `${result.devices} devices, ${result.vms} VMs in ${result.roundTripMs} ms`],
        ],
      )
        .split('\n')
        .slice(2)
        .map((l) => `  ${l}`)
        .join('\n'),
    );
    return 0;
  });
}

/** Runs `dda hosts <sub> ...`. */
export async function hostsCommand(argv: string[], io: Io): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'add':
      return addCommand(rest, io);
    case 'list':
      return listCommand(rest, io);
    case 'remove':
      return removeCommand(rest, io);
    case 'jea-module': {
      const { positionals, values } = parseCommand(rest, { help: { type: 'boolean', short: 'h', default: false } }, 1);
      if (values.help) return (io.out(hostsUsage), 0);
      if (!positionals[0]) throw new UsageError('Usage: dda hosts jea-module <folder>');
      const dir = buildJeaModule(resolve(positionals[0]));
      io.out(
        `Wrote ${dir}. Copy it to the Hyper-V host and run its Register-DDAStudioEndpoint.ps1 from an elevated PowerShell ("dda hosts prepare <id> --kind jea" shows the commands).`,
      );
      return 0;
    }
    case 'prepare':
      return prepareCommand(rest, io);
    case 'test':
      return testCommand(rest, io);
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(hostsUsage);
      return sub === undefined ? 3 : 0;
    default:
      throw new UsageError(`Unknown hosts command: ${sub}\n\n${hostsUsage}`);
  }
}
