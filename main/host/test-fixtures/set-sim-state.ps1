# Test fixture: points the simulator in this session at another state file (a fresh host per test).
param([Parameter(Mandatory = $true)][string]$Path)
$env:DDA_SIM_STATE = $Path
Reset-DdaSimStats
@{ state = $Path }
