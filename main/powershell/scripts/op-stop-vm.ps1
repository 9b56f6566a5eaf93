# Step: turn a VM off (planned only when the admin consented to turning it off).
# A running guest gets a graceful shutdown first, as a job bounded by $TimeoutSec seconds; if it does
# not stop in time (or refuses: no integration services, hung guest), the VM is turned off. A paused or
# saved VM is turned off directly (a saved VM's state is discarded; the plan warns about that).
# One path for every host: Stop-VM has -AsJob on Windows Server 2022 and 2025 (reference/cmdlets.json) and
# in the simulator. The state is read back at the end, never assumed.
param([Parameter(Mandatory = $true)][string]$VmId, [int]$TimeoutSec = 120)
$vm = Get-VM -Id $VmId -ErrorAction Stop
if ([string]$vm.State -eq 'Off') { return @{ state = 'Off'; how = 'already off' } }
$how = 'shut down'
if ([string]$vm.State -eq 'Running') {
    $job = $null
    try {
        $job = $vm | Stop-VM -Force -AsJob -ErrorAction Stop
        $null = Wait-Job -Job $job -Timeout $TimeoutSec
        if ([string]$job.State -ne 'Completed') { $how = 'turned off: the guest did not shut down within ' + $TimeoutSec + ' s' }
        Receive-Job -Job $job -ErrorAction Stop | Out-Null
    } catch {
        $how = 'turned off after the shutdown failed: ' + $_.Exception.Message
    } finally {
        if ($null -ne $job) { Stop-Job -Job $job -ErrorAction SilentlyContinue; Remove-Job -Job $job -Force -ErrorAction SilentlyContinue }
    }
} else {
    $how = 'turned off from ' + [string]$vm.State
}
if ([string](Get-VM -Id $VmId -ErrorAction Stop).State -ne 'Off') {
    Get-VM -Id $VmId -ErrorAction Stop | Stop-VM -TurnOff -Force -ErrorAction Stop
}
$after = [string](Get-VM -Id $VmId -ErrorAction Stop).State
if ($after -ne 'Off') { throw ("The VM is still '" + $after + "' after it was turned off.") }
@{ state = $after; how = $how }
