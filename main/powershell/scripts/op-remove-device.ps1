# Step: take a device (every entry with this location path) away from a VM; with no path, every device.
param([Parameter(Mandatory = $true)][string]$VmId, [string]$LocationPath)
$vm = Get-VM -Id $VmId
if ($LocationPath) { $vm | Remove-VMAssignableDevice -LocationPath $LocationPath } else { $vm | Remove-VMAssignableDevice }
@{ removed = $LocationPath }
