/** `dda inventory` prints host-supplied text; none of it may reach the terminal as an escape sequence. */
import { describe, expect, it } from 'vitest';
import { inventorySchema, type Inventory } from '../../shared/inventory';
import { freshState, sharedHost } from '../../testing/test-support';
import { readInventory } from '../host/inventory-service';
import { memoryMeasurementStore } from '../host/measurement-store';
import { clean, formatInventory } from './inventory-table';
import { afterAll } from 'vitest';

const shared = sharedHost();
afterAll(() => shared.host.close());

describe('dda inventory as text', () => {
  it('removes control characters and bidirectional overrides from every host-supplied field', async () => {
    const esc = '\u001b]0;owned\u0007\u001b[2J';
    await shared.use(
      freshState('gpu-workstation', (s) => {
        s.devices[0]!.friendlyName = `GPU${esc}`;
        s.devices[1]!.locationPath = `PCIROOT(0)#PCI(0100)#PCI(0001)${esc}`;
        s.vms[0]!.name = `VM\u202Eevil${esc}`;
      }),
    );
    const inv: Inventory = inventorySchema.parse(
      await readInventory(shared.host.runner, { memory: memoryMeasurementStore() }),
    );
    // fields the host supplies that are not names: stand-ins for a host that answers with escapes
    const hostile: Inventory = {
      ...inv,
      host: { ...inv.host, psVersion: `7.6${esc}`, psEdition: `Core${esc}` },
      vms: inv.vms.map((v) => ({ ...v, state: `Off${esc}`, automaticStopAction: `Save${esc}` })),
    };
    const text = formatInventory(hostile);
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    expect(text).toContain('GPU?]0;owned??[2J');
    expect(clean('a\u202Eb')).toBe('a?b');
  });
});
