/**
 * A step's time limit outlasts the step's own waits: PowerShell killed at the limit does not stop what
 * Hyper-V or PnP is doing, so a limit shorter than the script's own wait would kill a step that was about
 * to end on its own, and the change could land after the rollback read the host.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../project-root';
import { DISMOUNT_JOB_WAIT_SEC, timeoutFor } from './executor';
import { opAction } from './steps/op-scripts';

const script = (name: string) =>
  readFileSync(join(projectRoot(), 'main', 'powershell', 'scripts', `${name}.ps1`), 'utf8');
const VM = '00000000-0000-4000-8000-000000000001';
const PATH = 'PCIROOT(0)#PCI(0300)#PCI(0000)';
const ID = 'PCI\\VEN_8086&DEV_1572&SUBSYS_00000000&REV_01\\4&1&0&00E0';

describe('step time limits', () => {
  it("a dismount's limit outlasts the script's wait for Hyper-V's job", () => {
    const wait = Number(/\$jobWaitSec = (\d+)/.exec(script('op-dismount-device'))?.[1]);
    expect(wait).toBe(DISMOUNT_JOB_WAIT_SEC);
    const dismount = opAction('op-dismount-device', {
      LocationPath: PATH,
      InstanceId: ID,
      RequireAcsSupport: true,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
    expect(timeoutFor(dismount)).toBeGreaterThan(wait * 1000);
    // retried without the mitigation check: a second job
    const retried = opAction('op-dismount-device', { ...dismount.params, RetryWithoutMitigations: true });
    expect(timeoutFor(retried)).toBeGreaterThan(2 * wait * 1000);
  });

  it("an enable's limit outlasts its wait for the device to come back", () => {
    const byDefault = Number(/\[int\]\$WaitSec = (\d+)/.exec(script('op-enable-device'))?.[1]);
    expect(timeoutFor(opAction('op-enable-device', { InstanceId: ID }))).toBeGreaterThan(byDefault * 1000);
    expect(timeoutFor(opAction('op-enable-device', { InstanceId: ID, WaitSec: 600 }))).toBeGreaterThan(600_000);
    // ...and a disable's for the device to read disabled.
    const disableWait = Number(/\[int\]\$WaitSec = (\d+)/.exec(script('op-disable-device'))?.[1]);
    expect(timeoutFor(opAction('op-disable-device', { InstanceId: ID }))).toBeGreaterThan(disableWait * 1000);
    expect(timeoutFor(opAction('op-disable-device', { InstanceId: ID, WaitSec: 600 }))).toBeGreaterThan(600_000);
  });

  it('every step that moves a device gets minutes, not the session default; a shutdown its grace period', () => {
    for (const a of [
      opAction('op-disable-device', { InstanceId: ID }),
      opAction('op-mount-device', { LocationPath: PATH }),
      opAction('op-add-device', { VmId: VM, LocationPath: PATH }),
      opAction('op-add-devices', { VmId: VM, LocationPaths: [PATH] }),
      opAction('op-remove-device', { VmId: VM }),
    ])
      expect(timeoutFor(a), a.script).toBeGreaterThanOrEqual(300_000);
    expect(timeoutFor(opAction('op-stop-vm', { VmId: VM, TimeoutSec: 600 }))).toBe(720_000);
    expect(timeoutFor(opAction('op-start-vm', { VmId: VM }))).toBe(300_000);
  });
});
