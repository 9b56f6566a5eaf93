# Step: disable a device on the host (before dismounting it).
# PnpDevice's cmdlets are CDXML functions: their errors are non-terminating and the caller's
# $ErrorActionPreference does not reach them (PowerShell issue 4568), so -ErrorAction Stop is explicit.
param([Parameter(Mandatory = $true)][string]$InstanceId)
Disable-PnpDevice -InstanceId $InstanceId -Confirm:$false -ErrorAction Stop
@{ disabled = $InstanceId }
