# DDAStudio.Host: DDA Studio's operations as a module on the Hyper-V host, for the least-privilege
# JEA endpoint. Built by `dda hosts jea-module <folder>` (main/hosts/jea-module.ts), which adds
# dispatcher.ps1 and scripts\*.ps1 beside this file.
@{
    RootModule        = 'DDAStudio.Host.psm1'
    ModuleVersion     = '0.1.0'
    GUID              = '5b0f8a3e-5d2c-4f7e-9a57-3f2d8c1e4b61'
    Author            = 'DDA Studio'
    Description       = 'Discrete Device Assignment operations of DDA Studio, each whole on the host, for a JEA endpoint.'
    PowerShellVersion = '5.1'
    FunctionsToExport = @('Invoke-DdaHostOperation', 'Invoke-DdaHostPlan', 'Get-DdaHostInfo')
    CmdletsToExport   = @()
    VariablesToExport = @()
    AliasesToExport   = @()
}
