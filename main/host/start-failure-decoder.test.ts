/** The start-failure decoder: by code (each with its source), the facts for the upper-MMIO case, unknown codes raw. */
import { describe, expect, it } from 'vitest';
import { decodeStartFailure } from '../../shared/start-failure-decoder';
import { hresultIn, hresultOf, startFailureCodes, type StartFailureEvent } from '../../shared/start-failure';
import { MiB } from '../../shared/mmio';
import { lastAttemptEvent, startFailureOf, startFailuresOf } from './reconcile-service';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';

const GPU = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const held = (p: string) => ({ locationPath: p, instanceId: 'PCIP\\x', name: 'x', stale: false, duplicate: false });
const event = (
  vm: { id: string; name: string },
  hresult: string | null,
  message = 'Der virtuelle Computer konnte nicht gestartet werden.',
): StartFailureEvent => ({
  vmId: vm.id,
  vmName: vm.name,
  at: '2026-11-29T22:16:40Z',
  source: 'event-log',
  eventId: 12010,
  hresult,
  message,
});

describe('the decoder table', () => {
  it('names a source for every code, and each code once', () => {
    for (const c of startFailureCodes) {
      expect(c.hresult).toMatch(/^0x[0-9A-F]{8}$/);
      expect(c.source.length).toBeGreaterThan(10);
    }
    expect(new Set(startFailureCodes.map((c) => c.hresult)).size).toBe(startFailureCodes.length);
    expect(startFailureCodes.map((c) => c.hresult)).toEqual(
      expect.arrayContaining(['0x800705AA', '0x80070490', '0xC035001E']),
    );
  });

  it("reads codes as numbers (signed or not) or as the last 0x........ of any language's text", () => {
    expect(hresultOf(-2147023446)).toBe('0x800705AA');
    expect(hresultOf(0xc035001e)).toBe('0xC035001E');
    expect(hresultIn('“Vision-01”无法启动。开机失败，错误为“系统资源不足，无法完成请求的服务。”(0x800705aa)')).toBe(
      '0x800705AA',
    );
    expect(hresultIn('no code')).toBeNull();
  });
});

describe('decoding', () => {
  const gpu = testDevice(GPU, { mmioMB: 16 * 1024 + 48, mmioLowMB: 48, owner: { kind: 'vm', vmName: 'Vision-01' } });

  it('0x800705AA: the MMIO gap is too small, with the sizes the devices need, fixed by fitting the VM', () => {
    const vm = testVm('Vision-01', { assignedDevices: [held(GPU)] });
    const d = decodeStartFailure(event(vm, '0x800705AA'), testInventory([gpu], [vm]), vm, []);
    expect(d).toMatchObject({ cause: 'mmio-too-small', fixIntent: { kind: 'fit-vm', vmName: 'Vision-01' } });
    expect(d.explanation.en).toContain('176 MB low and 16,896 MB high');
  });

  it('0x800705AA with gaps that already fit the devices is the host short of resources (memory), not the MMIO', () => {
    const vm = testVm('Vision-01', {
      assignedDevices: [held(GPU)],
      lowMemoryMappedIoSpace: 176 * MiB,
      highMemoryMappedIoSpace: 16_896 * MiB,
      memoryStartup: 64 * 1024 * MiB,
    });
    const d = decodeStartFailure(event(vm, '0x800705AA'), testInventory([gpu], [vm]), vm, []);
    expect(d).toMatchObject({ cause: 'host-resources', fixIntent: null });
    expect(d.explanation.en).toContain('65,536 MB must all be free');
    // One MB short of the need with Microsoft's buffer, and it is the MMIO again.
    const short = { ...vm, highMemoryMappedIoSpace: 16_895 * MiB };
    expect(decodeStartFailure(event(short, '0x800705AA'), testInventory([gpu], [short]), short, []).cause).toBe(
      'mmio-too-small',
    );
  });

  it("a gap that ends above the CPU's address width is that cause, whatever the code, with a size that fits", () => {
    const vm = testVm('Vision-01', {
      assignedDevices: [held(GPU)],
      highMemoryMappedIoSpace: 32 * 1024 * MiB,
      highMemoryMappedIoBase: null,
    });
    const d = decodeStartFailure(event(vm, null), testInventory([gpu], [vm], { physicalAddressBits: 36 }), vm, []);
    expect(d.cause).toBe('high-mmio-above-limit');
    expect(d.fix.en).toContain('at most 512 MB from its current base');
  });

  it("0x80070490: a stale entry, fixed by the reconcile list's fix for that VM (a re-point when the card moved)", () => {
    const vm = testVm('GPU-Render');
    const repoint = {
      kind: 'repoint' as const,
      vmName: 'GPU-Render',
      moves: [{ fromPath: 'PCIROOT(0)#PCI(0100)#PCI(0000)', toPath: GPU }],
    };
    const item = {
      kind: 'moved' as const,
      severity: 'danger' as const,
      vmName: 'GPU-Render',
      locationPath: null,
      toPath: GPU,
      deviceName: null,
      text: { en: 'moved', 'zh-CN': '移动' },
      fix: repoint,
      fixLabel: { en: 'Re-point', 'zh-CN': '改指向' },
    };
    expect(decodeStartFailure(event(vm, '0x80070490'), testInventory([], [vm]), vm, [item]).fixIntent).toEqual(repoint);
    expect(decodeStartFailure(event(vm, '0x80070490'), testInventory([], [vm]), vm, []).fixIntent).toEqual({
      kind: 'repair',
      vmName: 'GPU-Render',
    });
  });

  it("0xC035001E is a client SKU or the IOMMU policy, told apart by the host's facts", () => {
    const vm = testVm('V');
    expect(
      decodeStartFailure(
        event(vm, '0xC035001E'),
        testInventory([], [vm], { isServerSku: false, productType: 1 }),
        vm,
        [],
      ).cause,
    ).toBe('client-sku');
    expect(
      decodeStartFailure(event(vm, '0xC035001E'), testInventory([], [vm], { iommuPolicyEnabled: false }), vm, []).cause,
    ).toBe('iommu-off');
    expect(decodeStartFailure(event(vm, '0xC035001E'), testInventory([], [vm]), vm, []).cause).toBe(
      'hypervisor-feature',
    );
  });

  it('an unknown code is shown raw, with the event', () => {
    const vm = testVm('V');
    const d = decodeStartFailure(event(vm, '0x8007000E', 'texte du journal'), testInventory([], [vm]), vm, []);
    expect(d).toMatchObject({ cause: 'unknown', fixIntent: null, message: 'texte du journal', hresult: '0x8007000E' });
    expect(d.explanation.en).toContain('0x8007000E, event 12010');
  });
});

describe('an event as a start failure', () => {
  const vm = testVm('Vision-01');
  it("finds the VM by its id among the event's values (any position) and the failure code among them", () => {
    expect(
      startFailureOf(
        { id: 12010, at: 'x', message: 'localized', data: [-2147023446, vm.id.toUpperCase(), 'Vision-01'] },
        [vm],
      ),
    ).toMatchObject({ vmName: 'Vision-01', hresult: '0x800705AA' });
    expect(startFailureOf({ id: 3040, at: 'x', message: `VM ${vm.id} (0x80070490)`, data: [] }, [vm])).toMatchObject({
      hresult: '0x80070490',
    });
    expect(
      startFailureOf({ id: 3040, at: 'x', message: 'another VM', data: ['00000000-0000-4000-8000-ffffffffffff'] }, [
        vm,
      ]),
    ).toBeNull();
  });
});

describe("a VM's last failed start among the log's events", () => {
  const vm = testVm('Vision-01');
  const other = testVm('Build-02');
  const raw = (id: number, at: string, data: Array<string | number>, level = 2) => ({
    id,
    level,
    at,
    message: 'localized',
    data,
  });
  it("is told by the attempt's event that carries a code, not by the codeless 'failed to start' line written last", () => {
    // One failed start: the device's power-on failure (0x800705AA), then the VM's own line without a code
    // (Microsoft's KB 2249906 shows both lines); an older attempt failed otherwise.
    const events = startFailuresOf(
      {
        readable: true,
        events: [
          raw(12030, '2026-11-30T10:00:01.200Z', ['Vision-01', vm.id]),
          raw(12010, '2026-11-30T10:00:01.100Z', ['Vision-01', vm.id, -2147023446]),
          raw(12010, '2026-11-29T08:00:00.000Z', ['Vision-01', vm.id, -2147023728]),
        ],
      },
      [vm],
    )!;
    expect(lastAttemptEvent(events)).toMatchObject({ hresult: '0x800705AA', eventId: 12010 });
    // The attempt is the newest one's: an older attempt's code is never taken for it.
    expect(lastAttemptEvent(events.filter((e) => e.eventId === 12030 || e.at!.startsWith('2026-11-29')))).toMatchObject(
      {
        eventId: 12030,
        hresult: null,
      },
    );
  });
  it('is dropped when the same VM started successfully later (event 18500), kept when it failed after that', () => {
    const log = (events: ReturnType<typeof raw>[]) => startFailuresOf({ readable: true, events }, [vm, other])!;
    const failed = raw(12010, '2026-11-01T10:00:00.000Z', ['Vision-01', vm.id, -1070268386]);
    const started = raw(18500, '2026-11-02T09:00:00.000Z', ['Vision-01', vm.id], 4);
    expect(log([started, failed])).toEqual([]);
    // Another VM's start clears nothing of this one; a failure after the start stands.
    expect(log([raw(18500, '2026-11-02T09:00:00.000Z', ['Build-02', other.id], 4), failed])).toHaveLength(1);
    const later = raw(12010, '2026-11-03T10:00:00.000Z', ['Vision-01', vm.id, -2147023446]);
    expect(log([later, started, failed]).map((e) => e.hresult)).toEqual(['0x800705AA']);
    // A started event is never read as a failure (no code, but not a failure either).
    expect(log([started])).toEqual([]);
  });
});
