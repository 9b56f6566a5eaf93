# Test fixture: calls one (simulated) cmdlet with a hashtable of parameters passed as data.
param([Parameter(Mandatory = $true)][string]$Command, $Parameters)
$p = @{}
if ($null -ne $Parameters) { foreach ($k in $Parameters.Keys) { $p[$k] = $Parameters[$k] } }
$out = @(& $Command @p)
@{ output = $out }
