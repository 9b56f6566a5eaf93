import { describe, expect, it } from 'vitest';
import { classWords, deviceView, isBridgeOrPort, matchesSearch } from './device-search';
import { testDevice } from '../../testing/test-builders';

const facts = (baseClass: number) => ({ ...testDevice('x').facts, baseClass });
const gpu = testDevice('PCIROOT(0)#PCI(0200)', {
  friendlyName: 'NVIDIA RTX A4000',
  pnpClass: 'Display',
  facts: facts(3),
});
const nic = testDevice('PCIROOT(0)#PCI(0100)', {
  friendlyName: 'Mellanox ConnectX-4 Lx',
  owner: { kind: 'vm', vmName: 'Router-01' },
});
const nvme = testDevice('PCIROOT(0)#PCI(0300)', {
  friendlyName: 'Samsung NVMe Controller',
  pnpClass: 'SCSIAdapter',
  facts: facts(1),
});
const usb = testDevice('PCIROOT(0)#PCI(1400)', {
  friendlyName: 'Intel USB 3.1 xHCI',
  pnpClass: 'USB',
  facts: facts(12),
  verdict: { code: 'assignable-less-secure' },
});
const port = testDevice('PCIROOT(0)#PCI(1C00)', {
  friendlyName: 'Intel PCI Express Root Port #9',
  pnpClass: 'System',
  facts: facts(6),
  verdict: { code: 'not-assignable', reason: 'legacy-pci' },
});
const rmrr = testDevice('PCIROOT(0)#PCI(1F00)', {
  friendlyName: 'HPE iLO 5',
  pnpClass: 'System',
  facts: facts(8),
  verdict: { code: 'not-assignable', reason: 'rmrr' },
});
const all = [gpu, nic, nvme, usb, port, rmrr];

describe('searching devices', () => {
  it('finds devices by the class words an admin types', () => {
    expect(all.filter((d) => matchesSearch(d, 'GPU'))).toEqual([gpu]);
    expect(all.filter((d) => matchesSearch(d, 'nic'))).toEqual([nic]);
    expect(all.filter((d) => matchesSearch(d, 'NVMe'))).toEqual([nvme]);
    expect(all.filter((d) => matchesSearch(d, 'usb'))).toEqual([usb]);
    expect(classWords(gpu)).toContain('显卡');
  });
  it('finds by owning VM, instance ID and location path', () => {
    expect(all.filter((d) => matchesSearch(d, 'router-01'))).toEqual([nic]);
    expect(all.filter((d) => matchesSearch(d, usb.instanceId.slice(-12)))).toEqual([usb]);
    expect(all.filter((d) => matchesSearch(d, 'pci(0300)'))).toEqual([nvme]);
  });
  it("finds by the verdict's reason in either language", () => {
    expect(all.filter((d) => matchesSearch(d, 'RMRR'))).toEqual([rmrr]);
    expect(all.filter((d) => matchesSearch(d, 'BIOS 保留内存'))).toEqual([rmrr]);
    expect(all.filter((d) => matchesSearch(d, 'less secure'))).toEqual([usb]);
  });
  it('needs every word, in any order; an empty search matches all', () => {
    expect(all.filter((d) => matchesSearch(d, 'lx mellanox'))).toEqual([nic]);
    expect(all.filter((d) => matchesSearch(d, 'mellanox gpu'))).toEqual([]);
    expect(all.filter((d) => matchesSearch(d, '  '))).toEqual(all);
  });
});

describe('the devices pane view', () => {
  it('hides root ports and bridges unless asked, and says how many', () => {
    expect(isBridgeOrPort(port)).toBe(true);
    expect(isBridgeOrPort(rmrr)).toBe(false);
    const hidden = deviceView(all, 'all', '', false);
    expect(hidden.shown).not.toContain(port);
    expect(hidden.hiddenBridges).toBe(1);
    const shown = deviceView(all, 'all', '', true);
    expect(shown.shown).toContain(port);
    expect(shown.hiddenBridges).toBe(0);
  });
  it('counts each filter chip with the same search and toggle', () => {
    expect(deviceView(all, 'all', '', false).counts).toEqual({ all: 5, assignable: 4, force: 0, not: 1, assigned: 1 });
    expect(deviceView(all, 'assignable', 'intel', true).counts).toEqual({
      all: 2,
      assignable: 1,
      force: 0,
      not: 1,
      assigned: 0,
    });
    expect(deviceView(all, 'assignable', 'intel', true).shown).toEqual([usb]);
  });
});
