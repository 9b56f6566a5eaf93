# Test fixture: parses each command with PowerShell's own parser (nothing runs) and reports its parse
# errors, the names of the commands it would call, and the values of its single-quoted literals.
param([string[]]$Commands)
$out = New-Object System.Collections.Generic.List[object]
foreach ($c in $Commands) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseInput($c, [ref]$tokens, [ref]$errors)
    $names = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { [string]$_.GetCommandName() })
    $literals = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.StringConstantExpressionAst] -and $n.StringConstantType -eq 'SingleQuoted' }, $true) | ForEach-Object { $_.Value })
    $expandable = @($ast.FindAll({ param($n) $n -is [System.Management.Automation.Language.SubExpressionAst] }, $true)).Count
    $out.Add(@{ command = $c; errors = @($errors | ForEach-Object { $_.Message }); names = $names; literals = $literals; subExpressions = $expandable })
}
, $out.ToArray()
