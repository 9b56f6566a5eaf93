# The host-wide locks of an operation's devices and VMs, held by the PowerShell process that runs it
# (main/host/host-lock.ts). The app's own locks only see its own operations; these also stop the `dda`
# CLI, a second admin's DDA Studio on the same host, and another workstation's session on a remote host
# from changing the same device or VM at the same time.
# One file per lock in <ProgramData>\DDA Studio\locks, named by the SHA-256 of the lock key (computed by
# the client: nothing of a key reaches a path), opened with no sharing: a second process cannot open it
# until this one closes it, and Windows closes it when the process ends, so a crash never leaves a lock.
# Beside each, <name>.holder says who holds it (read when the lock is refused; informational only).
# Acquire takes every lock or none. Release closes the locks of one operation.
# Windows PowerShell 5.1 compatible.
param(
    [Parameter(Mandatory = $true)][ValidateSet('Acquire', 'Release')][string]$Action,
    [Parameter(Mandatory = $true)][ValidatePattern('^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$')][string]$Token,
    [ValidatePattern('^[0-9a-f]{32}$')][string[]]$Names = @(),
    [ValidateLength(0, 1000)][string]$Holder = ''
)
if ($null -eq $global:DdaHostLocks) { $global:DdaHostLocks = @{} }

function Close-DdaHostLocks([string]$Token) {
    $open = $global:DdaHostLocks[$Token]
    $global:DdaHostLocks.Remove($Token)
    foreach ($f in @($open)) { if ($null -ne $f) { $f.Dispose() } }
    return @($open).Count
}

if ($Action -eq 'Release') { return @{ released = (Close-DdaHostLocks $Token) } }

# A lock this process already holds for the operation (a retried call) is taken again from scratch.
$null = Close-DdaHostLocks $Token
# ProgramData: set on every Windows host (the desktop app pins it to the system drive's, packaged-trust.ts);
# a simulated host has its own (DdaSim.psm1).
if (-not $env:ProgramData) { throw 'This host has no ProgramData folder ($env:ProgramData is empty): the operation locks cannot be kept.' }
$dir = [IO.Path]::Combine($env:ProgramData, 'DDA Studio', 'locks')
$null = [IO.Directory]::CreateDirectory($dir)
$utf8 = New-Object System.Text.UTF8Encoding $false
$me = ConvertTo-Json -Compress -InputObject @{
    holder   = $Holder
    user     = [Environment]::UserDomainName + '\' + [Environment]::UserName
    computer = [Environment]::MachineName
    pid      = $PID
    since    = [DateTime]::UtcNow.ToString('o')
}
$held = New-Object System.Collections.Generic.List[object]
foreach ($name in @($Names | Sort-Object -Unique)) {
    $path = [IO.Path]::Combine($dir, $name + '.lock')
    $file = $null
    try {
        $file = [IO.File]::Open($path, [IO.FileMode]::OpenOrCreate, [IO.FileAccess]::ReadWrite, [IO.FileShare]::None)
    } catch [System.IO.IOException] {
        # Held by another process (Windows: a sharing violation; elsewhere the advisory lock it maps to):
        # an IOException of its own type, never a subclass (file not found, path too long), which is a failure.
        if ($_.Exception.GetType() -ne [System.IO.IOException]) { throw }
        foreach ($f in $held) { $f.Dispose() }
        $by = $null
        try { $by = ConvertFrom-Json -InputObject ([IO.File]::ReadAllText($path + '.holder', $utf8)) } catch { }
        return @{ acquired = $false; heldBy = $by }
    } catch {
        foreach ($f in $held) { $f.Dispose() }
        throw
    }
    $held.Add($file)
    try { [IO.File]::WriteAllText($path + '.holder', $me, $utf8) } catch { }
}
$global:DdaHostLocks[$Token] = $held.ToArray()
@{ acquired = $true; count = $held.Count }
