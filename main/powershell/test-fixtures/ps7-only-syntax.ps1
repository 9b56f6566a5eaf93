# Test fixture: PowerShell 7-only syntax, for the 5.1 compatibility checker's own test. Never run.
$a = $true ? 1 : 2
$b = $null ?? 'x'
$c = ${b}?.Length
Get-Date && Get-Date
$d = [System.Text.StringBuilder]::new()
$e = '{}' | ConvertFrom-Json -AsHashtable
