# Test fixture: runs generated host commands in one scope, with $env:ProgramData pointed at a test folder.
param([string[]]$Commands, [string]$ProgramData)
$env:ProgramData = $ProgramData
$ErrorActionPreference = 'Stop'
foreach ($c in $Commands) { . ([scriptblock]::Create($c)) }
'done'
