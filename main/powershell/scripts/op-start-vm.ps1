# Step: start a VM (at the end of an operation, or to undo a stop).
param([Parameter(Mandatory = $true)][string]$VmId)
Get-VM -Id $VmId | Start-VM -Confirm:$false
@{ state = [string](Get-VM -Id $VmId).State }
