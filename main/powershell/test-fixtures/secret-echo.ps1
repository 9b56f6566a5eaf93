# Test fixture: a start-up script that writes to -Out what it was given: the secret ($global:DdaSecrets),
# a visible parameter, and the text of every compiled block on its call stack.
param([string]$Visible, [string]$Out)
$frames = @(Get-PSCallStack | ForEach-Object { [string]$_.Position.Text })
$seen = @{ password = $global:DdaSecrets['Password']; visible = $Visible; frames = $frames }
[IO.File]::WriteAllText($Out, ($seen | ConvertTo-Json -Depth 4), (New-Object System.Text.UTF8Encoding $false))
