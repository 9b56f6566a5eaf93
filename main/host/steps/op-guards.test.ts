/**
 * The step scripts do not take a cmdlet's silence for success: a mount names the device by the object
 * Get-VMHostAssignableDevice lists (its path compared without case) and refuses a path that is not
 * dismounted; an enable refuses a device that is not back. Real pwsh + simulator, one session.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freshState, readState, sharedHost, startsDismounted } from '../../../testing/test-support';

const shared = sharedHost();
afterAll(() => shared.host.close());
const runner = shared.host.runner;

const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const CX4_ID = 'PCI\\VEN_15B3&DEV_1015&SUBSYS_000315B3&REV_00\\4&2C1A7E0F&0&0008';

async function dismountedCx4(): Promise<string> {
  const state = freshState('ml30-connectx4', startsDismounted(CX4));
  await shared.use(state);
  return state;
}
const cx4 = (state: string) => readState(state).devices.find((d) => d.locationPath === CX4)!;

describe('step scripts check the host, not the cmdlet’s silence', () => {
  it('a mount refuses a path that is not dismounted, with its own error id', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const r = await runner.invoke('op-mount-device', { LocationPath: CX4 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fullyQualifiedErrorId).toBe('DdaNotDismounted');
  });

  it('a removal of a device the VM does not hold fails with its own error id, not an English sentence', async () => {
    await shared.use(freshState('ml30-connectx4'));
    const r = await runner.invoke('op-remove-device', {
      VmId: '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02',
      LocationPath: CX4,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect([r.error.fullyQualifiedErrorId, r.error.category]).toEqual(['DdaNotHeld', 'ObjectNotFound']);
  });

  it('a mount finds the dismounted device whatever the case of its path, and mounts it', async () => {
    const state = await dismountedCx4();
    expect(cx4(state).dismounted).toBe(true);
    const r = await runner.invoke('op-mount-device', { LocationPath: CX4.toLowerCase() });
    if (!r.ok) throw new Error(r.error.message);
    expect(cx4(state).dismounted).toBe(false);
  });

  it('an enable refuses a device that is not back on the host', async () => {
    await dismountedCx4();
    const r = await runner.invoke('op-enable-device', { InstanceId: CX4_ID, WaitSec: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fullyQualifiedErrorId).toBe('DdaDeviceNotPresent');
  });

  // Last: it puts a Get-VMHostAssignableDevice of its own in front of the simulator's for this session.
  it('a mount goes on when the listing writes an error about another device', async () => {
    const state = await dismountedCx4();
    const stub = await runner.invoke('run-script', {
      Command:
        "function global:Get-VMHostAssignableDevice { [CmdletBinding()] param() DdaSim\\Get-VMHostAssignableDevice; Write-Error -Message 'Another device could not be read.' -ErrorId 'DeviceUnreadable' }",
    });
    if (!stub.ok) throw new Error(stub.error.message);
    const r = await runner.invoke('op-mount-device', { LocationPath: CX4 });
    if (!r.ok) throw new Error(r.error.message);
    expect(cx4(state).dismounted).toBe(false);
  });
});
