# Reads the VM start failures the host recorded (issue 18): the error events of the
# Microsoft-Windows-Hyper-V-Worker-Admin log, newest first, as raw data. Nothing here reads the text:
# the caller finds the VM by its id among the event's data and the code by its value (or the
# "(0x........)" every language's message carries). One Get-WinEvent call.
# No event, or no such log (Hyper-V not installed): an empty list, told apart by the error's
# FullyQualifiedErrorId (NoMatchingEventsFound / NoMatchingLogsFound, Get-WinEvent's ids), never its text.
param([int]$MaxEvents = 100)
$out = New-Object System.Collections.ArrayList
$events = @()
$readable = $true
try {
    $events = @(Get-WinEvent -FilterHashtable @{ LogName = 'Microsoft-Windows-Hyper-V-Worker-Admin'; Level = 2 } -MaxEvents $MaxEvents -ErrorAction Stop)
} catch {
    $id = [string]$_.FullyQualifiedErrorId
    if (-not ($id -like 'NoMatchingEventsFound*' -or $id -like 'NoMatchingLogsFound*')) { $readable = $false }
}
foreach ($e in $events) {
    $data = New-Object System.Collections.ArrayList
    foreach ($p in @($e.Properties)) {
        $v = $p.Value
        if ($null -eq $v) { [void]$data.Add($null) }
        elseif ($v -is [int] -or $v -is [uint32] -or $v -is [long] -or $v -is [int16] -or $v -is [uint16]) { [void]$data.Add([long]$v) }
        else { [void]$data.Add([string]$v) }
    }
    $at = $null
    if ($null -ne $e.TimeCreated) { $at = ([datetime]$e.TimeCreated).ToUniversalTime().ToString('o') }
    [void]$out.Add(@{ id = [int]$e.Id; at = $at; message = [string]$e.Message; data = @($data) })
}
@{ readable = $readable; events = @($out) }
