# Step: turn a VM off (planned only when the admin consented to turning it off).
# A running guest gets a graceful shutdown first, for at most $TimeoutSec seconds; if it does not stop
# in time (or refuses: no integration services, hung guest), the VM is turned off. A paused or saved
# VM is turned off directly (a saved VM's state is discarded; the plan warns about that).
# Real Hyper-V: Stop-VM -AsJob lets us bound the wait; a module without -AsJob (the simulator) runs
# the shutdown inline, where it either completes or throws at once.
param([Parameter(Mandatory = $true)][string]$VmId, [int]$TimeoutSec = 120)
$vm = Get-VM -Id $VmId
if ([string]$vm.State -eq 'Off') { return @{ state = 'Off'; how = 'already off' } }
$how = 'shut down'
if ([string]$vm.State -eq 'Running') {
    try {
        $stop = Get-Command -Name Stop-VM
        if ($stop.Parameters.ContainsKey('AsJob')) {
            $job = $vm | Stop-VM -Force -AsJob
            $null = Wait-Job -Job $job -Timeout $TimeoutSec
            if ([string]$job.State -ne 'Completed') { $how = 'turned off: the guest did not shut down within ' + $TimeoutSec + ' s' }
            try { Receive-Job -Job $job -ErrorAction Stop | Out-Null } catch { $how = 'turned off after the shutdown failed: ' + $_.Exception.Message }
            Remove-Job -Job $job -Force -ErrorAction SilentlyContinue
        } else {
            $vm | Stop-VM -Force -ErrorAction Stop
        }
    } catch {
        $how = 'turned off after the shutdown failed: ' + $_.Exception.Message
    }
} else {
    $how = 'turned off from ' + [string]$vm.State
}
if ([string](Get-VM -Id $VmId).State -ne 'Off') {
    Get-VM -Id $VmId | Stop-VM -TurnOff -Force
}
@{ state = [string](Get-VM -Id $VmId).State; how = $how }
