# Step: enable a device on the host (the PCI\ id, after it was mounted back).
# After Mount-VMHostAssignableDevice the PCI\ instance may take a moment to reappear (no source says
# how long; a labelled guess in main/simulator/reference/README.md): wait for it, bounded, then enable.
# -ErrorAction Stop is explicit: PnpDevice's CDXML functions ignore the caller's preference (issue 4568).
param([Parameter(Mandatory = $true)][string]$InstanceId, [int]$WaitSec = 15)
$deadline = [DateTime]::UtcNow.AddSeconds($WaitSec)
while ($true) {
    $present = @(Get-PnpDevice -InstanceId $InstanceId -ErrorAction SilentlyContinue | Where-Object { $_.Present })
    if ($present.Count -gt 0 -or [DateTime]::UtcNow -ge $deadline) { break }
    Start-Sleep -Milliseconds 250
}
Enable-PnpDevice -InstanceId $InstanceId -Confirm:$false -ErrorAction Stop
@{ enabled = $InstanceId }
