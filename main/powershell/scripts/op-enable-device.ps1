# Step: enable a device on the host (the PCI\ id, after it was mounted back).
# After Mount-VMHostAssignableDevice the PCI\ instance may take a moment to reappear (no source says
# how long; a labelled guess in main/simulator/reference/README.md): wait for it, bounded, then enable;
# a device not back by then fails the step.
# -ErrorAction Stop is explicit: PnpDevice's CDXML functions ignore the caller's preference (issue 4568).
param([Parameter(Mandatory = $true)][string]$InstanceId, [int]$WaitSec = 15)
$deadline = [DateTime]::UtcNow.AddSeconds($WaitSec)
while ($true) {
    $present = @(Get-PnpDevice -InstanceId $InstanceId -ErrorAction SilentlyContinue | Where-Object { $_.Present })
    if ($present.Count -gt 0 -or [DateTime]::UtcNow -ge $deadline) { break }
    Start-Sleep -Milliseconds 250
}
# A device that is not back is not enabled: what Enable-PnpDevice does with an id that is not present is
# not documented, and the step must not report a device on the host that is not there.
if ($present.Count -eq 0) {
    $ex = New-Object System.Management.Automation.RuntimeException ("The device " + $InstanceId + " is not present on the host after " + $WaitSec + " s.")
    throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaDeviceNotPresent', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $InstanceId)
}
Enable-PnpDevice -InstanceId $InstanceId -Confirm:$false -ErrorAction Stop
@{ enabled = $InstanceId }
