/**
 * Planning of the reconcile fixes (issue 18), one function per intent, on the planner's own building
 * blocks (passed in as a kit, so this file adds no import cycle): re-point a VM entry to its moved card,
 * enable a device left disabled on the host, fit a VM's settings to the devices it holds. Each plan is
 * previewed, consented and rolled back like every other (each step has its undo).
 */
import type { Device, Inventory, Vm } from '../../shared/inventory';
import { samePath } from '../../shared/location-path';
import type { Intent, LocalizedText, PlanChoices, PlanWarning, PsAction, StepKind } from '../../shared/plan';
import { vmMisfits } from '../../shared/reconcile';
import { deviceClassWarnings } from './device-class-warnings';
import { vmNotFoundOrAmbiguous } from './planner/intents/not-found';
import { findDevice, findVm } from './planner/lookups';

/** What the plans need of the planner's builder. */
export interface PlanBuilder {
  step(
    kind: StepKind,
    description: LocalizedText,
    action: PsAction,
    undo: PsAction | null,
    replaces?: Record<string, string | number | boolean>,
  ): void;
  warn(code: string, severity: PlanWarning['severity'], text: LocalizedText): void;
  block(code: string, text: LocalizedText): void;
}

/** The planner's building blocks (planner.ts hands them over). */
export interface PlannerKit<B extends PlanBuilder, O> {
  actions: {
    enable(instanceId: string): PsAction;
    disable(instanceId: string): PsAction;
    add(vm: Vm, path: string): PsAction;
    addAll(vm: Vm, paths: string[]): PsAction;
    remove(vm: Vm, path: string | null): PsAction;
  };
  checkCanChange(inv: Inventory, b: B): void;
  checkCanAssign(inv: Inventory, b: B, devices: Device[]): void;
  checkDeviceForVm(inv: Inventory, d: Device, b: B): void;
  checkPool(d: Device, b: B): void;
  checkVmLimits(vm: Vm, b: B): void;
  ensureOff(vm: Vm, b: B, choices: PlanChoices, opts: O): boolean;
  startAgain(vm: Vm, b: B, opts: O): void;
  takeFromHost(d: Device, b: B, choices: PlanChoices, opts: O): void;
  prepareVm(inv: Inventory, vm: Vm, willHold: Device[], b: B): void;
}

export interface ReconcileCtx<B extends PlanBuilder, O> {
  inv: Inventory;
  choices: PlanChoices;
  b: B;
  opts: O;
}

const t = (en: string, zh: string): LocalizedText => ({ en, 'zh-CN': zh });
const one = (s: string) => s.replace(/[\r\n\u0085\u2028\u2029\u0000-\u001F]+/g, ' ');
const q = (s: string) => `'${one(s)}'`;

/** Adds the device-class warnings of giving d to vm (assign, move, re-point). */
export function warnDeviceClass(b: PlanBuilder, d: Device, vm: Vm): void {
  for (const w of deviceClassWarnings(d, vm)) b.warn(w.code, w.severity, w.text);
}

/**
 * Re-point: the VM's stale entries for the old slots go (with every direct entry: Remove-VMAssignableDevice
 * takes a stale entry only with the rest, as repair does), the valid ones come back once, and each moved
 * card at its new slot is taken from the host and added.
 */
export function planRepoint<B extends PlanBuilder, O>(
  c: ReconcileCtx<B, O>,
  k: PlannerKit<B, O>,
  intent: Extract<Intent, { kind: 'repoint' }>,
): LocalizedText {
  const { inv, b } = c;
  const vm = findVm(inv, intent.vmName);
  const where = intent.moves.map((m) => `${one(m.fromPath)} -> ${one(m.toPath)}`).join(', ');
  const title = t(
    `Re-point the device entries of ${one(intent.vmName)} to the moved cards (${where})`,
    `将 ${one(intent.vmName)} 的设备条目改指向移动后的卡（${where}）`,
  );
  if (!vm) return (vmNotFoundOrAmbiguous(b, inv, intent.vmName), title);
  const direct = vm.assignedDevices.filter((a) => !a.resourcePoolName);
  const targets: Device[] = [];
  for (const m of intent.moves) {
    if (!direct.some((a) => a.stale && samePath(a.locationPath, m.fromPath)))
      return (
        b.block(
          'not-stale',
          t(
            `${q(vm.name)} has no stale entry for ${one(m.fromPath)}.`,
            `${q(vm.name)} 没有 ${one(m.fromPath)} 的失效条目。`,
          ),
        ),
        title
      );
    const d = findDevice(inv, m.toPath);
    if (!d)
      return (
        b.block('device-not-found', t(`No device at ${one(m.toPath)}.`, `找不到位于 ${one(m.toPath)} 的设备。`)),
        title
      );
    if (d.owner.kind === 'vm')
      return (
        b.block(
          'held-elsewhere',
          t(
            `${one(d.friendlyName)} at ${one(m.toPath)} is held by ${q(d.owner.vmName)}.`,
            `位于 ${one(m.toPath)} 的 ${one(d.friendlyName)} 已被 ${q(d.owner.vmName)} 持有。`,
          ),
        ),
        title
      );
    if (targets.includes(d))
      return (b.block('same-target', t(`${one(m.toPath)} is named twice.`, `${one(m.toPath)} 被指定了两次。`)), title);
    targets.push(d);
  }
  k.checkCanAssign(inv, b, targets);
  k.checkVmLimits(vm, b);
  for (const d of targets) {
    k.checkPool(d, b);
    k.checkDeviceForVm(inv, d, b);
    warnDeviceClass(b, d, vm);
  }
  const keep: Device[] = [];
  for (const a of direct) {
    const x = a.stale ? undefined : findDevice(inv, a.locationPath);
    if (
      !x ||
      keep.includes(x) ||
      inv.vms.some((o) => o !== vm && o.assignedDevices.some((e) => samePath(e.locationPath, a.locationPath)))
    )
      continue;
    keep.push(x);
  }
  const start = k.ensureOff(vm, b, c.choices, c.opts);
  b.warn(
    'repoint',
    'info',
    t(
      `Every direct entry of ${q(vm.name)} is removed (the only way out for a stale entry), the valid ones are added back once, and each moved card is assigned at its new slot (${where}).`,
      `先移除 ${q(vm.name)} 的全部直接分配条目（失效条目只能这样清除），再把有效设备各添加一次，并在新插槽上分配每张移动过的卡（${where}）。`,
    ),
  );
  const restorable = keep.map((x) => x.locationPath!);
  b.step(
    'remove-all-devices',
    t(
      `Remove every direct device entry of ${q(vm.name)} (the stale ones included)`,
      `移除 ${q(vm.name)} 的全部直接分配条目（包括失效条目）`,
    ),
    k.actions.remove(vm, null),
    restorable.length > 0 ? k.actions.addAll(vm, restorable) : null,
    { entries: direct.length },
  );
  for (const x of keep)
    b.step(
      'add-device',
      t(
        `Add ${one(x.friendlyName)} back to ${q(vm.name)}, once`,
        `将 ${one(x.friendlyName)} 重新添加到 ${q(vm.name)}（只添加一次）`,
      ),
      k.actions.add(vm, x.locationPath!),
      k.actions.remove(vm, x.locationPath!),
      { held: false },
    );
  for (const d of targets) k.takeFromHost(d, b, c.choices, c.opts);
  k.prepareVm(inv, vm, [...keep, ...targets], b);
  for (const d of targets)
    b.step(
      'add-device',
      t(
        `Assign ${one(d.friendlyName)} at ${one(d.locationPath!)} to ${q(vm.name)} (once)`,
        `将位于 ${one(d.locationPath!)} 的 ${one(d.friendlyName)} 直通给 ${q(vm.name)}（只添加一次）`,
      ),
      k.actions.add(vm, d.locationPath!),
      k.actions.remove(vm, d.locationPath!),
      { held: false },
    );
  if (start) k.startAgain(vm, b, c.opts);
  return title;
}

/** Enable a device left disabled on the host (its PCI\ id; undo disables it again). */
export function planEnableDevice<B extends PlanBuilder, O>(
  c: ReconcileCtx<B, O>,
  k: PlannerKit<B, O>,
  intent: Extract<Intent, { kind: 'enable-device' }>,
): LocalizedText {
  const { inv, b } = c;
  const d = findDevice(inv, intent.locationPath);
  if (!d)
    return (
      b.block(
        'device-not-found',
        t(`No device at ${one(intent.locationPath)}.`, `找不到位于 ${one(intent.locationPath)} 的设备。`),
      ),
      t('Enable a device', '启用设备')
    );
  const title = t(`Enable ${one(d.friendlyName)} on the host`, `在宿主机上启用 ${one(d.friendlyName)}`);
  if (d.owner.kind !== 'host')
    return (
      b.block(
        'not-on-host',
        t(
          `${one(d.friendlyName)} is not on the host (it is ${d.owner.kind === 'vm' ? `held by ${q(d.owner.vmName)}` : 'dismounted'}): return it instead.`,
          `${one(d.friendlyName)} 不在宿主机上（${d.owner.kind === 'vm' ? `由 ${q(d.owner.vmName)} 持有` : '已卸除'}）：请改用"还原"。`,
        ),
      ),
      title
    );
  if (d.enabled)
    return (
      b.block('enabled', t(`${one(d.friendlyName)} is already enabled.`, `${one(d.friendlyName)} 已经启用。`)),
      title
    );
  k.checkCanChange(inv, b);
  b.step(
    'enable-device',
    t(`Enable ${one(d.friendlyName)} on the host`, `在宿主机上启用 ${one(d.friendlyName)}`),
    k.actions.enable(d.instanceId),
    k.actions.disable(d.instanceId),
    { enabled: false },
  );
  return title;
}

/** Fit a VM's settings to the devices it holds (stop action, cache types, MMIO, static memory), as an assignment would. */
export function planFitVm<B extends PlanBuilder, O>(
  c: ReconcileCtx<B, O>,
  k: PlannerKit<B, O>,
  intent: Extract<Intent, { kind: 'fit-vm' }>,
): LocalizedText {
  const { inv, b } = c;
  const vm = findVm(inv, intent.vmName);
  const title = t(
    `Fit the settings of ${one(intent.vmName)} to its devices`,
    `调整 ${one(intent.vmName)} 的配置以适合其设备`,
  );
  if (!vm) return (vmNotFoundOrAmbiguous(b, inv, intent.vmName), title);
  const held = vm.assignedDevices
    .filter((a) => !a.resourcePoolName && !a.stale)
    .map((a) => findDevice(inv, a.locationPath))
    .filter((d): d is Device => !!d);
  if (vmMisfits(inv, vm).length === 0)
    return (
      b.block(
        'nothing-to-fit',
        t(`The settings of ${q(vm.name)} fit its devices.`, `${q(vm.name)} 的配置已适合其设备。`),
      ),
      title
    );
  k.checkCanChange(inv, b);
  const start = k.ensureOff(vm, b, c.choices, c.opts);
  k.prepareVm(inv, vm, [...new Set(held)], b);
  if (start) k.startAgain(vm, b, c.opts);
  return title;
}
