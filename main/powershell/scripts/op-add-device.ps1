# Step: give a dismounted device to a VM, once.
param([Parameter(Mandatory = $true)][string]$VmId, [Parameter(Mandatory = $true)][string]$LocationPath)
Get-VM -Id $VmId | Add-VMAssignableDevice -LocationPath $LocationPath -Confirm:$false
@{ added = $LocationPath }
