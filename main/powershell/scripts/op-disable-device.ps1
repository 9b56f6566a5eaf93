# Step: disable a device on the host (before dismounting it).
# PnpDevice's cmdlets are CDXML functions: their errors are non-terminating and the caller's
# $ErrorActionPreference does not reach them (PowerShell issue 4568), so -ErrorAction Stop is explicit.
# The device must read disabled afterwards (ConfigManagerErrorCode 22, CM_PROB_DISABLED): Disable-PnpDevice
# calls Win32_PnPEntity.Disable, which reports a disable Windows deferred to a restart (a driver that
# refused to stop: its files in use) only in its RebootNeeded output (Microsoft Learn, "Disable method of
# the Win32_PnPEntity class"), which the cmdlet does not pass on (a labelled guess). Such a device is still
# working on the host: the step fails with its own id, instead of a dismount failing later for no clear reason.
# The disable is synchronous (the method returns once it is done or deferred): the state gets $WaitSec
# seconds to show.
param([Parameter(Mandatory = $true)][string]$InstanceId, [int]$WaitSec = 3)
Disable-PnpDevice -InstanceId $InstanceId -Confirm:$false -ErrorAction Stop
$code = ''
$deadline = [DateTime]::UtcNow.AddSeconds($WaitSec)
while ($true) {
    $code = [string](Get-PnpDevice -InstanceId $InstanceId -ErrorAction Stop).ConfigManagerErrorCode
    if ($code -eq 'CM_PROB_DISABLED' -or $code -eq '22' -or [DateTime]::UtcNow -ge $deadline) { break }
    Start-Sleep -Milliseconds 250
}
if (-not ($code -eq 'CM_PROB_DISABLED' -or $code -eq '22')) {
    # A deferred disable is still recorded: the device would go at the host's next restart (devcon calls
    # it "disabled on reboot"). Enabling it cancels that, so the host stays as it was; the rollback sees an
    # enabled device and undoes nothing of this step.
    $cancelled = $true
    try { Enable-PnpDevice -InstanceId $InstanceId -Confirm:$false -ErrorAction Stop } catch { $cancelled = $false }
    $why = "The device " + $InstanceId + " is not disabled after Disable-PnpDevice (its problem code is " + $code + "): Windows deferred the disable to a restart, because its driver did not stop."
    if ($cancelled) {
        $ex = New-Object System.Management.Automation.RuntimeException ($why + " The pending disable was cancelled. Close what uses the device, or restart the host, and try again.")
        throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaDisableDeferred', ([System.Management.Automation.ErrorCategory]::ResourceBusy), $InstanceId)
    }
    $ex = New-Object System.Management.Automation.RuntimeException ($why + " Cancelling it (Enable-PnpDevice) failed: the device will be disabled at the next restart unless it is enabled first.")
    throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaDisablePending', ([System.Management.Automation.ErrorCategory]::ResourceBusy), $InstanceId)
}
@{ disabled = $InstanceId }
