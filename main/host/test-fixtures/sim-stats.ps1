# Test fixture: the simulator's counters, optionally reset after reading.
param([bool]$Reset = $false)
$s = Get-DdaSimStats
if ($Reset) { Reset-DdaSimStats }
$s
