# Step: dismount a device from the host.
# -Force only when the plan says so: $Force when ACS is known to be missing (consented), or
# $ForceIfRefused to retry with -Force when the dismount is refused for lack of a vendor mitigation
# driver (also consented). Without consent a refusal fails the step, and the plan is rolled back.
param([Parameter(Mandatory = $true)][string]$LocationPath, [bool]$Force = $false, [bool]$ForceIfRefused = $false)
if ($Force) {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force
    return @{ dismounted = $LocationPath; forced = $true }
}
try {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath
    return @{ dismounted = $LocationPath; forced = $false }
} catch {
    if ($ForceIfRefused -and $_.Exception.Message -like '*has not supplied any directives for securing this device*') {
        Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force
        return @{ dismounted = $LocationPath; forced = $true }
    }
    throw
}
