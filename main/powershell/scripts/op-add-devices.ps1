# Undo of a repair: add these devices back to the VM, in their original order.
param([Parameter(Mandatory = $true)][string]$VmId, [Parameter(Mandatory = $true)][string[]]$LocationPaths)
$vm = Get-VM -Id $VmId
foreach ($p in $LocationPaths) { $vm | Add-VMAssignableDevice -LocationPath $p }
@{ added = $LocationPaths.Count }
