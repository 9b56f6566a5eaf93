# Loads the simulated Hyper-V host into this session (demo mode, tests). Its functions shadow the real
# cmdlets of the same names, so the product scripts run unchanged and never reach real hardware.
# The state file is set here, as data, rather than in the environment PowerShell starts with: the
# process is the same for every host (the CLI starts it before it knows the host, prestart.ts).
# Later calls (and the simulator's jobs, child processes) read it from $env:DDA_SIM_STATE. Both are
# mandatory: an empty path is refused by the binder, before anything is loaded.
param([Parameter(Mandatory = $true)][string]$ModulePath, [Parameter(Mandatory = $true)][string]$StatePath)
$env:DDA_SIM_STATE = $StatePath
Import-Module -Name $ModulePath -Global -Force -DisableNameChecking
@{ loaded = $true; state = $env:DDA_SIM_STATE }
