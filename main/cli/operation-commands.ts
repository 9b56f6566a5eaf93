/** The operation commands of `dda`: plan, assign, revert, move, repair, return-orphans, enable-device, fit-vm, start, recover. */
import { writeFileSync } from 'node:fs';
import {
  consentIds,
  planIsRunnable,
  type ConsentId,
  type Intent,
  type OperationOutcome,
  type Plan,
  type PlanChoices,
} from '../../shared/plan';
import { exitCodeOf } from '../api/error-codes';
import { hostServices } from '../host/host-services';
import { reconciledIntent } from '../host/reconcile-fix';
import { untrustedReason } from '../host/recovery-checks';
import { hostOptions, jsonText, parseCommand, UsageError, type Io } from './args';
import { ps1FileText } from '../../shared/ps-literal';
import { withHost } from './cli-host';

/** One --<consent-id> flag per consent a plan can ask for. */
const consentOptions = Object.fromEntries(consentIds.map((id) => [id, { type: 'boolean', default: false }])) as {
  [K in ConsentId]: { type: 'boolean'; default: false };
};

const opOptions = {
  ...hostOptions,
  ...consentOptions,
  device: { type: 'string' },
  vm: { type: 'string' },
  to: { type: 'string' },
  yes: { type: 'boolean', default: false },
  'start-vm-after': { type: 'boolean', default: false },
  'include-siblings': { type: 'boolean', default: false },
  script: { type: 'string' },
  finish: { type: 'boolean', default: false },
  rollback: { type: 'boolean', default: false },
  operation: { type: 'string' },
} as const;

type OpValues = ReturnType<typeof parseCommand<typeof opOptions>>['values'];

const need = (v: string | undefined, flag: string): string => {
  if (!v) throw new UsageError(`${flag} is required`);
  return v;
};

/** The intent a command line names. */
export function intentFrom(kind: string, v: OpValues): Intent {
  switch (kind) {
    case 'assign':
      return {
        kind,
        locationPath: need(v.device, '--device'),
        vmName: need(v.vm, '--vm'),
        ...(v['include-siblings'] ? { includeSiblings: true } : {}),
      };
    case 'revert':
      return { kind, locationPath: need(v.device, '--device') };
    case 'move':
      return { kind, locationPath: need(v.device, '--device'), toVm: need(v.to, '--to') };
    case 'repair':
      return { kind, vmName: need(v.vm, '--vm') };
    case 'return-orphans':
      return { kind };
    case 'enable-device':
      return { kind, locationPath: need(v.device, '--device') };
    case 'fit-vm':
    case 'start-vm':
      return { kind, vmName: need(v.vm, '--vm') };
    default:
      throw new UsageError(`Unknown operation: ${kind}`);
  }
}

function choicesFrom(v: OpValues): PlanChoices {
  return { consents: consentIds.filter((id) => v[id]), startVmAfter: v['start-vm-after'] };
}

/** The plan as text for a terminal. */
export function formatPlan(plan: Plan): string {
  const out = [`Plan: ${plan.title.en}  (host ${plan.computerName})`];
  if (plan.blocked) out.push(`REFUSED: ${plan.blocked.text.en}`);
  for (const w of plan.warnings)
    out.push(`  ${w.severity === 'danger' ? '!!' : w.severity === 'warning' ? '! ' : '- '} ${w.text.en}`);
  plan.steps.forEach((s, i) => out.push(`  ${i + 1}. ${s.description.en}`, `       ${s.action.command}`));
  for (const c of plan.consents) out.push(`  [${c.given ? 'x' : ' '}] --${c.id}: ${c.text.en}`);
  if (plan.offersStartVmAfter && !plan.choices.startVmAfter)
    out.push('  (add --start-vm-after to start the VM again at the end)');
  return out.join('\n');
}

function formatOutcome(plan: Plan, o: OperationOutcome): string {
  const out = [`${o.status.toUpperCase()}: ${plan.title.en}`];
  for (const r of o.steps) {
    const s = plan.steps.find((x) => x.id === r.stepId);
    out.push(
      `  ${r.state.padEnd(11)} ${s?.description.en ?? r.stepId}${r.durationMs !== undefined ? ` (${Math.round(r.durationMs)} ms)` : ''}`,
    );
  }
  if (o.error)
    out.push(
      `  error: ${o.error.message}${o.error.fullyQualifiedErrorId ? ` [${o.error.fullyQualifiedErrorId}]` : ''}`,
    );
  if (o.error?.kind === 'needs-mitigation-consent')
    out.push(
      '  The host refused the dismount with its mitigation check on (usually: no vendor mitigation driver; its message above says): run again with --skip-device-mitigations if you accept the risk. If the message names another cause, dropping the check will not help.',
    );
  return out.join('\n');
}

function exitFor(plan: Plan): number | null {
  if (plan.blocked) return 2;
  if (!planIsRunnable(plan)) return 2;
  return null;
}

async function planCommand(argv: string[], io: Io): Promise<number> {
  const [kind, ...rest] = argv;
  if (!kind)
    throw new UsageError(
      'Usage: dda plan <assign|revert|move|repair|return-orphans|enable-device|fit-vm|start-vm> [options]',
    );
  const { values } = parseCommand(rest, opOptions);
  const intent = intentFrom(kind, values);
  return withHost(values, io, async (host) => {
    const services = hostServices(host);
    // repair re-points the entries of cards the reconcile list found at a new slot (issue 18).
    const plan = await services.operations.plan(
      reconciledIntent(intent, await services.readInventory()),
      choicesFrom(values),
    );
    if (values.script) writeFileSync(values.script, ps1FileText(plan.script));
    io.out(values.json ? jsonText(plan) : formatPlan(plan));
    return exitFor(plan) ?? 0;
  });
}

function runCommand(kind: string) {
  return async (argv: string[], io: Io): Promise<number> => {
    const { values } = parseCommand(argv, opOptions);
    const intent = intentFrom(kind, values);
    return withHost(values, io, async (host) => {
      const { operations, readInventory } = hostServices(host);
      const plan = await operations.plan(
        intent.kind === 'repair' ? reconciledIntent(intent, await readInventory()) : intent,
        choicesFrom(values),
      );
      const refused = exitFor(plan);
      if (refused !== null || !values.yes) {
        io.out(values.json ? jsonText(plan) : formatPlan(plan));
        if (refused === null) io.err('Nothing was changed: add --yes to run this plan.');
        else if (!plan.blocked)
          io.err(
            `Nothing was changed: this plan needs ${plan.consents
              .filter((c) => !c.given)
              .map((c) => `--${c.id}`)
              .join(' ')}.`,
          );
        return 2;
      }
      const r = await operations.run(plan.id);
      if (!r.ok) return (io.err(`dda: ${r.error.message}`), exitCodeOf(r.error.code));
      io.out(values.json ? jsonText(r.value) : formatOutcome(plan, r.value));
      return r.value.status === 'succeeded' ? 0 : 1;
    });
  };
}

async function recoverCommand(argv: string[], io: Io): Promise<number> {
  const { values } = parseCommand(argv, opOptions);
  if (values.finish && values.rollback) throw new UsageError('Choose one of --finish and --rollback');
  return withHost(values, io, async (host) => {
    const { operations, journal, readInventory } = hostServices(host);
    // Lines that are not valid records are shown, never run (a torn last line is not listed).
    for (const r of journal.rejected())
      io.err(
        `Journal line ${r.line}${r.op ? ` (operation ${r.op})` : ''} is not a valid record and is ignored: ${r.reason}`,
      );
    const unfinished = () => operations.unfinished().filter((o) => !values.operation || o.op === values.operation);
    if (unfinished().length === 0) return (io.out('No unfinished operation.'), 0);
    if (!values.finish && !values.rollback) {
      // Another computer's (a roaming data folder) is said too: the host's name is read for it.
      const here = await readInventory()
        .then((i) => i.host.computerName)
        .catch(() => '');
      // Read after the host: one that ended during that read is not listed.
      const listed = operations.unfinishedNow().filter((o) => !values.operation || o.record.op === values.operation);
      if (listed.length === 0) return (io.out('No unfinished operation.'), 0);
      let recoverable = 0;
      for (const { record: o, running } of listed) {
        const untrusted = untrustedReason(o, here);
        if (!untrusted && !running) recoverable++;
        io.out(
          `Unfinished: ${o.op}  ${o.plan.title.en}  started ${o.startedAt}, ${o.done.length}/${o.plan.steps.length} steps done${o.inFlight ? `, step ${o.inFlight} in flight` : ''}${untrusted ? `  (NOT TRUSTED: ${untrusted}; it will not be run)` : running ? `  (RUNNING NOW: ${running})` : ''}`,
        );
      }
      io.err(
        recoverable > 0
          ? 'Run dda recover --rollback (undo what was done) or --finish (run the rest).'
          : 'Nothing to recover now: wait for a running operation to end (it is recovered only if it stops half-way).',
      );
      return 2;
    }
    const pending = unfinished();
    let code = 0;
    for (const o of pending) {
      const r = await operations.recover(o.op, values.finish ? 'finish' : 'rollback');
      // One operation refused (untrusted, another computer's, running now) leaves the others to recover.
      if (!r.ok) {
        io.err(`dda: ${r.error.message}`);
        code = 1;
        continue;
      }
      io.out(values.json ? jsonText(r.value) : formatOutcome(o.plan, r.value));
      if (r.value.status !== 'succeeded' && !(values.rollback && r.value.status === 'rolled-back')) code = 1;
    }
    return code;
  });
}

export const operationCommands: Record<string, (argv: string[], io: Io) => Promise<number>> = {
  plan: planCommand,
  assign: runCommand('assign'),
  revert: runCommand('revert'),
  move: runCommand('move'),
  repair: runCommand('repair'),
  'return-orphans': runCommand('return-orphans'),
  'enable-device': runCommand('enable-device'),
  'fit-vm': runCommand('fit-vm'),
  start: runCommand('start-vm'),
  recover: recoverCommand,
};
