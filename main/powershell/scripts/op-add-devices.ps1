# Undo of a repair: add these devices back to the VM, in their original order.
# Only the ones the VM lacks: a removal may have stopped halfway (Remove-VMAssignableDevice takes the
# entries one by one and stops at the first failure), and a device added again would be a second entry
# (Hyper-V takes it; the VM then does not start).
param([Parameter(Mandatory = $true)][string]$VmId, [Parameter(Mandatory = $true)][string[]]$LocationPaths)
$vm = Get-VM -Id $VmId
$held = @{}
foreach ($a in @(Get-VMAssignableDevice -VM $vm)) { $held[([string]$a.LocationPath).ToUpperInvariant()] = $true }
$added = 0
foreach ($p in $LocationPaths) {
    if ($held.ContainsKey($p.ToUpperInvariant())) { continue }
    $vm | Add-VMAssignableDevice -LocationPath $p -Confirm:$false
    $added++
}
@{ added = $added }
