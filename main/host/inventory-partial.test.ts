/**
 * A cmdlet that writes an error for one item among the others' objects (Get-VM and a VM whose
 * configuration Hyper-V cannot read) costs that item, with a note, never the whole list: inventory.ps1
 * runs under the dispatcher's Stop. Its own pwsh: the test puts a Get-VM of its own in front of the
 * simulator's.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readInventory } from './inventory-service';
import { memoryMeasurementStore } from './measurement-store';
import { freshState, sharedHost } from '../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());

describe('one unreadable VM', () => {
  it('is a note; the VMs Hyper-V could read are all there', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const all = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(all.vms.length).toBeGreaterThan(1);
    const stub = await shared.host.runner.invoke('run-script', {
      Command:
        "function global:Get-VM { [CmdletBinding()] param() DdaSim\\Get-VM; Write-Error -Message 'The virtual machine Broken-VM could not be read.' -ErrorId 'VMConfigUnreadable' }",
    });
    if (!stub.ok) throw new Error(stub.error.message);
    const inv = await readInventory(shared.host.runner, { memory: memoryMeasurementStore() });
    expect(inv.vms.map((v) => v.name)).toEqual(all.vms.map((v) => v.name));
    expect(inv.notes.join(' ')).toMatch(/Broken-VM could not be read/);
  });
});
