/**
 * Step scripts on a host that is slower than its cmdlets: a graceful shutdown past its grace period, a
 * turn-off that races Stop-VM's own, a dismount the host lists only after the cmdlet looked. The
 * shutdown job is never stopped or removed while it runs (Hyper-V's job, disposed under its worker, ends
 * the process); the state read afterwards decides a step, not an error said before the host caught up.
 * The cmdlets are stubbed in front of the simulator's, in this file's own pwsh.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { freshState, readState, sharedHost } from '../../../testing/test-support';
import { actions } from './actions';

const shared = sharedHost();
afterAll(() => shared.host.close());

const FILE_SERVER = '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02';
const CX4 = 'PCIROOT(0)#PCI(0100)#PCI(0000)';
const CX4_ID = 'PCI\\VEN_15B3&DEV_1015&SUBSYS_000315B3&REV_00\\4&2C1A7E0F&0&0008';

/** Runs PowerShell text in this file's session (stubs in front of the simulator's cmdlets, their logs). */
async function runScript<T = unknown>(command: string): Promise<T> {
  const r = await shared.host.runner.invoke<T>('run-script', { Command: command });
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

/** Stubs: a shutdown job that ends when the VM is turned off (or at once), and a log of job handling. */
async function stub(opts: { shutdownEndsAtOnce: boolean; turnOffThrows: boolean }) {
  await runScript(
    [
      `$global:DdaTestEvt = New-Object System.Threading.ManualResetEvent $${opts.shutdownEndsAtOnce}`,
      '$global:DdaTestLog = New-Object System.Collections.Generic.List[string]',
      `$global:DdaTestTurnOffThrows = $${opts.turnOffThrows}`,
      'function global:Stop-VM { [CmdletBinding(SupportsShouldProcess = $true)] param([Parameter(ValueFromPipeline = $true)]$VM, [switch]$Force, [switch]$AsJob, [switch]$TurnOff)',
      '  process {',
      '    if ($AsJob) { return (Start-ThreadJob -ArgumentList $global:DdaTestEvt -ScriptBlock { param($e) $null = $e.WaitOne() }) }',
      '    DdaSim\\Stop-VM -VM $VM -TurnOff -Force',
      '    $null = $global:DdaTestEvt.Set()',
      "    if ($global:DdaTestTurnOffThrows) { throw 'The operation cannot be performed while the virtual machine is in its current state.' }",
      '  }',
      '}',
      "function global:Stop-Job { [CmdletBinding()] param($Job) $global:DdaTestLog.Add('stop:' + $Job.State) }",
      "function global:Remove-Job { [CmdletBinding()] param($Job, [switch]$Force) $global:DdaTestLog.Add('remove:' + $Job.State); Microsoft.PowerShell.Core\\Remove-Job -Job $Job -Force }",
    ].join('\n'),
  );
}
const jobLog = () => runScript<string[]>(',@($global:DdaTestLog)');

describe('step scripts on a host slower than its cmdlets', () => {
  it('a guest slower than the grace period: turned off, and the shutdown job removed only once it has ended', async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    await stub({ shutdownEndsAtOnce: false, turnOffThrows: false });
    const r = await shared.host.runner.invoke<{ state: string; how: string }>('op-stop-vm', {
      VmId: FILE_SERVER,
      TimeoutSec: 1,
    });
    expect(r.ok ? r.value : r.error).toMatchObject({ state: 'Off', how: expect.stringContaining('within 1 s') });
    expect(await jobLog()).toEqual(['remove:Completed']);
    expect(readState(state).vms.find((v) => v.name === 'File-Server')!.state).toBe('Off');
  });

  it('a turn-off that fails because the VM is already turning off is not a failure when the VM reads Off', async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    await stub({ shutdownEndsAtOnce: true, turnOffThrows: true });
    const r = await shared.host.runner.invoke<{ state: string }>('op-stop-vm', { VmId: FILE_SERVER, TimeoutSec: 5 });
    expect(r.ok ? r.value : r.error).toMatchObject({ state: 'Off' });
  });

  /**
   * Stubs for a turn-off that fails: the turn-off throws, turning nothing off. The guest's shutdown job
   * fails at once, or (`jobRuns`) runs until the VM is Off. With `reads`, the VM then reads `shows` that
   * many times, and is Off from the last of them (a turn-off under way, as Stop-VM's own).
   */
  async function turnOffFails(opts: { reads: number; shows: 'Running' | 'Stopping'; jobRuns: boolean }) {
    await runScript(
      [
        '$global:DdaTestReads = 0',
        '$global:DdaTestOff = New-Object System.Threading.ManualResetEvent $false',
        'function global:Stop-VM { [CmdletBinding(SupportsShouldProcess = $true)] param([Parameter(ValueFromPipeline = $true)]$VM, [switch]$Force, [switch]$AsJob, [switch]$TurnOff)',
        '  process {',
        opts.jobRuns
          ? '    if ($AsJob) { return (Start-ThreadJob -ArgumentList $global:DdaTestOff -ScriptBlock { param($e) $null = $e.WaitOne() }) }'
          : "    if ($AsJob) { return (Start-ThreadJob -ScriptBlock { throw 'The guest did not answer.' }) }",
        `    $global:DdaTestReads = ${opts.reads}`,
        "    throw 'Der Vorgang ist fehlgeschlagen.'",
        '  }',
        '}',
        'function global:Get-VM { [CmdletBinding()] param([string]$Id)',
        '  $vm = DdaSim\\Get-VM -Id $Id',
        '  if ($global:DdaTestReads -le 0) { return $vm }',
        '  $global:DdaTestReads--',
        `  if ($global:DdaTestReads -gt 0) { return [pscustomobject]@{ Id = $vm.Id; Name = $vm.Name; State = '${opts.shows}' } }`,
        '  DdaSim\\Stop-VM -VM $vm -TurnOff -Force',
        '  $null = $global:DdaTestOff.Set()',
        '  DdaSim\\Get-VM -Id $Id',
        '}',
      ].join('\n'),
    );
  }
  /** Runs op-stop-vm on File-Server with the stubs, puts the simulator's Stop-VM and Get-VM back, counts Get-VM's calls. */
  async function stopWithStubs() {
    await runScript('Reset-DdaSimStats');
    let r;
    let reads = -1;
    try {
      r = await shared.host.runner.invoke<{ state: string }>('op-stop-vm', { VmId: FILE_SERVER, TimeoutSec: 1 });
    } finally {
      reads = await runScript<number>(
        [
          "${function:global:Stop-VM} = (Get-Command -Name 'DdaSim\\Stop-VM').ScriptBlock",
          "${function:global:Get-VM} = (Get-Command -Name 'DdaSim\\Get-VM').ScriptBlock",
          '$null = $global:DdaTestOff.Set()',
          '[int](Get-DdaSimStats).calls["Get-VM"]',
        ].join('\n'),
      );
    }
    return { result: r.ok ? r.value : r.error.message, reads };
  }

  it('a turn-off that fails while the VM stays as it was: its own error after a few reads, not the 30 s a turn-off under way gets', async () => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    await turnOffFails({ reads: 0, shows: 'Running', jobRuns: false });
    const { result, reads } = await stopWithStubs();
    expect(result).toContain('Der Vorgang ist fehlgeschlagen.');
    // 4 reads around the turn-off, 10 while it is given its 5 s, 1 after the shutdown job ended (the whole
    // 30 s would be 60 more)
    expect(reads).toBe(15);
    expect(readState(state).vms.find((v) => v.name === 'File-Server')!.state).toBe('Running');
  });

  it.each([
    { why: 'the VM reads Stopping', stubs: { reads: 13, shows: 'Stopping', jobRuns: false } as const },
    {
      why: "the guest's shutdown job still runs, though the VM reads Running",
      stubs: { reads: 13, shows: 'Running', jobRuns: true } as const,
    },
  ])('a turn-off that fails while $why is waited for past 5 s, and ends Off', async ({ stubs }) => {
    const state = freshState('ml30-connectx4');
    await shared.use(state);
    await turnOffFails(stubs);
    expect((await stopWithStubs()).result).toMatchObject({ state: 'Off' });
    expect(readState(state).vms.find((v) => v.name === 'File-Server')!.state).toBe('Off');
  });

  /**
   * Dismounts the ConnectX-4 Lx of `state` (disabled first) with `checks`, the cmdlet saying ObjectNotFound
   * after its dismount, before the host lists the twin; returns the step's result and the device's state.
   */
  async function dismountListedLate(state: string, checks: Parameters<typeof actions.dismount>[2]) {
    await shared.use(state);
    await runScript(
      'function global:Dismount-VMHostAssignableDevice { [CmdletBinding(SupportsShouldProcess = $true)] param([string]$LocationPath, [switch]$Force) ' +
        'DdaSim\\Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force:$Force; ' +
        "Write-Error -Message 'Der Vorgang konnte nicht abgeschlossen werden.' -ErrorId 'CannotFindDismountedDevice' -Category ObjectNotFound }",
    );
    const disabled = await shared.host.runner.invoke('op-disable-device', { InstanceId: CX4_ID });
    if (!disabled.ok) throw new Error(disabled.error.message);
    const { script, params } = actions.dismount(CX4, CX4_ID, checks);
    const r = await shared.host.runner.invoke(script, params);
    return {
      result: r.ok ? r.value : r.error,
      dismounted: readState(state).devices.find((d) => d.locationPath === CX4)!.dismounted,
    };
  }

  it('a dismount the host lists only after the cmdlet said ObjectNotFound is done, not a failure', async () => {
    const checks = { RequireAcsSupport: true, RequireDeviceMitigations: true, RetryWithoutMitigations: false };
    expect(await dismountListedLate(freshState('ml30-connectx4'), checks)).toMatchObject({
      result: { dismounted: CX4 },
      dismounted: true,
    });
  });

  it('a retry without the mitigation check that the host lists late is done too (the retry had no such grace)', async () => {
    // The card has no mitigation driver: the dismount with the check is refused, the retry (-Force, no ACS
    // check asked) dismounts it, and the cmdlet then says ObjectNotFound before the host lists the twin.
    const state = freshState('ml30-connectx4', (s) => {
      s.devices.find((d) => d.locationPath === CX4)!.hasMitigationDriver = false;
    });
    const checks = { RequireAcsSupport: false, RequireDeviceMitigations: true, RetryWithoutMitigations: true };
    expect(await dismountListedLate(state, checks)).toMatchObject({
      result: {
        dismounted: CX4,
        requireDeviceMitigations: false,
        lateListing: 'Der Vorgang konnte nicht abgeschlossen werden.',
      },
      dismounted: true,
    });
  });

  it('a refusal is told liftable when the property rows name the device by DeviceID only (no InstanceId)', async () => {
    await shared.use(
      freshState('ml30-connectx4', (s) =>
        Object.assign(
          s.devices.find((d) => d.locationPath === CX4)!,
          { enabled: false, hasMitigationDriver: false },
        ),
      ),
    );
    await runScript(
      "${function:global:Dismount-VMHostAssignableDevice} = (Get-Command -Name 'DdaSim\\Dismount-VMHostAssignableDevice').ScriptBlock\n" +
        'function global:Get-PnpDeviceProperty { [CmdletBinding()] param([string[]]$InstanceId, [string[]]$KeyName)' +
        ' foreach ($r in @(DdaSim\\Get-PnpDeviceProperty -InstanceId $InstanceId -KeyName $KeyName)) {' +
        ' [pscustomobject]@{ DeviceID = $r.DeviceID; KeyName = $r.KeyName; Type = $r.Type; Data = $r.Data } } }',
    );
    const { script, params } = actions.dismount(CX4, CX4_ID, {
      RequireAcsSupport: true,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: false,
    });
    const r = await shared.host.runner.invoke(script, params);
    expect(!r.ok && r.error.fullyQualifiedErrorId).toBe('DdaDismountRefused');
  });

  it('a disable Windows deferred to a restart (the device still working) fails with its own id, not later at the dismount', async () => {
    await shared.use(freshState('ml30-connectx4'));
    // The driver did not stop: Win32_PnPEntity.Disable says RebootNeeded, the cmdlet nothing.
    await runScript(
      'function global:Disable-PnpDevice { [CmdletBinding(SupportsShouldProcess = $true)] param([string[]]$InstanceId) }\n' +
        '$global:DdaTestEnabled = New-Object System.Collections.Generic.List[string]\n' +
        'function global:Enable-PnpDevice { [CmdletBinding(SupportsShouldProcess = $true)] param([string[]]$InstanceId) $global:DdaTestEnabled.AddRange($InstanceId) }',
    );
    const r = await shared.host.runner.invoke('op-disable-device', { InstanceId: CX4_ID, WaitSec: 0 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.fullyQualifiedErrorId).toBe('DdaDisableDeferred');
    // The disable still pending for the next restart is cancelled: the host stays as it was.
    expect(await runScript<string[]>(',@($global:DdaTestEnabled)')).toEqual([CX4_ID]);
  });
});
