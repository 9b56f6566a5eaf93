# Test fixture: the parameter metadata of the simulator's functions, as PowerShell's binder sees it
# (Get-CommandInfo), in the shape of reference/cmdlets.json. A parameter typed [PSTypeName('X')] is
# reported as X (the real type the binder checks for); the part after '#' of a CIM class name is dropped.
param([Parameter(Mandatory = $true)][string[]]$Names)
$common = @([System.Management.Automation.PSCmdlet]::CommonParameters) + @([System.Management.Automation.PSCmdlet]::OptionalCommonParameters)
$out = @{}
foreach ($n in $Names) {
    $c = Get-Command -Name $n -CommandType Function -ErrorAction Stop
    $binding = $c.ScriptBlock.Attributes | Where-Object { $_ -is [System.Management.Automation.CmdletBindingAttribute] } | Select-Object -First 1
    $sets = @($c.ParameterSets | ForEach-Object { $_.Name })
    $params = @{}
    foreach ($p in $c.Parameters.Values) {
        if ($common -contains $p.Name) { continue }
        $typeName = $p.ParameterType.Name
        $fullName = $p.ParameterType.FullName
        $named = $p.Attributes | Where-Object { $_ -is [System.Management.Automation.PSTypeNameAttribute] } | Select-Object -First 1
        if ($null -ne $named) {
            $fullName = ($named.PSTypeName -split '#')[0]
            $typeName = $fullName.Split('.')[-1]
            if ($p.ParameterType.IsArray) { $typeName += '[]'; $fullName += '[]' }
        }
        $perSet = @{}
        foreach ($kv in $p.ParameterSets.GetEnumerator()) {
            $m = $kv.Value
            $position = $null
            if ($m.Position -ne [int]::MinValue) { $position = $m.Position }
            $entry = @{ mandatory = [bool]$m.IsMandatory; position = $position; byValue = [bool]$m.ValueFromPipeline; byPropertyName = [bool]$m.ValueFromPipelineByPropertyName }
            $setNames = @($kv.Key)
            if ($kv.Key -eq '__AllParameterSets' -and $sets.Count -gt 0 -and $sets[0] -ne '__AllParameterSets') { $setNames = $sets }
            foreach ($s in $setNames) { $perSet[$s] = $entry }
        }
        $params[$p.Name] = @{ type = $typeName; typeFullName = $fullName; aliases = @($p.Aliases | Sort-Object); sets = $perSet }
    }
    $out[$n] = @{
        defaultParameterSet   = $c.DefaultParameterSet
        parameterSets         = $sets
        supportsShouldProcess = [bool]($null -ne $binding -and $binding.SupportsShouldProcess)
        parameters            = $params
    }
}
$out
