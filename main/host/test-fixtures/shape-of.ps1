# Test fixture: runs a command line of the simulator (text written by the test itself, never input) and
# returns each output object's PSTypeNames and its properties' .NET type names.
param([Parameter(Mandatory = $true)][string]$Command)
$objects = @(& ([scriptblock]::Create($Command)))
, @($objects | ForEach-Object {
    $o = $_
    $props = @{}
    foreach ($p in $o.PSObject.Properties) {
        $t = $null
        if ($null -ne $p.Value) { $t = $p.Value.GetType().Name }
        $props[$p.Name] = $t
    }
    @{ typeNames = @($o.PSObject.TypeNames); properties = $props }
})
