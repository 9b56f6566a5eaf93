# Test fixture: as a start-up script it keeps what it was given (a secret parameter) and the text of
# every compiled block on its call stack; called with -Report it returns that.
param([string]$Password, [string]$Visible, [switch]$Report)
if ($Report) { return $global:DdaTestSecretSeen }
$frames = @(Get-PSCallStack | ForEach-Object { [string]$_.Position.Text })
$global:DdaTestSecretSeen = @{ password = $Password; visible = $Visible; frames = $frames }
