/**
 * The reconcile fixes: planned (pure) with their undo and the device-class warnings, then run on the
 * simulated after-reboot host, where a failing step rolls everything back and the list empties as each
 * fix lands. Real pwsh + simulator, one session.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Inventory } from '../../shared/inventory';
import type { Intent, PlanChoices } from '../../shared/plan';
import { createSimState } from '../simulator/profiles';
import { fileAssignmentStore } from './assignment-store';
import { readHost } from './inventory-service';
import { Journal } from './journal';
import { fileMeasurementStore } from './measurement-store';
import { Operations } from './operations';
import { planOperation } from './planner';
import { readReconciledInventory } from './reconcile-service';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { comparableState, readState, sharedHost } from '../../testing/test-support';

const none: PlanChoices = { consents: [], startVmAfter: false };
const OLD = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const NEW = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const stale = (p: string) => ({
  locationPath: p,
  instanceId: '',
  name: 'PCI Express Device',
  stale: true,
  duplicate: false,
});
const held = (p: string) => ({ locationPath: p, instanceId: 'PCIP\\x', name: 'x', stale: false, duplicate: false });
const plan = (intent: Intent, inv: Inventory, choices = none) =>
  planOperation(intent, inv, choices, { planId: 'p1', now: '2026-11-30T09:00:00.000Z' });

describe('planning the fixes (pure)', () => {
  it('re-point: all direct entries out, the valid ones back once, the moved card taken from the host and added; every step has its undo', () => {
    const keep = testDevice('PCIROOT(0)#PCI(1B00)#PCI(0000)', { owner: { kind: 'vm', vmName: 'R' } });
    const gpu = testDevice(NEW, { pnpClass: 'Display', facts: { ...testDevice(NEW).facts, baseClass: 3 } });
    const vm = testVm('R', { state: 'Running', assignedDevices: [stale(OLD), held(keep.locationPath!)] });
    const p = plan(
      { kind: 'repoint', vmName: 'R', moves: [{ fromPath: OLD, toPath: NEW }] },
      testInventory([keep, gpu], [vm]),
      { consents: ['turn-off-vm'], startVmAfter: true },
    );
    expect(p.blocked).toBeNull();
    expect(p.steps.map((s) => s.kind)).toEqual([
      'stop-vm',
      'remove-all-devices',
      'add-device',
      'disable-device',
      'dismount-device',
      'set-vm-stop-action',
      'set-vm-cache-types',
      'set-vm-mmio',
      'add-device',
      'start-vm',
    ]);
    expect(p.steps.filter((s) => s.kind === 'add-device').map((s) => s.action.params.LocationPath)).toEqual([
      keep.locationPath,
      NEW,
    ]);
    expect(p.steps.find((s) => s.kind === 'remove-all-devices')!.undo).toMatchObject({
      script: 'op-add-devices',
      params: { LocationPaths: [keep.locationPath] },
    });
    expect(p.steps.every((s) => s.undo !== null)).toBe(true);
    expect(p.warnings.map((w) => w.code)).toContain('flr-unknown');
  });

  it('re-point refuses what is not a stale entry or a free card', () => {
    const vm = testVm('R', { assignedDevices: [held(OLD)] });
    expect(
      plan(
        { kind: 'repoint', vmName: 'R', moves: [{ fromPath: OLD, toPath: NEW }] },
        testInventory([testDevice(OLD), testDevice(NEW)], [vm]),
      ).blocked?.code,
    ).toBe('not-stale');
    const vm2 = testVm('R', { assignedDevices: [stale(OLD)] });
    const taken = testDevice(NEW, { owner: { kind: 'vm', vmName: 'X' } });
    expect(
      plan({ kind: 'repoint', vmName: 'R', moves: [{ fromPath: OLD, toPath: NEW }] }, testInventory([taken], [vm2]))
        .blocked?.code,
    ).toBe('held-elsewhere');
  });

  it('enable-device enables the PCI\\ id (undo: disable); fit-vm raises MMIO and sets TurnOff as an assignment would', () => {
    const off = testDevice(NEW, { enabled: false });
    const e = plan({ kind: 'enable-device', locationPath: NEW }, testInventory([off], []));
    expect(e.steps).toMatchObject([
      { kind: 'enable-device', action: { script: 'op-enable-device' }, undo: { script: 'op-disable-device' } },
    ]);
    expect(plan({ kind: 'enable-device', locationPath: NEW }, testInventory([testDevice(NEW)], [])).blocked?.code).toBe(
      'enabled',
    );
    const gpu = testDevice(NEW, { mmioMB: 16 * 1024, mmioLowMB: 0, owner: { kind: 'vm', vmName: 'V' } });
    const f = plan(
      { kind: 'fit-vm', vmName: 'V' },
      testInventory([gpu], [testVm('V', { assignedDevices: [held(NEW)] })]),
    );
    expect(f.steps.map((s) => s.kind)).toEqual(['set-vm-stop-action', 'set-vm-cache-types', 'set-vm-mmio']);
    expect(f.steps[2]!.action.params.HighMemoryMappedIoSpace).toBe((16 * 1024 + 512) * 1024 * 1024);
    expect(plan({ kind: 'fit-vm', vmName: 'V' }, testInventory([testDevice(NEW)], [testVm('V')])).blocked?.code).toBe(
      'nothing-to-fit',
    );
  });

  it('device-class warnings before the drop: storage controller goes whole, USB with GPU-P, integrated GPU', () => {
    const vm = testVm('V');
    const codes = (d: ReturnType<typeof testDevice>) =>
      plan({ kind: 'assign', locationPath: d.locationPath!, vmName: 'V' }, testInventory([d], [vm])).warnings.map(
        (w) => w.code,
      );
    expect(codes(testDevice('PCIROOT(0)#PCI(1B00)#PCI(0000)', { pnpClass: 'SCSIAdapter' }))).toContain(
      'controller-not-disk',
    );
    expect(codes(testDevice('PCIROOT(0)#PCI(1400)', { pnpClass: 'USB' }))).toEqual(
      expect.arrayContaining(['usb-with-gpu-p', 'flr-unknown']),
    );
    const igpu = testDevice('PCIROOT(0)#PCI(0200)', {
      pnpClass: 'Display',
      facts: { ...testDevice('x').facts, deviceType: 4, baseClass: 3 },
    });
    expect(codes(igpu)).toContain('integrated-gpu');
    expect(codes(testDevice('PCIROOT(0)#PCI(0100)#PCI(0000)'))).not.toContain('flr-unknown');
  });
});

describe('the fixes on the simulated after-reboot host', () => {
  const shared = sharedHost();
  afterAll(() => shared.host.close());
  const runner = shared.host.runner;

  async function host() {
    const state = createSimState('after-reboot', join(mkdtempSync(join(tmpdir(), 'dda-reconcile-')), 'state.json'));
    await shared.use(state);
    const data = `${state}.data`;
    const memory = fileMeasurementStore(join(data, 'measurements.json'));
    const read = () => readReconciledInventory(() => readHost(runner, { memory }), fileAssignmentStore(data));
    return {
      state,
      read,
      ops: new Operations({
        runner,
        journal: new Journal(mkdtempSync(join(tmpdir(), 'dda-journal-'))),
        readInventory: read,
      }),
    };
  }
  async function run(ops: Operations, intent: Intent, choices = none) {
    const p = await ops.plan(intent, choices);
    expect(p.blocked).toBeNull();
    const r = await ops.run(p.id);
    if (!r.ok) throw new Error(r.error.message);
    return r.value;
  }

  it('lists every change, and each fix empties the list', async () => {
    const h = await host();
    const inv = await h.read();
    expect((inv.reconcile ?? []).map((i) => `${i.kind}:${i.vmName ?? i.locationPath}`)).toEqual([
      'moved:GPU-Render',
      'moved:GPU-Render',
      'gone:Storage-Gw',
      'orphan:Old-Build-VM',
      'disabled:PCIROOT(0)#PCI(0200)#PCI(0001)',
      'vm-settings:Vision-01',
      'start-failure:GPU-Render',
      'start-failure:Vision-01',
    ]);
    for (const item of inv.reconcile!.filter(
      (i, n, all) => i.fix && all.findIndex((x) => JSON.stringify(x.fix) === JSON.stringify(i.fix)) === n,
    ))
      expect((await run(h.ops, item.fix!)).status).toBe('succeeded');
    const after = await h.read();
    expect(after.reconcile).toEqual([]);
    expect(
      after.vms.find((v) => v.name === 'GPU-Render')!.assignedDevices.map((a) => [a.locationPath, a.stale]),
    ).toEqual([
      [NEW, false],
      ['PCIROOT(0)#PCI(0300)#PCI(0001)', false],
    ]);
    // Started now, the VMs the failures were about come up: the fixes were the right ones.
    for (const vm of ['GPU-Render', 'Vision-01']) {
      const r = await runner.invoke('op-start-vm', { VmId: after.vms.find((v) => v.name === vm)!.id });
      expect(r.ok).toBe(true);
    }
  }, 240_000);

  it('a re-point whose last add fails is rolled back: the host is as before, less the stale entries no undo can add back', async () => {
    const h = await host();
    // PowerShell's ConvertFrom-Json re-spells ISO times on the simulator's first write: compare the host, not
    // what DDA Studio had recorded (ddaStudioData) or the log's time format (no event is added here).
    const hostOnly = () => ({ ...(comparableState(h.state) as object), ddaStudioData: null, events: null });
    const before = hostOnly();
    const inv = await h.read();
    const s = readState(h.state);
    s.faults = [
      { cmdlet: 'Add-VMAssignableDevice', match: 'PCIROOT(0)#PCI(0300)#PCI(0001)', message: 'injected', times: 1 },
    ];
    (await import('node:fs')).writeFileSync(h.state, JSON.stringify(s));
    const out = await run(h.ops, inv.reconcile!.find((i) => i.kind === 'moved')!.fix!);
    expect(out.status).toBe('rolled-back');
    // Everything is put back except the stale entries themselves: a path no device has cannot be added
    // again (Add-VMAssignableDevice needs a dismounted device), so the undo of the removal adds back only
    // the valid entries, as repair's does. The VM is left without its stale entries, the cards on the host.
    const expected = structuredClone(before) as unknown as { vms: Array<{ name: string; assignedDevices: string[] }> };
    expected.vms.find((v) => v.name === 'GPU-Render')!.assignedDevices = [];
    expect(hostOnly()).toEqual(expected);
  }, 120_000);

  it('Start-VM with a too-small MMIO gap fails with 0x800705AA, is logged, and is decoded with the size needed', async () => {
    const h = await host();
    const vm = (await h.read()).vms.find((v) => v.name === 'Vision-01')!;
    const r = await runner.invoke('op-start-vm', { VmId: vm.id });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain('(0x800705AA)');
    // The device's power-on failure with its code, then the VM's own "failed to start" line without one;
    // the decoder tells the attempt by the first.
    const events = readState(h.state) as unknown as { events: Array<{ data: unknown[] }> };
    expect(events.events.slice(-2).map((e) => e.data)).toEqual([
      ['Vision-01', vm.id, -2147023446],
      ['Vision-01', vm.id],
    ]);
    const decoded = (await h.read()).vms.find((v) => v.name === 'Vision-01')!.lastStartFailure!;
    expect(decoded).toMatchObject({
      cause: 'mmio-too-small',
      hresult: '0x800705AA',
      fixIntent: { kind: 'fit-vm', vmName: 'Vision-01' },
    });
    expect(decoded.explanation.en).toContain('16,896 MB high');
  }, 120_000);

  it("the start failures come in the inventory's one round trip; an unreadable log is a note, never a failed read", async () => {
    const h = await host();
    const fs = await import('node:fs');
    const withFault = (fault: Record<string, unknown>) => {
      const s = readState(h.state) as unknown as { faults: unknown[] };
      s.faults = [{ cmdlet: 'Get-WinEvent', message: 'Zugriff verweigert', ...fault }];
      fs.writeFileSync(h.state, JSON.stringify(s));
    };
    const note = 'The Hyper-V-Worker-Admin event log could not be read: VM start failures are not shown.';
    // A read that fails (in German): the log is unreadable, the rest of the inventory stands. Get-WinEvent
    // names such an error by the exception's own, localized, text (GetWinEventCommand.ReadEvents).
    withFault({ fullyQualifiedErrorId: 'Zugriff verweigert,Microsoft.PowerShell.Commands.GetWinEventCommand' });
    const denied = await h.read();
    expect(denied.notes).toContain(note);
    expect(denied.vms.every((v) => !v.lastStartFailure)).toBe(true);
    expect(denied.devices.length).toBeGreaterThan(0);
    // No event at all is told apart by its id, not its text: readable and empty.
    withFault({ fullyQualifiedErrorId: 'NoMatchingEventsFound,Microsoft.PowerShell.Commands.GetWinEventCommand' });
    const empty = await h.read();
    expect(empty.notes).not.toContain(note);
  }, 120_000);
});
