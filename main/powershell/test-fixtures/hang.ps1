# Test fixture: a call that never finishes on its own (the session's timeout must stop it).
param([int]$Seconds = 600)
Start-Sleep -Seconds $Seconds
@{ woke = $true }
