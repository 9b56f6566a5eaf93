# Step: turn a VM's dynamic memory off (device assignment does not support it) or, as an undo or a
# restore, back on. The VM must be off. Set-VMMemory rather than Set-VM -StaticMemory: it names the
# one setting it changes, so the admin reading the plan sees exactly what happens.
param([Parameter(Mandatory = $true)][string]$VmId, [Parameter(Mandatory = $true)][bool]$DynamicMemoryEnabled)
Get-VM -Id $VmId | Set-VMMemory -DynamicMemoryEnabled $DynamicMemoryEnabled -Confirm:$false
@{ dynamicMemoryEnabled = $DynamicMemoryEnabled }
