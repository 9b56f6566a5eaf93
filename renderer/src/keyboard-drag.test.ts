/** Keyboard drag by cards, the default sibling choice and which rows are offered as draggable (issue 17 #2, #4). */
import { describe, expect, it } from 'vitest';
import { noLifelines, type Device, type Inventory } from '../../shared/inventory';
import { assignIntent, canOfferDrag } from './drop-rules';
import { nextCard } from './keyboard-drag';

const rect = (left: number, top: number) => ({ left, top, width: 200, height: 120 });
// Two rows of cards, listed out of order: reading order is a b c / d.
const cards = [
  { id: 'vm:c', rect: rect(440, 10) },
  { id: 'vm:a', rect: rect(0, 12) },
  { id: 'vm:d', rect: rect(0, 150) },
  { id: 'vm:b', rect: rect(220, 8) },
];

describe('nextCard', () => {
  it('from no card: Right/Down the first card, Left/Up the last', () => {
    expect(nextCard(cards, null, 'ArrowRight')).toBe('vm:a');
    expect(nextCard(cards, null, 'ArrowDown')).toBe('vm:a');
    expect(nextCard(cards, null, 'ArrowLeft')).toBe('vm:d');
    expect(nextCard(cards, null, 'ArrowUp')).toBe('vm:d');
  });
  it('one press, one card, in reading order (rows by top, small offsets ignored), stopping at the ends', () => {
    const walk: string[] = [];
    let at: string | null = null;
    for (let i = 0; i < 5; i++) walk.push((at = nextCard(cards, at, 'ArrowRight') as string));
    expect(walk).toEqual(['vm:a', 'vm:b', 'vm:c', 'vm:d', 'vm:d']);
    expect(nextCard(cards, 'vm:b', 'ArrowLeft')).toBe('vm:a');
    expect(nextCard(cards, 'vm:a', 'ArrowUp')).toBe('vm:a');
  });
  it('other keys and no cards: nothing', () => {
    expect(nextCard(cards, 'vm:a', 'KeyA')).toBeNull();
    expect(nextCard([], null, 'ArrowRight')).toBeNull();
  });
});

function device(path: string, over: Partial<Device> = {}): Device {
  return {
    instanceId: `PCI\\${path}`,
    dismountedInstanceId: null,
    friendlyName: path,
    pnpClass: 'Net',
    locationPath: path,
    card: null,
    siblings: [],
    owner: { kind: 'host' },
    enabled: true,
    mmioMB: 32,
    mmioLowMB: 0,
    mmioHighMB: 32,
    lifelines: noLifelines(),
    verdict: { code: 'assignable' },
    facts: {
      deviceType: 2,
      baseClass: 2,
      acsUpHierarchy: 3,
      requiresReservedMemoryRegion: 0,
      disabled: false,
      irqs: [4294967294],
      memoryRanges: [],
      source: 'live',
      notes: [],
    },
    hostsSystemDisk: false,
    ...over,
  };
}
const inv = (devices: Device[]) => ({ devices, vms: [] }) as unknown as Inventory;
const GPU = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const AUDIO = 'PCIROOT(0)#PCI(0100)#PCI(0001)';

describe('assignIntent', () => {
  const gpu = device(GPU, { pnpClass: 'Display', siblings: [AUDIO], facts: { ...device(GPU).facts, baseClass: 3 } });
  const audio = device(AUDIO, { pnpClass: 'MEDIA', siblings: [GPU], facts: { ...device(AUDIO).facts, baseClass: 4 } });
  it('a GPU takes its own audio function along by default', () => {
    expect(assignIntent(inv([gpu, audio]), gpu, 'VM')).toEqual({
      kind: 'assign',
      locationPath: GPU,
      vmName: 'VM',
      includeSiblings: true,
    });
  });
  it('not when a sibling is something else, is held elsewhere, or for the audio function itself', () => {
    const nic = device(AUDIO, { siblings: [GPU] });
    expect(assignIntent(inv([gpu, nic]), gpu, 'VM')).toEqual({ kind: 'assign', locationPath: GPU, vmName: 'VM' });
    const held = { ...audio, owner: { kind: 'vm' as const, vmName: 'Other' } };
    expect(assignIntent(inv([gpu, held]), gpu, 'VM')).toEqual({ kind: 'assign', locationPath: GPU, vmName: 'VM' });
    expect(assignIntent(inv([gpu, audio]), audio, 'VM')).toEqual({ kind: 'assign', locationPath: AUDIO, vmName: 'VM' });
  });
  it('a device in a VM is moved', () => {
    const inVm = device(GPU, { owner: { kind: 'vm', vmName: 'A' } });
    expect(assignIntent(inv([inVm]), inVm, 'B')).toEqual({ kind: 'move', locationPath: GPU, toVm: 'B' });
  });
});

describe('canOfferDrag', () => {
  it('offers assignable and force devices; not the system disk, a pool, the session NIC or a "not assignable"', () => {
    expect(canOfferDrag(device(GPU))).toBe(true);
    expect(canOfferDrag(device(GPU, { verdict: { code: 'force-insecure', reason: 'acs-missing' } }))).toBe(true);
    expect(canOfferDrag(device(GPU, { hostsSystemDisk: true }))).toBe(false);
    expect(canOfferDrag(device(GPU, { resourcePoolName: 'Pool' }))).toBe(false);
    expect(canOfferDrag(device(GPU, { lifelines: { ...noLifelines(), carriesSession: true } }))).toBe(false);
    expect(canOfferDrag(device(GPU, { verdict: { code: 'not-assignable', reason: 'rmrr' } }))).toBe(false);
    expect(canOfferDrag(device(GPU, { locationPath: null }))).toBe(false);
  });
});
