# Step: disable a device on the host (before dismounting it).
param([Parameter(Mandatory = $true)][string]$InstanceId)
Disable-PnpDevice -InstanceId $InstanceId -Confirm:$false
@{ disabled = $InstanceId }
