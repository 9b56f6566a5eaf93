# The state of this process's remote connection (runs locally): connects when asked, never throws.
param([bool]$Connect = $false)
$r = $global:DdaRemote
if ($null -eq $r) { return @{ remote = $false } }
$err = $null
if ($Connect) {
    try { $null = Get-DdaRemoteSession } catch { $err = $_.Exception.Message }
}
$state = 'None'
if ($null -ne $r.Session) { $state = [string]$r.Session.State }
@{ remote = $true; host = $r.HostName; state = $state; info = $r.Info; error = $err }
