# Step: dismount a device from the host.
# -Force only when the plan says so: $Force when ACS is known to be missing (consented), or
# $ForceIfRefused to retry with -Force when the plain dismount is refused (also consented: the host
# refuses a device without a vendor mitigation driver). The refusal is not recognised by its text (hosts
# run in many languages): -Force skips exactly the ACS and mitigation-driver checks and nothing else, so
# a refusal for any other reason (no OS control of PCIe, not disabled, not found) fails again with -Force
# and that error is the step's. Without consent a refusal fails the step, and the plan is rolled back.
param([Parameter(Mandatory = $true)][string]$LocationPath, [bool]$Force = $false, [bool]$ForceIfRefused = $false)
if ($Force) {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $true }
}
try {
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $false }
} catch {
    if (-not $ForceIfRefused) { throw }
    $refusal = [string]$_.Exception.Message
    Dismount-VMHostAssignableDevice -LocationPath $LocationPath -Force -ErrorAction Stop
    return @{ dismounted = $LocationPath; forced = $true; refusal = $refusal }
}
