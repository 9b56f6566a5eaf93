# Step: dismount a device from the host.
# -Force only when the plan says so: $Force when ACS is known to be missing (consented), or
# $ForceIfRefused to retry with -Force when the plain dismount is refused (also consented: the host
# refuses a device without a vendor mitigation driver). No refusal is recognised by its text: hosts
# answer in Chinese, German, Japanese. -Force skips exactly the ACS and mitigation-driver checks and
# nothing else, so a refusal for any other reason (no OS control of PCIe, not disabled, not found) fails
# again with -Force and that error is the step's. Without the consent, a refusal that -Force could lift
# (the device still on the host, the host granting OS control of PCIe, not a missing device or a denied
# access) is re-raised with the error id DdaDismountRefused and its original message, so that the app
# can offer the force consent; the plan is rolled back either way.
param([Parameter(Mandatory = $true)][string]$LocationPath, [bool]$Force = $false, [bool]$ForceIfRefused = $false)
if ($Force) {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $true }
}
try {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $false }
} catch {
    $refused = $_
}
if ($ForceIfRefused) {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $true; refusal = [string]$refused.Exception.Message }
}
$category = [string]$refused.CategoryInfo.Category
$stillOnHost = @(Get-VMHostAssignableDevice -LocationPath $LocationPath -ErrorAction SilentlyContinue).Count -eq 0
$pcieControl = [bool](Get-VMHost -ErrorAction Stop).IovSupport
if ($stillOnHost -and $pcieControl -and @('ObjectNotFound', 'PermissionDenied', 'ResourceUnavailable') -notcontains $category) {
    $record = New-Object System.Management.Automation.ErrorRecord $refused.Exception, 'DdaDismountRefused', $refused.CategoryInfo.Category, $LocationPath
    throw $record
}
throw $refused
