# Step: turn a VM off (planned only when the admin consented to turning it off).
# A running guest gets a graceful shutdown first, as a job bounded by $TimeoutSec seconds; if it does
# not stop in time (or refuses: no integration services, hung guest), the VM is turned off. A paused or
# saved VM is turned off directly (a saved VM's state is discarded; the plan warns about that).
# One path for every host: Stop-VM has -AsJob on Windows Server 2016 to 2025 (its references; reference/cmdlets.json) and
# in the simulator. The state is read back at the end, never assumed.
# The shutdown job is never stopped or removed while it runs: Hyper-V's job ends its own task when the VM
# is turned off, and a job removed under its worker is disposed before that worker completes it (an
# error on a thread of its own, which ends the PowerShell process; from a public decompilation of the
# Hyper-V module's VmJob, a labelled guess). It is removed once it has ended, else left to the session.
# The turn-off may find the VM already turning off (Stop-VM -Force turns a VM off itself when its
# shutdown fails) and say so in an error: the state read afterwards decides, not that error.
param([Parameter(Mandatory = $true)][string]$VmId, [int]$TimeoutSec = 120)
function Get-DdaVmState { [string](Get-VM -Id $VmId -ErrorAction Stop).State }
$vm = Get-VM -Id $VmId -ErrorAction Stop
if ([string]$vm.State -eq 'Off') { return @{ state = 'Off'; how = 'already off' } }
$how = 'shut down'
$job = $null
if ([string]$vm.State -eq 'Running') {
    try {
        $job = $vm | Stop-VM -Force -AsJob -Confirm:$false -ErrorAction Stop
        $null = Wait-Job -Job $job -Timeout $TimeoutSec
        if ([string]$job.State -eq 'Completed' -or [string]$job.State -eq 'Failed') { Receive-Job -Job $job -ErrorAction Stop | Out-Null }
        else { $how = 'turned off: the guest did not shut down within ' + $TimeoutSec + ' s' }
    } catch {
        $how = 'turned off after the shutdown failed: ' + $_.Exception.Message
    }
} else {
    $how = 'turned off from ' + [string]$vm.State
}
$turnOffError = $null
if ((Get-DdaVmState) -ne 'Off') {
    try { Get-VM -Id $VmId -ErrorAction Stop | Stop-VM -TurnOff -Force -Confirm:$false -ErrorAction Stop } catch { $turnOffError = $_ }
}
# A turn-off takes a moment on a host (Stopping, then Off): up to 30 s, read every half second. After a
# turn-off that failed, a VM still in the state it had when the step began (Running, Paused, Saved), whose
# shutdown job has ended or never ran, has 5 s to show a change, and then the turn-off's own error stands:
# the admin is not kept waiting 30 s for a VM nothing is stopping. A VM that shows another state
# (Stopping), or whose shutdown job still runs (Stop-VM -Force turns the VM off itself when the guest's
# shutdown fails), is waited for, the whole 30 s. (A labelled guess: no source says how soon a host shows
# a turn-off that raced ours; Hyper-V lists Stopping among a VM's states, Get-VM's reference.)
$before = [string]$vm.State
$after = Get-DdaVmState
for ($i = 0; $i -lt 60 -and $after -ne 'Off'; $i++) {
    $jobRuns = ($null -ne $job -and [string]$job.State -eq 'Running')
    if ($null -ne $turnOffError -and $i -ge 10 -and $after -eq $before -and -not $jobRuns) { break }
    Start-Sleep -Milliseconds 500
    $after = Get-DdaVmState
}
if ($null -ne $job) {
    $null = Wait-Job -Job $job -Timeout 10
    if ([string]$job.State -eq 'Completed' -or [string]$job.State -eq 'Failed' -or [string]$job.State -eq 'Stopped') { Remove-Job -Job $job -ErrorAction SilentlyContinue }
    # The job may have turned the VM off while it was waited for: the state now decides.
    if ($after -ne 'Off') { $after = Get-DdaVmState }
}
if ($after -ne 'Off') {
    if ($null -ne $turnOffError) { throw $turnOffError }
    $ex = New-Object System.Management.Automation.RuntimeException ("The VM is still '" + $after + "' after it was turned off.")
    throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaStillRunning', ([System.Management.Automation.ErrorCategory]::InvalidResult), $VmId)
}
@{ state = $after; how = $how }
