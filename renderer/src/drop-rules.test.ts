/** The drop verdict a card shows before the drop: the host's own state first. */
import { describe, expect, it } from 'vitest';
import { testDevice, testInventory, testVm } from '../../testing/test-builders';
import { dropVerdict } from './drop-rules';

const PATH = 'PCIROOT(0)#PCI(0300)#PCI(0000)';

describe('dropVerdict on a host that cannot change anything', () => {
  it('refuses while PowerShell 7 runs Hyper-V through Windows PowerShell compatibility, as the planner does', () => {
    const device = testDevice(PATH);
    const vm = testVm('App-VM');
    expect(dropVerdict(testInventory([device], [vm]), device, vm)).toEqual({ allowed: true });
    expect(dropVerdict(testInventory([device], [vm], { windowsPowerShellCompat: true }), device, vm)).toEqual({
      allowed: false,
      reason: 'blockedHostNotReady',
    });
  });
});
