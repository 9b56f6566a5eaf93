# DDA Studio host functions, defined once per session (after the simulator, when one is loaded).
# Get-DdaPlatformFacts reads what no Hyper-V cmdlet reports: elevation, the hypervisor IOMMU policy, the
# CPU's physical address bits, the PCI controllers of the system/boot disk and the address a remote
# session arrived on (Get-DdaSessionArrival). One code path for a real
# host and the simulator: only the four OS primitives below (the process token, bcdedit, CPUID, the session's arrival) have a
# simulated version (DdaSim.psm1 defines functions of the same names, which then win); the system-disk
# walk runs as written against Win32_DiskDrive, Win32_DiskPartition and DEVPKEY_Device_Parent, which the
# simulator serves like a host.
# Windows PowerShell 5.1 compatible: no ternary, no ??, no pipeline chains.
# Whether a function exists is asked of the function drive (${function:Name}), not Get-Command: on a real
# host these names are not defined, and Get-Command then searches every module on PSModulePath for them
# (about 100 ms for the first miss of a process here, more on a Windows Server with its many modules, and
# 8-18 ms for each miss after it; Get-DdaPlatformFacts asks on every inventory).

if ($null -eq ${function:Test-DdaElevated}) {
    function global:Test-DdaElevated {
        try {
            $principal = New-Object Security.Principal.WindowsPrincipal ([Security.Principal.WindowsIdentity]::GetCurrent())
            return [bool]$principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)
        } catch { return $false }
    }
}

if ($null -eq ${function:Get-DdaIommuPolicy}) {
    function global:Get-DdaIommuPolicy {
        # bcdedit needs elevation; without it (or off Windows) the policy is unknown, never guessed.
        # Its output is localized, but the element names (hypervisoriommupolicy) and values are not.
        # By its full path in the system's folder (GetSystemDirectory), never a search of PATH, which an
        # elevated process inherits with the user's own folders in it.
        # Off Windows there is no system folder (and no bcdedit): unknown, and PATH is not searched either.
        $system = [Environment]::SystemDirectory
        if (-not $system) { return $null }
        try {
            $lines = & ([IO.Path]::Combine($system, 'bcdedit.exe')) /enum '{current}' 2>$null
            if ($LASTEXITCODE -ne 0) { return $null }
            $iommu = $true   # absent = "default": the hypervisor uses the IOMMU when present
            foreach ($l in $lines) {
                if ($l -match '^hypervisoriommupolicy\s+(\S+)') { $iommu = ($Matches[1] -ne 'disable') }
            }
            return $iommu
        } catch { return $null }
    }
}

if ($null -eq ${function:Get-DdaCpuAddressBits}) {
    function global:Get-DdaCpuAddressBits {
        # CPUID leaf 0x80000008, EAX bits 7:0 = physical address bits (.NET Core 3+ only; 5.1 says unknown).
        try {
            $x86 = [Type]::GetType('System.Runtime.Intrinsics.X86.X86Base')
            if ($null -ne $x86 -and $x86::IsSupported) { return [int](($x86::CpuId(-2147483640, 0)).Item1 -band 0xFF) }
        } catch { }
        return $null
    }
}

if ($null -eq ${function:Get-DdaSessionArrival}) {
    function global:Get-DdaSessionArrival {
        # The addresses of this host the current remote session may have arrived on, so the NIC that
        # carries DDA Studio's own connection is never taken: `addresses` (the candidates; empty when it
        # cannot be told), `address` (the one, when exactly one), `hostName` (the name WinRM was given).
        # SSH: sshd sets SSH_CONNECTION to "client-ip client-port server-ip server-port" (OpenSSH sshd(8),
        # ENVIRONMENT; Win32-OpenSSH sets it too): the server IP is exact.
        # WinRM / JEA: $PSSenderInfo.ConnectionString is the URI the client used (about_Automatic_Variables).
        # An IP in it is exact (an IPv6 link-local one loses its zone id in a URI, so it is looked up like a
        # name). A name is not resolved: Windows resolves its own name to every address it has, link-local
        # ones included, which would name every connected NIC. The session is one of the established TCP
        # connections to the listener instead, so their local addresses are the candidates: on the URI's
        # port and on WinRM's default HTTP and HTTPS listener ports 5985 and 5986 (a NAT may have changed the
        # port the client named), and on the listeners' configured ports. Another client's session can only
        # add candidates.
        # Neither: a local session (nothing to protect).
        $ssh = [string]$env:SSH_CONNECTION
        if ($ssh) {
            $parts = @($ssh.Split([char[]]@(' '), [StringSplitOptions]::RemoveEmptyEntries))
            $address = $null
            if ($parts.Count -ge 4) { $address = $parts[2] }
            # A dual-stack listener may report an IPv4 peer as ::ffff:a.b.c.d; the host's IPv4 row is a.b.c.d.
            if ($address -and $address -like '::ffff:*.*') { $address = $address.Substring(7) }
            return @{ remote = $true; address = $address; addresses = @($address | Where-Object { $_ }); hostName = $null }
        }
        $info = Get-Variable -Name PSSenderInfo -ValueOnly -ErrorAction SilentlyContinue
        if ($null -ne $info) {
            $uri = $null
            try { $uri = [Uri][string]$info.ConnectionString } catch { $uri = $null }
            $name = $null
            if ($null -ne $uri) { $name = $uri.Host }
            $ip = $null
            if ($name -and [Net.IPAddress]::TryParse($name.Trim('[', ']'), [ref]$ip) -and -not $ip.IsIPv6LinkLocal) {
                return @{ remote = $true; address = $ip.ToString(); addresses = @($ip.ToString()); hostName = $name }
            }
            $ports = @(5985, 5986)
            if ($null -ne $uri -and $uri.Port -gt 0) { $ports += $uri.Port }
            # And the ports of this host's own WinRM listeners: HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\
            # WSMAN\Listener\<address>+<transport>, value Port (a labelled guess: no Microsoft page names it;
            # public WinRM scripts read it there, and a listener on its default port may have none). Read with
            # .NET, which needs no provider in a JEA session; elsewhere it throws and adds nothing.
            try {
                $listeners = [Microsoft.Win32.Registry]::LocalMachine.OpenSubKey('SOFTWARE\Microsoft\Windows\CurrentVersion\WSMAN\Listener')
                if ($null -ne $listeners) {
                    try {
                        foreach ($n in $listeners.GetSubKeyNames()) {
                            $l = $listeners.OpenSubKey($n)
                            if ($null -eq $l) { continue }
                            try { $p = $l.GetValue('Port'); if ($null -ne $p) { $ports += [int]$p } } finally { $l.Close() }
                        }
                    } finally { $listeners.Close() }
                }
            } catch { }
            $found = @()
            try {
                $found = @([System.Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties().GetActiveTcpConnections() |
                        Where-Object { $_.State -eq [System.Net.NetworkInformation.TcpState]::Established -and $ports -contains $_.LocalEndPoint.Port } |
                        ForEach-Object { $_.LocalEndPoint.Address.ToString() } | Sort-Object -Unique)
            } catch { $found = @() }
            $one = $null
            if ($found.Count -eq 1) { $one = $found[0] }
            return @{ remote = $true; address = $one; addresses = $found; hostName = $name }
        }
        return @{ remote = $false; address = $null; addresses = @(); hostName = $null }
    }
}

# Get-PnpDeviceProperty for any number of devices. It is a CDXML cmdlet: its -InstanceId values become ONE
# WQL query, a "(DeviceID = '<id>')" per value joined by OR (PowerShell's cmdletization,
# CimQuery.GetMatchCondition), and WMI takes no query longer than WBEM_MAX_QUERY, 16,384 characters
# (wbemcli.h): about 190 PCI functions. So the ids are asked 64 at a time. Errors go where the caller's
# -ErrorAction says (passed on: PnpDevice's CDXML functions do not take a caller's preference), and into
# the caller's -ErrorVariable.
# Each row names its device by InstanceId, as its callers read it. The rows are Win32_PnPDeviceProperty
# instances, whose own property is DeviceID (Microsoft Learn, Win32_PnPDeviceProperty class); that the
# PnpDevice module adds InstanceId (the column its examples show) is a guess: where a batch's rows lack
# it, it is added as an alias of DeviceID, so either way every row is matched to its device.
function global:Get-DdaPnpDeviceProperty {
    [CmdletBinding()]
    param([string[]]$InstanceId, [string[]]$KeyName)
    for ($at = 0; $at -lt $InstanceId.Count; $at += 64) {
        $rows = @(Get-PnpDeviceProperty -InstanceId ([string[]]$InstanceId[$at..([Math]::Min($at + 64, $InstanceId.Count) - 1)]) -KeyName $KeyName -ErrorAction $ErrorActionPreference)
        if ($rows.Count -gt 0 -and $null -eq $rows[0].PSObject.Properties['InstanceId']) {
            foreach ($r in $rows) { Add-Member -InputObject $r -MemberType AliasProperty -Name InstanceId -Value DeviceID -Force }
        }
        $rows
    }
}

# Each running guest's OS name by its VM's id (upper case), from Hyper-V's key/value pair exchange: ONE
# query for all VMs (Msvm_KvpExchangeComponent, root/virtualization/v2: SystemName is the VM's GUID, and
# GuestIntrinsicExchangeItems the guest's own items, each an embedded Msvm_KvpExchangeDataItem in CIM-XML;
# OSName is one of them: Microsoft Learn). Only a guest with integration services that runs reports it.
# The text is the guest's, so hostile: parsed without DTDs or resolvers, control and format characters
# dropped, at most 256 characters kept. Throws when the class cannot be read.
function global:Get-DdaGuestOsNames {
    $names = @{}
    $settings = New-Object System.Xml.XmlReaderSettings
    $settings.DtdProcessing = [System.Xml.DtdProcessing]::Prohibit
    $settings.XmlResolver = $null
    # A character XML 1.0 has no place for (a control character, written as a reference) is read, then dropped.
    $settings.CheckCharacters = $false
    foreach ($k in @(Get-CimInstance -Namespace 'root/virtualization/v2' -ClassName Msvm_KvpExchangeComponent -ErrorAction Stop)) {
        foreach ($item in @($k.GuestIntrinsicExchangeItems)) {
            $text = [string]$item
            # Most items are other keys (FQDN, addresses, versions): only OSName's is parsed.
            if ($text.Length -gt 65536 -or $text.IndexOf('OSName', [StringComparison]::Ordinal) -lt 0) { continue }
            $doc = New-Object System.Xml.XmlDocument
            try { $doc.Load([System.Xml.XmlReader]::Create((New-Object System.IO.StringReader $text), $settings)) } catch { continue }
            $name = $doc.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Name']/VALUE")
            $data = $doc.SelectSingleNode("/INSTANCE/PROPERTY[@NAME='Data']/VALUE")
            if ($null -eq $name -or $null -eq $data -or $name.InnerText -cne 'OSName') { continue }
            $os = ($data.InnerText -replace '[\p{Cc}\p{Cf}]', '').Trim()
            if ($os.Length -gt 256) { $os = $os.Substring(0, 256) }
            if ($os) { $names[([string]$k.SystemName).ToUpperInvariant()] = $os }
        }
    }
    $names
}

# The first error of a PnP call that is not "not found" (a device gone since Get-PnpDevice), or $null.
# PnP cmdlets write errors without stopping: -ErrorAction SilentlyContinue alone would hide a failure.
function global:Get-DdaCallFailure($errors) {
    foreach ($e in @($errors)) { if (-not (([string]$e.FullyQualifiedErrorId) -like 'CmdletizationQuery_NotFound*')) { return $e } }
    return $null
}

# The PCI\ function each id is or sits below, by id in upper case ($null: none, a virtual device): the
# DEVPKEY_Device_Parent chain, walked one property call per level for all ids at once, 8 levels at most.
# A disk's chain ends at its storage controller; a network adapter's is its own id when it is the PCI
# function, else it ends at the function that runs the vendor's bus driver (Mellanox's mlx4_bus, Broadcom's
# and QLogic's VBD) or at the USB controller of a USB NIC. A call that fails throws: the caller says what
# is then unknown, never "no controller".
function global:Resolve-DdaPciFunction([string[]]$Ids) {
    $found = @{}
    $at = @{}
    foreach ($id in $Ids) {
        if (-not $id) { continue }
        $u = $id.ToUpperInvariant()
        if ($u -like 'PCI\*') { $found[$u] = $id } else { $found[$u] = $null; $at[$u] = $id }
    }
    for ($level = 0; $level -lt 8 -and $at.Count -gt 0; $level++) {
        $pending = @($at.Values | Sort-Object -Unique)
        $parent = @{}
        $walkErrors = $null
        foreach ($r in @(Get-DdaPnpDeviceProperty -InstanceId $pending -KeyName DEVPKEY_Device_Parent -ErrorAction SilentlyContinue -ErrorVariable walkErrors)) { $parent[([string]$r.InstanceId).ToUpperInvariant()] = [string]$r.Data }
        $walkFailure = Get-DdaCallFailure $walkErrors
        if ($null -ne $walkFailure) { throw $walkFailure }
        foreach ($k in @($at.Keys)) {
            $p = $parent[$at[$k].ToUpperInvariant()]
            if (-not $p) { $at.Remove($k) }
            elseif ($p -like 'PCI\*') { $found[$k] = $p; $at.Remove($k) }
            else { $at[$k] = $p }
        }
    }
    return $found
}
# Whether PowerShell 7 runs this host's Hyper-V (or PnpDevice...) module through Windows PowerShell
# compatibility: a module not marked for PowerShell 7 (Windows Server 2016's, windows-powershell-docs
# module-compatibility) is loaded into a Windows PowerShell process of its own, the session
# WinPSCompatSession, whose objects come back deserialized (about_Windows_PowerShell_Compatibility).
# Piped into Mount-VMHostAssignableDevice or Remove-VMAssignableDevice they bind to nothing, and the proxy
# module is written to the user's TEMP, a folder a process without elevation can write. Asked after the
# first Hyper-V call; never on Windows PowerShell. Get-PSSession by its plain name (tests replace it).
function global:Test-DdaWindowsPowerShellCompat {
    if ($PSVersionTable.PSEdition -ne 'Core') { return $false }
    [bool](@(Get-PSSession -Name 'WinPSCompatSession' -ErrorAction SilentlyContinue).Count -gt 0)
}
function global:Get-DdaPlatformFacts {
    # -DiskDrives: the Win32_DiskDrive rows, -PciFunctionOf: Resolve-DdaPciFunction's answer for their
    # PNPDeviceIDs, and -StorageDisks: the Get-Disk rows (or -StorageDisksError, why they could not be
    # read), when the caller has them already (inventory.ps1 walks its disks and network adapters in one
    # walk, and reads Get-Disk once); without them they are read here.
    param([object[]]$DiskDrives, [hashtable]$PciFunctionOf, [object[]]$StorageDisks, $StorageDisksError)
    # The PCI controllers behind the disks the host boots from: each disk's PnP parents up to its PCI\
    # device. Those disks are the ones Win32_DiskPartition's BootPartition (the active partition, Learn:
    # a BIOS/MBR idea) flags, and the ones Get-Disk calls IsBoot (Windows on it) or IsSystem (the
    # system partition), by disk number (MSFT_Disk.Number, Win32_DiskDrive.Index: PhysicalDriveN). What
    # BootPartition says on a GPT disk no source settles, so both are asked; when neither names a disk,
    # the system disk is unknown (fail closed), never "none".
    $systemDisk = New-Object System.Collections.Generic.List[string]
    $systemDiskKnown = $true
    try {
        if ($null -ne $DiskDrives) { $disks = $DiskDrives }
        else { $disks = @(Get-CimInstance -ClassName Win32_DiskDrive -ErrorAction Stop) }
        $bootIndexes = @{}
        foreach ($p in @(Get-CimInstance -ClassName Win32_DiskPartition -ErrorAction Stop)) { if ($p.BootPartition) { $bootIndexes[[string]$p.DiskIndex] = $true } }
        if ($null -eq $StorageDisks -and $null -eq $StorageDisksError) {
            try { $StorageDisks = @(Get-Disk -ErrorAction Stop) } catch { $StorageDisksError = $_ }
        }
        # Without Get-Disk's answer only BootPartition is left, which a GPT disk may not set: unknown.
        if ($null -ne $StorageDisksError) { $systemDiskKnown = $false }
        foreach ($d in @($StorageDisks)) { if ($null -ne $d -and ($d.IsBoot -or $d.IsSystem)) { $bootIndexes[[string]$d.Number] = $true } }
        if ($bootIndexes.Count -eq 0) { $systemDiskKnown = $false }
        $bootIds = @(foreach ($w in $disks) { if ($null -ne $w -and $bootIndexes.ContainsKey([string]$w.Index)) { [string]$w.PNPDeviceID } })
        # A disk number no Win32_DiskDrive row has: its controller is not known.
        if ($bootIds.Count -lt $bootIndexes.Count) { $systemDiskKnown = $false }
        $of = $PciFunctionOf
        if ($null -eq $of) { $of = Resolve-DdaPciFunction $bootIds }
        foreach ($id in $bootIds) {
            $pci = $null
            if ($id) { $pci = $of[$id.ToUpperInvariant()] }
            # A walk that ends elsewhere (Storage Spaces, iSCSI, VHD boot) leaves the controller unknown.
            if (-not $pci) { $systemDiskKnown = $false; continue }
            if (-not $systemDisk.Contains($pci)) { $systemDisk.Add($pci) }
        }
    } catch { $systemDiskKnown = $false }

    @{
        elevated                = [bool](Test-DdaElevated)
        iommuPolicyEnabled      = (Get-DdaIommuPolicy)
        osPcieControl           = $null
        physicalAddressBits     = (Get-DdaCpuAddressBits)
        systemDiskInstanceIds   = @($systemDisk)
        systemDiskKnown         = $systemDiskKnown
        simulated               = ($null -ne ${function:Get-DdaSimStats})
        windowsPowerShellCompat = (Test-DdaWindowsPowerShellCompat)
    }
}
