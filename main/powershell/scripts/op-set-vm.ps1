# Step: change the VM settings device assignment needs (and, as an undo, put them back).
# Only the settings given are changed.
param(
    [Parameter(Mandatory = $true)][string]$VmId,
    [string]$AutomaticStopAction,
    $GuestControlledCacheTypes,
    $LowMemoryMappedIoSpace,
    $HighMemoryMappedIoSpace,
    $DynamicMemoryEnabled
)
$set = @{}
if ($AutomaticStopAction) { $set.AutomaticStopAction = $AutomaticStopAction }
if ($null -ne $GuestControlledCacheTypes) { $set.GuestControlledCacheTypes = [bool]$GuestControlledCacheTypes }
if ($null -ne $LowMemoryMappedIoSpace) { $set.LowMemoryMappedIoSpace = [UInt32]$LowMemoryMappedIoSpace }
if ($null -ne $HighMemoryMappedIoSpace) { $set.HighMemoryMappedIoSpace = [UInt64]$HighMemoryMappedIoSpace }
if ($null -ne $DynamicMemoryEnabled) { if ([bool]$DynamicMemoryEnabled) { $set.DynamicMemory = $true } else { $set.StaticMemory = $true } }
Get-VM -Id $VmId | Set-VM @set -Confirm:$false
@{ changed = @($set.Keys | ForEach-Object { [string]$_ }) }
