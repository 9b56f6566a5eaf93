# Step: enable a device on the host (the PCI\ id, after it was mounted back).
param([Parameter(Mandatory = $true)][string]$InstanceId)
Enable-PnpDevice -InstanceId $InstanceId -Confirm:$false
@{ enabled = $InstanceId }
