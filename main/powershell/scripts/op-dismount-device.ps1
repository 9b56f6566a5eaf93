# Step: dismount a device from the host.
# -Force only when the plan says so: $Force when ACS is known to be missing (consented), or
# $ForceIfRefused to retry with -Force when the plain dismount is refused for a reason -Force lifts (also
# consented: the host refuses a device without a vendor mitigation driver). No refusal is recognised by
# its text: hosts answer in Chinese, German, Japanese. A refusal counts as one -Force could lift when the
# facts leave nothing else: the device is still on the host, disabled (the plan disabled it), the host
# grants the OS control of PCIe (IovSupport), and it was not a missing device or a denied access.
# Without the consent such a refusal is re-raised with the error id DdaDismountRefused and the host's own
# message, so that the app can offer the force consent; any other failure is the step's, as it came.
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
$liftable = $false
try {
    $category = [string]$refused.CategoryInfo.Category
    $dismounted = @(Get-VMHostAssignableDevice -ErrorAction Stop | Where-Object { [string]$_.LocationPath -eq $LocationPath })
    $pcieControl = [bool](Get-VMHost -ErrorAction Stop).IovSupport
    $devices = @(Get-PnpDevice -PresentOnly -ErrorAction Stop | Where-Object { ([string]$_.InstanceId) -like 'PCI\*' })
    $disabled = $false
    if ($devices.Count -gt 0) {
        $ids = [string[]]@($devices | ForEach-Object { [string]$_.InstanceId })
        foreach ($p in @(Get-PnpDeviceProperty -InstanceId $ids -KeyName DEVPKEY_Device_LocationPaths -ErrorAction Stop)) {
            if (@($p.Data) -notcontains $LocationPath) { continue }
            $d = $devices | Where-Object { [string]$_.InstanceId -eq [string]$p.InstanceId } | Select-Object -First 1
            $code = [string]$d.ConfigManagerErrorCode
            $disabled = ($code -eq 'CM_PROB_DISABLED' -or $code -eq '22')
        }
    }
    $liftable = ($dismounted.Count -eq 0 -and $disabled -and $pcieControl -and @('ObjectNotFound', 'PermissionDenied') -notcontains $category)
} catch {
    $liftable = $false
}
if ($liftable -and $ForceIfRefused) {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $true; refusal = [string]$refused.Exception.Message }
}
if ($liftable) {
    $record = New-Object System.Management.Automation.ErrorRecord $refused.Exception, 'DdaDismountRefused', $refused.CategoryInfo.Category, $LocationPath
    throw $record
}
throw $refused
