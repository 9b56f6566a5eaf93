# DDA Studio call dispatcher. Defined once per PowerShell process (session.ts dot-sources it right after
# start); afterwards every call is ONE ASCII line written by session.ts:
#   Invoke-DdaCall '<base64 UTF-8 script text>' '<base64 UTF-8 JSON params>' '<base64 UTF-8 script path>' '<call id>' '<script hash>'
#   ... -TimeoutMs <the call's own limit>  (a remote host's call is stopped there when it expires)
# (a call with secrets adds -ReadSecrets, and the secrets follow on the next line: '#name:base64;...').
#
# !! Security- and order-sensitive. What must not change:
#  - The script text and the parameters arrive as data. Parameters are decoded, turned into a hashtable
#    and SPLATTED onto the parsed script block; no value is ever spliced into script text.
#  - The whole call runs inside ONE try/catch with $ErrorActionPreference = 'Stop', so a throw stops the
#    script; errors written with -ErrorAction Continue are collected (2>&1) and returned in `errors`.
#  - The result leaves as one line: begin marker + base64(UTF-8 JSON envelope) + end marker. The call id
#    carries a per-process random nonce, so nothing a script prints can pass for a result.
#
# Result rule: a script returns ONE object (hashtable, PSCustomObject, array, scalar or nothing). One
# output object arrives as that JSON; no output or $null arrives as null; several output objects arrive
# as an array. PowerShell unrolls arrays written to the pipeline, so a script that wants to return an
# array (including one with a single element or none) writes `,@($items)` or puts it in a hashtable.
# Values are serialized with ConvertTo-Json -Depth 20 (a deeper value fails the call instead of being
# silently truncated on PowerShell 7). Return dates as strings ($d.ToString('o')) and enums as strings:
# 5.1 and 7 serialize them differently.
#
# Windows PowerShell 5.1 compatible: no ConvertFrom-Json -AsHashtable, no ternary, no ??, no ::new().

# Modules load from folders only administrators can write: the elevated session never imports a
# module a standard user planted in their own module folder (a Hyper-V or PnpDevice of their own
# would otherwise run inside every inventory). Kept: PowerShell's own folder, Program Files and Windows
# PowerShell's folder in System32 (where Hyper-V and PnpDevice live), not the whole Windows folder (a
# standard user may write in Windows\Temp, Windows\Tasks...), on Windows; /usr and /opt elsewhere. Our own
# modules are imported by path.
# A root holds itself and the folders below it, compared whole folder by whole folder after the path is
# made full: "C:\Program Files Evil" (a folder a standard user may create at C:\) is not under
# "C:\Program Files", nor is "C:\Program Files\..\Users\x". An entry that is not a full path ("Modules",
# Windows' drive-relative "C:Modules" and "\Modules") depends on the current folder and is dropped.
# Windows compares without case.
# The Windows folders come from the system, not from this process's environment: a user may set
# SystemRoot or ProgramFiles in HKCU\Environment, and an elevated process inherits them. System32 is
# GetSystemDirectory's answer ([Environment]::SystemDirectory); Program Files the known folder's
# ([Environment]::GetFolderPath, SHGetKnownFolderPath: that it does not follow a user's variable is a
# labelled guess; the desktop app pins the variables to the system's folders before it starts PowerShell,
# packaged-trust.ts).
function global:Get-DdaTrustedModuleRoots {
    param([bool]$OnWindows, [string]$EngineHome, [string]$SystemDirectory, [string[]]$ProgramFiles)
    if (-not $OnWindows) { return @(@($EngineHome, '/usr', '/opt') | Where-Object { $_ }) }
    $roots = @($EngineHome) + @($ProgramFiles)
    if ($SystemDirectory -match '^[A-Za-z]:\\') { $roots += $SystemDirectory.TrimEnd('\') + '\WindowsPowerShell\v1.0' }
    return @($roots | Where-Object { $_ })
}
$global:DdaOnWindows = [IO.Path]::DirectorySeparatorChar -eq [char]'\'
$global:DdaTrustedModuleRoots = Get-DdaTrustedModuleRoots -OnWindows $global:DdaOnWindows -EngineHome $PSHOME -SystemDirectory ([Environment]::SystemDirectory) `
    -ProgramFiles @([Environment]::GetFolderPath([Environment+SpecialFolder]::ProgramFiles), [Environment]::GetFolderPath([Environment+SpecialFolder]::ProgramFilesX86))
function global:Test-DdaTrustedModulePath {
    param([string]$Entry, [string[]]$Roots)
    $sep = [string][IO.Path]::DirectorySeparatorChar
    $how = [StringComparison]::Ordinal
    if ($global:DdaOnWindows) { $how = [StringComparison]::OrdinalIgnoreCase }
    try {
        if (-not $Entry) { return $false }
        if ($global:DdaOnWindows -and $Entry -notmatch '^[A-Za-z]:[\\/]') { return $false }
        if (-not $global:DdaOnWindows -and -not $Entry.StartsWith('/')) { return $false }
        $full = [IO.Path]::GetFullPath($Entry).TrimEnd([char[]]@([IO.Path]::DirectorySeparatorChar)) + $sep
        foreach ($root in $Roots) {
            if (-not $root -or -not [IO.Path]::IsPathRooted($root)) { continue }
            $under = [IO.Path]::GetFullPath($root).TrimEnd([char[]]@([IO.Path]::DirectorySeparatorChar)) + $sep
            if ($full.StartsWith($under, $how)) { return $true }
        }
    } catch { }
    return $false
}
$env:PSModulePath = (@($env:PSModulePath -split [IO.Path]::PathSeparator | Where-Object {
            Test-DdaTrustedModulePath -Entry $_ -Roots $global:DdaTrustedModuleRoots
        }) -join [IO.Path]::PathSeparator)
# PowerShell's own Microsoft.PowerShell.Utility (New-Object, ConvertTo-Json, the result's serializer) is
# imported from PowerShell's own folder, by its path: never found by a search, which took the first
# module on the path that exports the command asked for (the user's own folder came first). This also
# skips that search, 35 ms of every start (measured 2026-12-02, pwsh 7.6.9: the start-up line's
# first New-Object 86-163 ms without, 60-110 ms with). Nothing before this line may call a cmdlet
# from a module (session.ts sends the dispatcher first): the engine's own commands only.
try {
    Import-Module -Name ([IO.Path]::Combine($PSHOME, 'Modules', 'Microsoft.PowerShell.Utility', 'Microsoft.PowerShell.Utility.psd1')) -ErrorAction Stop
} catch { }

if ($PSVersionTable.PSVersion.Major -lt 6) {
    # 5.1's type data for System.Array makes ConvertTo-Json write a wrapped array as {"value":[..],"Count":n}.
    Remove-TypeData -TypeName System.Array -ErrorAction SilentlyContinue
}

# PowerShell 7's ConvertFrom-Json turns ISO-date-looking strings into DateTime; System.Text.Json does not.
$global:DdaUseTextJson = $null -ne ('System.Text.Json.JsonDocument' -as [type])
# Parser.ParseInput(input, fileName, ...) names the script in errors and stack traces (absent on old hosts).
# One exact lookup (a scan of every method through Where-Object cost a cold session 30-100 ms).
$global:DdaParseWithName = $null -ne [System.Management.Automation.Language.Parser].GetMethod('ParseInput', [Type[]]@(
        [string], [string], [System.Management.Automation.Language.Token[]].MakeByRefType(),
        [System.Management.Automation.Language.ParseError[]].MakeByRefType()))
# Parsed script blocks of this process with their parameter names, by the hash of their text (bounded
# by the number of script files).
$global:DdaScriptCache = @{}
# Their lines by path, to quote the failing line when only the stack trace knows it.
$global:DdaScriptLines = @{}

function global:ConvertFrom-DdaJsonElement {
    param($Element)
    switch ($Element.ValueKind.ToString()) {
        'Object' {
            $h = @{}
            foreach ($p in $Element.EnumerateObject()) { $h[$p.Name] = ConvertFrom-DdaJsonElement $p.Value }
            return $h
        }
        'Array' {
            $list = New-Object System.Collections.Generic.List[object]
            foreach ($i in $Element.EnumerateArray()) { $list.Add((ConvertFrom-DdaJsonElement $i)) }
            return , $list.ToArray()
        }
        'String' { return $Element.GetString() }
        'Number' {
            [int]$i32 = 0
            if ($Element.TryGetInt32([ref]$i32)) { return $i32 }
            [long]$i64 = 0
            if ($Element.TryGetInt64([ref]$i64)) { return $i64 }
            return $Element.GetDouble()
        }
        'True' { return $true }
        'False' { return $false }
    }
    return $null
}

# The 5.1 path: ConvertFrom-Json gives PSCustomObjects; turn them into hashtables, arrays stay arrays.
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

function global:ConvertFrom-DdaJson {
    param([string]$Json)
    if ($global:DdaUseTextJson) {
        $doc = [System.Text.Json.JsonDocument]::Parse($Json)
        try { return (ConvertFrom-DdaJsonElement $doc.RootElement) } finally { $doc.Dispose() }
    }
    return (ConvertTo-DdaHashtable (ConvertFrom-Json -InputObject $Json))
}

# The script and line of a stack trace's first frame when that script is one of ours, else $null. The
# frame's words are localized ("at <x>, <path>: line 5", "bei <x>, <path>: Zeile 5"; DebuggerStrings
# "at {0}, {1}: line {2}" is a translated resource): only our known path is looked for, and the first
# number after it is the line.
function global:Find-DdaScriptFrame([string]$StackTrace) {
    $frame = ($StackTrace -split "`n")[0]
    if (-not $frame) { return $null }
    foreach ($path in @($global:DdaScriptLines.Keys)) {
        $at = $frame.IndexOf([string]$path, [StringComparison]::Ordinal)
        if ($at -lt 0) { continue }
        if ($frame.Substring($at + ([string]$path).Length) -match '^\D*(\d+)') { return @{ path = [string]$path; line = [int]$Matches[1] } }
    }
    return $null
}

function global:ConvertTo-DdaErrorInfo {
    param($Record, [string]$ScriptPath)
    $info = @{ kind = 'powershell'; message = '' }
    if ($Record -is [System.Management.Automation.ErrorRecord]) {
        $info.message = [string]$Record.Exception.Message
        $info.exceptionType = $Record.Exception.GetType().FullName
        $info.fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
        $info.category = [string]$Record.CategoryInfo.Category
        if ($Record.CategoryInfo.Activity) { $info.command = [string]$Record.CategoryInfo.Activity }
        if ($Record.ScriptStackTrace) { $info.scriptStackTrace = [string]$Record.ScriptStackTrace }
        $info.scriptName = $ScriptPath
        $ii = $Record.InvocationInfo
        if ($null -ne $ii -and $null -ne $ii.MyCommand -and $ii.MyCommand.Name) { $info.command = [string]$ii.MyCommand.Name }
        if ($null -ne $ii -and $ii.ScriptName) {
            # the statement that raised it, in a script file we know
            $info.scriptName = [string]$ii.ScriptName
            $info.scriptLine = [int]$ii.ScriptLineNumber
            if ($ii.Line) { $info.line = ([string]$ii.Line).Trim() }
        } elseif ($null -ne ($frame = Find-DdaScriptFrame ([string]$Record.ScriptStackTrace))) {
            # Write-Error at a script's top level: InvocationInfo names the caller; the stack knows better.
            $info.scriptName = $frame.path
            $info.scriptLine = $frame.line
            $lines = $global:DdaScriptLines[$info.scriptName]
            if ($null -ne $lines -and $info.scriptLine -le $lines.Count) { $info.line = ([string]$lines[$info.scriptLine - 1]).Trim() }
        } elseif ($null -ne $ii) {
            $info.scriptLine = [int]$ii.ScriptLineNumber
            if ($ii.Line) { $info.line = ([string]$ii.Line).Trim() }
        }
    } else {
        $info.message = [string]$Record
    }
    $info
}

function global:ConvertTo-DdaEnvelopeJson {
    param($Envelope)
    try {
        return (ConvertTo-Json -InputObject $Envelope -Depth 21 -Compress -WarningAction Stop)
    } catch {
        $why = 'The result could not be serialized (deeper than 20 levels?): ' + $_.Exception.Message
        return (ConvertTo-Json -InputObject @{ ok = $false; error = @{ kind = 'protocol'; message = $why }; errors = @() } -Compress)
    }
}

function global:Write-DdaEnvelopeJson {
    param([string]$Json, [string]$CallId)
    $b64 = [Convert]::ToBase64String((New-Object System.Text.UTF8Encoding $false).GetBytes($Json))
    [Console]::Out.WriteLine('<<DDA-RESULT:' + $CallId + '>>' + $b64 + '<<DDA-END>>')
}

function global:Get-DdaScriptBlock {
    param([string]$Text, [string]$Path)
    $tokens = $null
    $parseErrors = $null
    if ($global:DdaParseWithName) {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, $Path, [ref]$tokens, [ref]$parseErrors)
    } else {
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Text, [ref]$tokens, [ref]$parseErrors)
    }
    if ($parseErrors.Count -gt 0) {
        $first = $parseErrors[0]
        return @{ error = @{
                kind = 'powershell'; message = [string]$first.Message; fullyQualifiedErrorId = [string]$first.ErrorId
                category = 'ParserError'; scriptName = $Path; scriptLine = [int]$first.Extent.StartLineNumber
                line = ([string]$first.Extent.StartScriptPosition.Line).Trim()
            } }
    }
    # The names a call may pass: the script's own param() block, nothing else. Common parameters
    # (-ErrorAction, -WhatIf, -Verbose...) and $args would change how a script runs, so they are refused.
    $names = @{}
    if ($null -ne $ast.ParamBlock) {
        foreach ($p in $ast.ParamBlock.Parameters) { $names[$p.Name.VariablePath.UserPath] = $true }
    }
    @{ block = $ast.GetScriptBlock(); names = $names }
}

# Runs one of our scripts with its parameters (JSON) and returns the envelope as a JSON string. The
# parsed block is cached by $ScriptHash; $Text may be empty when the hash is cached in this process.
# Used by Invoke-DdaCall here, on a remote host's full endpoint, and by the DDAStudio.Host module.
function global:Invoke-DdaScript {
    param([string]$Text, [string]$Path, [string]$ParamsJson, [string]$ScriptHash)
    $nonTerminating = New-Object System.Collections.Generic.List[object]
    try {
        $parsed = $null
        if ($ScriptHash) { $parsed = $global:DdaScriptCache[$ScriptHash] }
        if ($null -eq $parsed) {
            # reason: what a remote client reads to send the text again (never the message, which is for people)
            if (-not $Text) { return (ConvertTo-DdaEnvelopeJson @{ ok = $false; error = @{ kind = 'protocol'; message = "Script $Path is not cached in this process."; scriptName = $Path; reason = 'not-cached' }; errors = @() }) }
            $global:DdaScriptLines[$Path] = $Text -split "`r?`n"
            $parsed = Get-DdaScriptBlock -Text $Text -Path $Path
            if ($parsed.error) { return (ConvertTo-DdaEnvelopeJson @{ ok = $false; error = $parsed.error; errors = @() }) }
            if ($ScriptHash) { $global:DdaScriptCache[$ScriptHash] = $parsed }
        }
        $block = $parsed.block
        $params = ConvertFrom-DdaJson $ParamsJson
        if ($params -isnot [hashtable]) { $params = @{} }
        foreach ($key in @($params.Keys)) {
            if (-not $parsed.names.ContainsKey([string]$key)) {
                return (ConvertTo-DdaEnvelopeJson @{ ok = $false; error = @{ kind = 'protocol'; message = "$([IO.Path]::GetFileName($Path)) has no parameter '$key'."; scriptName = $Path }; errors = @() })
            }
        }
        $ErrorActionPreference = 'Stop'
        $values = New-Object System.Collections.Generic.List[object]
        # ForEach-Object sees each output object as written: an array written with `,@(...)` stays one array.
        & $block @params 2>&1 | ForEach-Object {
            if ($_ -is [System.Management.Automation.ErrorRecord]) { $nonTerminating.Add((ConvertTo-DdaErrorInfo $_ $Path)) }
            else { $values.Add($_) }
        }
        $value = $null
        if ($values.Count -eq 1) { $value = $values[0] } elseif ($values.Count -gt 1) { $value = $values.ToArray() }
        $envelope = @{ ok = $true; value = $value; errors = $nonTerminating.ToArray() }
    } catch {
        $envelope = @{ ok = $false; error = (ConvertTo-DdaErrorInfo $_ $Path); errors = $nonTerminating.ToArray() }
    } finally {
        # Error records can hold large target objects; the session keeps none between calls.
        $global:Error.Clear()
    }
    return (ConvertTo-DdaEnvelopeJson $envelope)
}

# The next line of standard input, read from the reader the host reads its commands from (the line after
# the call line has already reached it). PowerShell 6 and 7's console host reads Console.In (ConsoleHost.ConsoleIn
# is Lazy<TextReader> of Console.In). Windows PowerShell 5.1's reads redirected stdin through a buffered
# reader of its own (ConsoleHost.StandardInReader, internal: PowerShell/PowerShell@60b3b304f2,
# ConsoleHost.cs and ConsoleHostUserInterface.ReadLine), which has taken the line already, so
# [Console]::In would wait for input that never comes. The host object is a parameter for the test.
function global:Read-DdaHostLine {
    param($HostObject = $Host)
    $flags = [Reflection.BindingFlags]'Instance, NonPublic, Public'
    $reader = $null
    try {
        $ext = $HostObject.GetType().GetProperty('ExternalHost', $flags).GetValue($HostObject, $null)
        $p = $ext.GetType().GetProperty('StandardInReader', $flags)
        if ($null -ne $p) { $reader = $p.GetValue($ext, $null) }
    } catch { $reader = $null }
    if ($null -ne $reader) { return $reader.ReadLine() }
    if ($PSVersionTable.PSVersion.Major -lt 6) { throw 'The line after the call could not be read: this Windows PowerShell host has no standard input reader DDA Studio knows.' }
    return [Console]::In.ReadLine()
}

# The one line session.ts writes per call. Runs here, or on the remote host when this process was
# pointed at one (use-remote.ps1 defines Invoke-DdaRemoteCall).
# With -ReadSecrets the next input line is read here, first thing, as data: '#' then name:base64(UTF-8
# value) pairs joined by ';' (e.g. a password). It never becomes part of code PowerShell compiles (script
# block logging), and should it ever be run as a command it is a comment. It is decoded with .NET methods
# only and handed over in $global:DdaSecrets for the duration of the call, never as a command's parameter,
# so module logging's parameter bindings do not see it either. Local scripts only; never forwarded.
function global:Invoke-DdaCall {
    param([string]$ScriptB64, [string]$ParamsB64, [string]$PathB64, [string]$CallId, [string]$ScriptHash, [int]$TimeoutMs = 0, [switch]$ReadSecrets)
    $secretLine = $null
    $secretFailure = $null
    if ($ReadSecrets) { try { $secretLine = Read-DdaHostLine } catch { $secretFailure = $_ } }
    try {
        if ($null -ne $secretFailure) { throw $secretFailure }
        $utf8 = New-Object System.Text.UTF8Encoding $false
        $path = $utf8.GetString([Convert]::FromBase64String($PathB64))
        $text = ''
        if ($ScriptB64) { $text = $utf8.GetString([Convert]::FromBase64String($ScriptB64)) }
        $paramsJson = $utf8.GetString([Convert]::FromBase64String($ParamsB64))
        if ($ReadSecrets) {
            $global:DdaSecrets = @{}
            if ($null -ne $secretLine) {
                foreach ($pair in $secretLine.TrimStart('#').Split(';')) {
                    $at = $pair.IndexOf(':')
                    if ($at -gt 0) { $global:DdaSecrets[$pair.Substring(0, $at)] = $utf8.GetString([Convert]::FromBase64String($pair.Substring($at + 1))) }
                }
            }
            $secretLine = $null
        }
        if ($null -ne $global:DdaRemote -and -not $global:DdaRemote.LocalScripts.ContainsKey([IO.Path]::GetFileName($path))) {
            if ($ReadSecrets) { throw 'Secrets are for local scripts only.' }
            $json = Invoke-DdaRemoteCall -Text $text -Path $path -ParamsJson $paramsJson -ScriptHash $ScriptHash -TimeoutMs $TimeoutMs
        } else {
            $json = Invoke-DdaScript -Text $text -Path $path -ParamsJson $paramsJson -ScriptHash $ScriptHash
        }
    } catch {
        $json = ConvertTo-DdaEnvelopeJson @{ ok = $false; error = (ConvertTo-DdaErrorInfo $_ ''); errors = @() }
    } finally {
        $global:DdaSecrets = $null
    }
    Write-DdaEnvelopeJson $json $CallId
}

# Ends the start-up line: proves the dispatcher is defined and says which PowerShell this is.
function global:Complete-DdaStartup {
    param([string]$CallId)
    $value = @{ version = [string]$PSVersionTable.PSVersion; edition = [string]$PSVersionTable.PSEdition; pid = $PID }
    Write-DdaEnvelopeJson (ConvertTo-DdaEnvelopeJson @{ ok = $true; value = $value; errors = @() }) $CallId
}
