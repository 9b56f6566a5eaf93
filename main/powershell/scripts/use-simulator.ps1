# Loads the simulated Hyper-V host into this session (demo mode, tests). Its functions shadow the real
# cmdlets of the same names, so the product scripts run unchanged and never reach real hardware.
param([Parameter(Mandatory = $true)][string]$ModulePath)
if (-not $env:DDA_SIM_STATE) { throw 'DDA_SIM_STATE is not set: refusing to load the simulator without a state file.' }
Import-Module -Name $ModulePath -Global -Force -DisableNameChecking
@{ loaded = $true; state = $env:DDA_SIM_STATE }
