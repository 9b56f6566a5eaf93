# DDA Studio call dispatcher: defined once per PowerShell process, then every call is ONE ASCII line
#   Invoke-DdaCall '<base64 UTF-8 script>' '<base64 UTF-8 JSON params>' '<script name>' '<call id>'
# The script text and the parameters arrive as data and are never spliced into each other: the
# parameters are decoded, turned into a hashtable and splatted onto the script block. The result goes
# back as one base64 line between markers, so nothing the script prints can be mistaken for it.
# Windows PowerShell 5.1 compatible (no ConvertFrom-Json -AsHashtable, no ternary, no ??).

function global:ConvertTo-DdaHashtable {
    param($InputObject)
    if ($null -eq $InputObject) { return $null }
    if ($InputObject -is [System.Management.Automation.PSCustomObject]) {
        $h = @{}
        foreach ($p in $InputObject.PSObject.Properties) { $h[$p.Name] = ConvertTo-DdaHashtable $p.Value }
        return $h
    }
    if ($InputObject -is [System.Collections.IList] -and $InputObject -isnot [string]) {
        $list = New-Object System.Collections.Generic.List[object]
        foreach ($i in $InputObject) { $list.Add((ConvertTo-DdaHashtable $i)) }
        return , $list.ToArray()
    }
    return $InputObject
}

function global:ConvertTo-DdaErrorInfo {
    param($Record, [string]$ScriptName)
    $info = @{ kind = 'powershell'; message = '' }
    if ($Record -is [System.Management.Automation.ErrorRecord]) {
        $info.message = [string]$Record.Exception.Message
        $info.fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
        $info.category = [string]$Record.CategoryInfo.Category
        if ($Record.CategoryInfo.Activity) { $info.command = [string]$Record.CategoryInfo.Activity }
        $ii = $Record.InvocationInfo
        if ($null -ne $ii) {
            if ($null -ne $ii.MyCommand -and $ii.MyCommand.Name) { $info.command = [string]$ii.MyCommand.Name }
            $info.scriptName = $ScriptName
            if ($ii.ScriptName) { $info.scriptName = [string]$ii.ScriptName }
            $info.scriptLine = [int]$ii.ScriptLineNumber
            if ($ii.Line) { $info.line = ([string]$ii.Line).Trim() }
        }
    } else {
        $info.message = [string]$Record
    }
    $info
}

function global:Invoke-DdaCall {
    param([string]$ScriptB64, [string]$ParamsB64, [string]$ScriptName, [string]$CallId)
    $envelope = $null
    $nonTerminating = New-Object System.Collections.Generic.List[object]
    try {
        $utf8 = New-Object System.Text.UTF8Encoding $false
        $text = $utf8.GetString([Convert]::FromBase64String($ScriptB64))
        $json = $utf8.GetString([Convert]::FromBase64String($ParamsB64))
        $params = ConvertTo-DdaHashtable (ConvertFrom-Json -InputObject $json)
        if ($null -eq $params) { $params = @{} }
        $block = [ScriptBlock]::Create($text)
        $ErrorActionPreference = 'Stop'
        $values = New-Object System.Collections.Generic.List[object]
        foreach ($item in @(& $block @params 2>&1)) {
            if ($item -is [System.Management.Automation.ErrorRecord]) { $nonTerminating.Add((ConvertTo-DdaErrorInfo $item $ScriptName)) }
            else { $values.Add($item) }
        }
        $value = $null
        if ($values.Count -eq 1) { $value = $values[0] } elseif ($values.Count -gt 1) { $value = $values.ToArray() }
        $envelope = @{ ok = $true; value = $value; errors = $nonTerminating.ToArray() }
    } catch {
        $envelope = @{ ok = $false; error = (ConvertTo-DdaErrorInfo $_ $ScriptName); errors = $nonTerminating.ToArray() }
    }
    try {
        $out = ConvertTo-Json -InputObject $envelope -Depth 24 -Compress
    } catch {
        $out = ConvertTo-Json -InputObject @{ ok = $false; error = @{ kind = 'protocol'; message = ('Result not serializable: ' + $_.Exception.Message) }; errors = @() } -Compress
    }
    $b64 = [Convert]::ToBase64String((New-Object System.Text.UTF8Encoding $false).GetBytes($out))
    [Console]::Out.WriteLine('<<DDA-RESULT:' + $CallId + '>>' + $b64 + '<<DDA-END>>')
}
