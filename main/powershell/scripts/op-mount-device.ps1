# Step: mount a dismounted device back to the host.
# The device is taken from Get-VMHostAssignableDevice (its path compared without case) and piped, never
# named by -LocationPath: the cmdlet may match the path as written only, and when nothing matches it may
# end without an error and without mounting anything (no source settles either; public decompilations
# suggest both). Afterwards the device must no longer be listed as dismounted.
param([Parameter(Mandatory = $true)][string]$LocationPath)
$wanted = $LocationPath.ToUpperInvariant()
# An error the listing writes about another device does not stop this step: only the wanted one counts.
function Get-DdaDismounted { @(Get-VMHostAssignableDevice -ErrorAction SilentlyContinue | Where-Object { ([string]$_.LocationPath).ToUpperInvariant() -eq $wanted }) }
function New-DdaStepError([string]$Message, [string]$ErrorId) {
    $ex = New-Object System.Management.Automation.RuntimeException $Message
    New-Object System.Management.Automation.ErrorRecord $ex, $ErrorId, ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $LocationPath
}
$found = @(Get-DdaDismounted)
if ($found.Count -eq 0) { throw (New-DdaStepError ("No device at location path '" + $LocationPath + "' is dismounted and free on this host.") 'DdaNotDismounted') }
$found | Mount-VMHostAssignableDevice -Confirm:$false
if (@(Get-DdaDismounted).Count -gt 0) { throw (New-DdaStepError ("The device at location path '" + $LocationPath + "' is still dismounted after Mount-VMHostAssignableDevice.") 'DdaStillDismounted') }
@{ mounted = $LocationPath }
