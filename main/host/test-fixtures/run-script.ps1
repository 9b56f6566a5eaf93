# Test fixture: runs a PowerShell text the test itself wrote (admin-style command lines copied from
# public DDA material) against the session's host and returns its output.
param([Parameter(Mandatory = $true)][string]$Command)
& ([scriptblock]::Create($Command))
