# Points this local PowerShell process at one remote Hyper-V host (a start-up script of a remote host's
# session; see host-connection.ts). From here on Invoke-DdaCall forwards every call to that host over
# ONE persistent PSSession, opened on the first call and reopened when it is Broken or Closed:
#  - full endpoint: our dispatcher and host functions are loaded there once per connection; each call
#    sends the script text (once per connection, then by hash) and ONE JSON parameter string, and gets
#    ONE JSON envelope string back (never deserialized objects);
#  - JEA endpoint: only DDAStudio.Host's Invoke-DdaHostOperation -Name -ParametersJson (reads) and
#    Invoke-DdaHostPlan -RequestJson (the host-plan request: a whole plan, checked and run there) are called.
# Values reach New-PSSession and Invoke-Command as parameters and -ArgumentList, never as script text.
# The password (WinRM with a user) arrives as a secret of the session (its own input line, never part of a
# compiled command or a parameter binding) and lives only in this process, as a SecureString.
# Windows PowerShell 5.1 compatible (WinRM); SSH remoting needs PowerShell 7.3+ on this machine.
param(
    [Parameter(Mandatory = $true)][ValidateSet('ssh', 'winrm')][string]$Transport,
    [Parameter(Mandatory = $true)][string]$HostName,
    [string]$DisplayName,
    [int]$Port = 0,
    [string]$UserName,
    [string]$KeyFilePath,
    [string]$KnownHostsFile,
    [string]$Subsystem,
    # The ssh client by its full path in an administrators' folder (packaged-trust.ts sshClientPath).
    [string]$SshPath,
    [ValidateSet('full', 'jea')][string]$Endpoint = 'full',
    [int]$ConnectTimeoutMs = 20000,
    [bool]$UseSsl = $false,
    [bool]$SkipCertificateChecks = $false,
    [ValidateSet('Default', 'Kerberos', 'Negotiate')][string]$Authentication = 'Default',
    [string]$ConfigurationName,
    # The DDAStudio.Host version this app ships (JEA endpoint): another version on the host is refused.
    [string]$ExpectedModuleVersion,
    # ...and the hash of the scripts it ships (the same version with other scripts is refused too).
    [string]$ExpectedScriptsHash,
    # Our own files, sent to a full endpoint on every (re)connect: the dispatcher, then the host functions.
    [string]$DispatcherPath,
    [string]$HostFunctionsPath
)
if ($HostName.StartsWith('-')) { throw "Refusing host name '$HostName': it would be read as an ssh option." }
if ($Transport -eq 'ssh' -and $PSVersionTable.PSVersion -lt [version]'7.3') {
    throw "SSH remoting needs PowerShell 7.3 or later on this machine (this is $($PSVersionTable.PSVersion)); use WinRM or install PowerShell 7."
}
if ($Transport -eq 'ssh') {
    # PowerShell's SSH remoting starts the `ssh` its command discovery finds on PATH. This process runs
    # nothing else, so its PATH becomes the folder of the ssh the app resolved, and that must be what is found.
    if (-not $SshPath -or -not [IO.Path]::IsPathRooted($SshPath) -or -not (Test-Path -LiteralPath $SshPath -PathType Leaf)) {
        throw "The OpenSSH client is not at '$SshPath': install it there (Windows: Settings > Optional features > OpenSSH Client); DDA Studio never runs an ssh found elsewhere."
    }
    $env:PATH = [IO.Path]::GetDirectoryName($SshPath)
    $found = @(Get-Command -Name ssh -CommandType Application -ErrorAction SilentlyContinue)
    if ($found.Count -lt 1 -or $found[0].Source -ne $SshPath) { throw "Refusing to connect: 'ssh' resolves to '$(@($found | ForEach-Object { $_.Source }) -join ', ')', not '$SshPath'." }
}
# The password is a secret of this call ($global:DdaSecrets, see dispatcher.ps1), never a parameter: made
# into a SecureString with methods only, so no cmdlet's parameter binding ever holds it.
$secure = $null
if ($null -ne $global:DdaSecrets -and $global:DdaSecrets['Password']) {
    $secure = New-Object System.Security.SecureString
    foreach ($c in $global:DdaSecrets['Password'].ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
}
$bootstrap = @()
if ($Endpoint -eq 'full') {
    $bootstrap = @([IO.File]::ReadAllText($DispatcherPath), [IO.File]::ReadAllText($HostFunctionsPath))
}
$name = $DisplayName
if (-not $name) { $name = $HostName }

$global:DdaRemote = @{
    Transport = $Transport; HostName = $HostName; DisplayName = $name; Port = $Port; UserName = $UserName
    Password = $secure; KeyFilePath = $KeyFilePath; KnownHostsFile = $KnownHostsFile; Subsystem = $Subsystem
    Endpoint = $Endpoint; ConnectTimeoutMs = $ConnectTimeoutMs; UseSsl = $UseSsl
    SkipCertificateChecks = $SkipCertificateChecks; Authentication = $Authentication; ConfigurationName = $ConfigurationName
    Bootstrap = $bootstrap; ExpectedModuleVersion = $ExpectedModuleVersion; ExpectedScriptsHash = $ExpectedScriptsHash
    # Scripts that always run in this local process (use-remote.ps1 itself runs before this exists).
    LocalScripts = @{ 'remote-status.ps1' = $true }
    Session = $null; Info = $null
    Texts = @{}; Sent = @{}
}

function global:New-DdaRemoteErrorEnvelope {
    param([string]$Kind, [string]$Message, $Record)
    $info = @{ kind = $Kind; message = $Message; computerName = $global:DdaRemote.HostName }
    if ($null -ne $Record -and $Record -is [System.Management.Automation.ErrorRecord]) {
        $info.fullyQualifiedErrorId = [string]$Record.FullyQualifiedErrorId
        $info.category = [string]$Record.CategoryInfo.Category
        $info.exceptionType = $Record.Exception.GetType().FullName
    }
    ConvertTo-DdaEnvelopeJson @{ ok = $false; error = $info; errors = @() }
}

# The ssh options of every connection: never prompt (BatchMode), always check the host key, give up on a
# dead or silent host. Each goes to ssh as one "-o Key=Value" argument (PowerShell's SSHConnectionInfo
# too), which ssh splits like a line of ssh_config: a known_hosts path is quoted, or a profile folder with a
# space in it (C:\Users\John Smith) names two files and every host key fails to verify.
function global:Get-DdaSshOptions {
    $r = $global:DdaRemote
    $options = @{
        BatchMode = 'yes'; StrictHostKeyChecking = 'yes'
        ConnectTimeout = [string][Math]::Max(1, [Math]::Ceiling($r.ConnectTimeoutMs / 1000))
        ServerAliveInterval = '10'; ServerAliveCountMax = '3'
    }
    if ($r.KnownHostsFile) { $options.UserKnownHostsFile = '"' + $r.KnownHostsFile + '"' }
    $options
}

# Runs ssh once with the session's options and stdin closed, and returns its last complaint, if any.
function global:Get-DdaSshDiagnosis {
    $r = $global:DdaRemote
    $argv = @()
    $options = Get-DdaSshOptions
    foreach ($k in $options.Keys) { $argv += @('-o', ($k + '=' + $options[$k])) }
    if ($r.Port -gt 0) { $argv += @('-p', [string]$r.Port) }
    if ($r.UserName) { $argv += @('-l', $r.UserName) }
    if ($r.KeyFilePath) { $argv += @('-i', $r.KeyFilePath) }
    $sub = 'powershell'
    if ($r.Subsystem) { $sub = $r.Subsystem }
    # `--` ends ssh's options: the host name can never be read as one.
    $argv += @('-s', '--', $r.HostName, $sub)
    try {
        $lines = @($null | & ssh @argv 2>&1 | ForEach-Object { [string]$_ } | Where-Object { $_.Trim() -and $_ -notmatch '^Warning: Permanently added' })
    } catch {
        return $null
    }
    if ($LASTEXITCODE -eq 0 -or $lines.Count -eq 0) { return $null }
    return $lines[-1].Trim()
}

function global:Close-DdaRemoteSession {
    $r = $global:DdaRemote
    if ($null -ne $r.Session) { Remove-PSSession -Session $r.Session -ErrorAction SilentlyContinue }
    $r.Session = $null
    $r.Sent = @{}
}

# The open session, or a new one (with our code loaded on a full endpoint). Throws on failure.
function global:Get-DdaRemoteSession {
    $r = $global:DdaRemote
    if ($null -ne $r.Session -and $r.Session.State -eq 'Opened') { return $r.Session }
    Close-DdaRemoteSession
    if ($r.Transport -eq 'ssh') {
        $p = @{ HostName = $r.HostName; Options = (Get-DdaSshOptions); ConnectingTimeout = $r.ConnectTimeoutMs; ErrorAction = 'Stop' }
        if ($r.Port -gt 0) { $p.Port = $r.Port }
        if ($r.UserName) { $p.UserName = $r.UserName }
        if ($r.KeyFilePath) { $p.KeyFilePath = $r.KeyFilePath }
        if ($r.Subsystem) { $p.Subsystem = $r.Subsystem }
        try {
            $s = New-PSSession @p
        } catch {
            # PowerShell only says the transport ended; ssh itself says why (refused, key, host key...).
            $why = Get-DdaSshDiagnosis
            if (-not $why) { throw }
            $ex = New-Object System.Management.Automation.RuntimeException ("$why (" + $_.Exception.Message + ')')
            throw (New-Object System.Management.Automation.ErrorRecord $ex, ([string]$_.FullyQualifiedErrorId), 'OpenError', $r.HostName)
        }
    } else {
        if ([Environment]::OSVersion.Platform -ne [PlatformID]::Win32NT) {
            throw 'WinRM remoting needs Windows on this machine: PowerShell on Linux and macOS has no WSMan client. Use SSH for this host, or run DDA Studio on Windows.'
        }
        $so = @{ OpenTimeout = $r.ConnectTimeoutMs }
        if ($r.SkipCertificateChecks) { $so.SkipCACheck = $true; $so.SkipCNCheck = $true }
        $p = @{ ComputerName = $r.HostName; SessionOption = (New-PSSessionOption @so); Authentication = $r.Authentication; ErrorAction = 'Stop' }
        if ($r.Port -gt 0) { $p.Port = $r.Port }
        if ($r.UseSsl) { $p.UseSSL = $true }
        if ($r.ConfigurationName) { $p.ConfigurationName = $r.ConfigurationName }
        if ($r.UserName) {
            if ($null -eq $r.Password) { throw "No password for $($r.UserName) on $($r.HostName): enter it in the host's settings." }
            $p.Credential = New-Object System.Management.Automation.PSCredential ($r.UserName, $r.Password)
        }
        $s = New-PSSession @p
    }
    try {
        if ($r.Endpoint -eq 'full') {
            $info = Invoke-Command -Session $s -ErrorAction Stop -ArgumentList (, $r.Bootstrap) -ScriptBlock {
                param([string[]]$Texts)
                . ([scriptblock]::Create($Texts[0]))
                # A simulated remote host (tests, demos) names the simulator in its environment.
                $simulated = [bool]($env:DDA_SIM_STATE -and $env:DDA_SIM_MODULE)
                if ($simulated) { Import-Module -Name $env:DDA_SIM_MODULE -Global -Force -DisableNameChecking }
                $hf = ConvertFrom-Json (Invoke-DdaScript -Text $Texts[1] -Path 'host-functions.ps1' -ParamsJson '{}' -ScriptHash '')
                if (-not $hf.ok) { throw ('Loading the host functions failed: ' + $hf.error.message) }
                @{ computerName = [Environment]::MachineName; version = [string]$PSVersionTable.PSVersion; edition = [string]$PSVersionTable.PSEdition
                    simulated = $simulated }
            }
        } else {
            $info = Invoke-Command -Session $s -ErrorAction Stop -ScriptBlock { Get-DdaHostInfo }
            if ($r.ExpectedModuleVersion -and [string]$info.moduleVersion -ne $r.ExpectedModuleVersion) {
                throw ("DDAStudio.Host on this host is version $($info.moduleVersion); this DDA Studio needs $($r.ExpectedModuleVersion). " +
                    "Install the module again and re-run Register-DDAStudioEndpoint.ps1 ('Prepare this host' shows how).")
            }
            if ($r.ExpectedScriptsHash -and [string]$info.scriptsHash -ne $r.ExpectedScriptsHash) {
                throw ("DDAStudio.Host $($info.moduleVersion) on this host holds other scripts than this DDA Studio ships. " +
                    "Install the module again and re-run Register-DDAStudioEndpoint.ps1 ('Prepare this host' shows how).")
            }
        }
    } catch {
        Remove-PSSession -Session $s -ErrorAction SilentlyContinue
        throw
    }
    $r.Session = $s
    $r.Info = @{ computerName = [string]$info.computerName; version = [string]$info.version; edition = [string]$info.edition; simulated = [bool]$info.simulated }
    if ($info.moduleVersion) { $r.Info.moduleVersion = [string]$info.moduleVersion }
    return $s
}

# Runs one command on the host as a job and waits at most $TimeoutMs (0: no limit). When the time is up
# the command is stopped ON THE HOST (Stop-Job stops the remote pipeline), so a step that took too long
# does not go on changing the host while the app re-reads it and rolls back. Returns @{ timedOut; stopped }
# or @{ value }. Anything else throws: a job that could not start, one that failed (the transport, the
# host), or one that ended Disconnected or Suspended (a dropped WinRM link: its outcome is unknown).
function global:Invoke-DdaRemoteJob {
    param($Session, [scriptblock]$ScriptBlock, [object[]]$ArgumentList, [int]$TimeoutMs)
    $job = Invoke-Command -Session $Session -AsJob -ErrorAction Stop -ArgumentList $ArgumentList -ScriptBlock $ScriptBlock
    try {
        $seconds = -1
        if ($TimeoutMs -gt 0) { $seconds = [int][Math]::Ceiling($TimeoutMs / 1000.0) }
        if ($null -eq (Wait-Job -Job $job -Timeout $seconds)) {
            try { Stop-Job -Job $job -ErrorAction Stop } catch { }
            return @{ timedOut = $true; stopped = ([string]$job.State -eq 'Stopped') }
        }
        $state = [string]$job.State
        if ($state -ne 'Completed' -and $state -ne 'Failed') {
            try { Stop-Job -Job $job -ErrorAction Stop } catch { }
            throw "the command ended $($state): the connection dropped while it ran, and what it did is unknown until the host is read again."
        }
        # The answer is the command's one string (an envelope). An error record the host wrote beside it (a
        # non-terminating error after the script had answered) loses neither the answer nor the connection.
        $jobErrors = $null
        $received = @(Receive-Job -Job $job -ErrorAction SilentlyContinue -ErrorVariable jobErrors)
        $answers = @($received | Where-Object { $_ -is [string] })
        if ($state -eq 'Completed' -and $answers.Count -eq 1) { return @{ value = $answers[0] } }
        if (@($jobErrors).Count -gt 0) { throw $jobErrors[0] }
        if ($state -ne 'Completed') { throw "the command ended $($state) on the host without an answer." }
        return @{ value = $received }
    } finally {
        if ($null -ne $job) { Remove-Job -Job $job -Force -ErrorAction SilentlyContinue }
    }
}

# Whether an envelope is the dispatcher's "not cached" answer: a failure whose error has the reason
# 'not-cached' (its own marker, never its message). Only a short envelope is read: that answer is.
function global:Test-DdaNotCachedEnvelope($Json) {
    if ($Json -isnot [string] -or $Json.Length -gt 4096 -or -not $Json.Contains('not-cached')) { return $false }
    try { $e = ConvertFrom-Json -InputObject $Json } catch { return $false }
    # read property by property: the caller may run under strict mode
    $okProp = $e.PSObject.Properties['ok']
    $errProp = $e.PSObject.Properties['error']
    if ($null -eq $okProp -or $okProp.Value -ne $false -or $null -eq $errProp -or $null -eq $errProp.Value) { return $false }
    $reason = $errProp.Value.PSObject.Properties['reason']
    return ($null -ne $reason -and $reason.Value -eq 'not-cached')
}

function global:Invoke-DdaRemoteCall {
    param([string]$Text, [string]$Path, [string]$ParamsJson, [string]$ScriptHash, [int]$TimeoutMs = 0)
    $r = $global:DdaRemote
    # The text arrives once per local process (even when this call cannot connect); it is sent to the
    # host again after each reconnect.
    if ($Text) { $r.Texts[$ScriptHash] = $Text } elseif ($r.Texts.ContainsKey($ScriptHash)) { $Text = $r.Texts[$ScriptHash] }
    $file = [IO.Path]::GetFileName($Path)
    try {
        $s = Get-DdaRemoteSession
    } catch {
        return (New-DdaRemoteErrorEnvelope 'connection' ("Cannot connect to $($r.DisplayName) ($($r.HostName)): " + $_.Exception.Message) $_)
    }
    try {
        if ($r.Endpoint -eq 'jea') {
            $op = [IO.Path]::GetFileNameWithoutExtension($Path)
            if ($op -eq 'host-plan') {
                # A whole plan: the endpoint checks it against the host and runs it there with rollback.
                $out = Invoke-DdaRemoteJob -Session $s -TimeoutMs $TimeoutMs -ArgumentList $ParamsJson -ScriptBlock {
                    param($RequestJson) Invoke-DdaHostPlan -RequestJson $RequestJson
                }
            } else {
                $out = Invoke-DdaRemoteJob -Session $s -TimeoutMs $TimeoutMs -ArgumentList $op, $ParamsJson -ScriptBlock {
                    param($Name, $ParametersJson) Invoke-DdaHostOperation -Name $Name -ParametersJson $ParametersJson
                }
            }
        } else {
            $send = ''
            if (-not $r.Sent.ContainsKey($ScriptHash)) { $send = $Text }
            $run = { param($T, $P, $J, $H) Invoke-DdaScript -Text $T -Path $P -ParamsJson $J -ScriptHash $H }
            $clock = [Diagnostics.Stopwatch]::StartNew()
            $out = Invoke-DdaRemoteJob -Session $s -TimeoutMs $TimeoutMs -ArgumentList $send, $file, $ParamsJson, $ScriptHash -ScriptBlock $run
            if (-not $out.timedOut) { $r.Sent[$ScriptHash] = $true }
            # The host keeps only a text it parsed (one it refused, or a host process started anew, has
            # none): sent again once, so a parse error says itself on every call, in the time left. Nothing
            # ran on the host for that answer (the dispatcher returns it before running anything).
            if (-not $out.timedOut -and -not $send -and $Text -and (Test-DdaNotCachedEnvelope $out.value)) {
                $left = $TimeoutMs
                if ($TimeoutMs -gt 0) { $left = [int][Math]::Max(1000, $TimeoutMs - $clock.ElapsedMilliseconds) }
                $out = Invoke-DdaRemoteJob -Session $s -TimeoutMs $left -ArgumentList $Text, $file, $ParamsJson, $ScriptHash -ScriptBlock $run
            }
        }
        if ($out.timedOut) {
            $what = 'it was stopped there'
            if (-not $out.stopped) { $what = 'it could not be confirmed stopped there' }
            return (New-DdaRemoteErrorEnvelope 'timeout' ("$file did not finish within $TimeoutMs ms on $($r.DisplayName) ($($r.HostName)); $what. What it changed is unknown until the host is read again.") $null)
        }
        $json = $out.value
    } catch {
        # Our scripts' own errors come back inside the envelope: anything thrown here is the transport or
        # the host, with an unknown outcome; the executor must re-read the host (kind 'connection').
        $prefix = "$($r.DisplayName) ($($r.HostName)): "
        if ($s.State -ne 'Opened') {
            Close-DdaRemoteSession
            $prefix = "The connection to $($r.DisplayName) ($($r.HostName)) was lost during the call: "
        }
        return (New-DdaRemoteErrorEnvelope 'connection' ($prefix + $_.Exception.Message) $_)
    }
    if ($json -isnot [string] -or -not $json) {
        return (New-DdaRemoteErrorEnvelope 'protocol' "$($r.DisplayName) returned no result envelope for $file." $null)
    }
    return $json
}

@{ transport = $Transport; host = $HostName; endpoint = $Endpoint }
