# Step: take a device (every direct entry with this location path) away from a VM; with no path, every
# direct entry. An entry assigned through a resource pool (Windows Server 2022 and 2025 references, ResourcePoolName other
# than 'Primordial') is never taken: the 2025 reference's own example removes entries by filtering
# Get-VMAssignableDevice on ResourcePoolName and piping them, as here.
# Remove-VMAssignableDevice has two parameter sets only, VMName and Object (VMAssignedDevice[] from the
# pipeline); a VirtualMachine piped into it binds to nothing on a real host. So the VM's own entries
# are read and piped: no name look-up (VM names repeat and may hold wildcard characters).
param([Parameter(Mandatory = $true)][string]$VmId, [string]$LocationPath)
$vm = Get-VM -Id $VmId -ErrorAction Stop
# Direct entries only, in both forms (a host may fill in a pool entry's path; it is still the pool's).
$entries = @(Get-VMAssignableDevice -VM $vm -ErrorAction Stop | Where-Object { $null -eq $_.PSObject.Properties['ResourcePoolName'] -or -not $_.ResourcePoolName -or [string]$_.ResourcePoolName -eq 'Primordial' })
if ($LocationPath) {
    $entries = @($entries | Where-Object { ([string]$_.LocationPath).ToUpperInvariant() -eq $LocationPath.ToUpperInvariant() })
    if ($entries.Count -eq 0) {
        $ex = New-Object System.Management.Automation.RuntimeException ("The VM holds no device at location path '" + $LocationPath + "'.")
        throw (New-Object System.Management.Automation.ErrorRecord $ex, 'DdaNotHeld', ([System.Management.Automation.ErrorCategory]::ObjectNotFound), $LocationPath)
    }
}
if ($entries.Count -gt 0) { $entries | Remove-VMAssignableDevice -Confirm:$false -ErrorAction Stop }
@{ removed = $LocationPath; entries = $entries.Count }
