# Test fixture: a call that never finishes on its own (the session's timeout must stop it). With
# -ChildPidFile it first starts a child process and writes its pid there, to prove the tree is killed.
# -Say writes a line to stderr first (what PowerShell says there must reach the timeout's message).
param([int]$Seconds = 600, [string]$ChildPidFile, [string]$Say)
if ($Say) { [Console]::Error.WriteLine($Say) }
if ($ChildPidFile) {
    $child = Start-Process -FilePath 'sleep' -ArgumentList "$Seconds" -PassThru
    Set-Content -LiteralPath $ChildPidFile -Value $child.Id
}
Start-Sleep -Seconds $Seconds
@{ woke = $true }
