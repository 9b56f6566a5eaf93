# Test fixture: finds PowerShell 7-only syntax in the given files with PowerShell's own parser, so the
# scripts that run on a Windows host's default remoting endpoint (Windows PowerShell 5.1) stay valid there.
param([string[]]$Paths)
$findings = New-Object System.Collections.Generic.List[object]
foreach ($path in $Paths) {
    $tokens = $null
    $errors = $null
    $ast = [System.Management.Automation.Language.Parser]::ParseFile($path, [ref]$tokens, [ref]$errors)
    foreach ($e in $errors) { $findings.Add(@{ file = $path; line = $e.Extent.StartLineNumber; what = 'parse error: ' + $e.Message }) }
    $nodes = $ast.FindAll({ param($n) $true }, $true)
    foreach ($n in $nodes) {
        $what = $null
        $type = $n.GetType().Name
        if ($type -eq 'TernaryExpressionAst') { $what = 'ternary ?:' }
        elseif ($type -eq 'PipelineChainAst') { $what = 'pipeline chain && / ||' }
        elseif ($type -eq 'BinaryExpressionAst' -and $n.Operator -eq 'QuestionQuestion') { $what = 'null-coalescing ??' }
        elseif ($type -eq 'AssignmentStatementAst' -and $n.Operator -eq 'QuestionQuestionEquals') { $what = 'null-coalescing assignment ??=' }
        elseif (($type -eq 'MemberExpressionAst' -or $type -eq 'InvokeMemberExpressionAst') -and $n.NullConditional) { $what = 'null-conditional ?. / ?[]' }
        elseif ($type -eq 'IndexExpressionAst' -and $n.NullConditional) { $what = 'null-conditional ?[]' }
        elseif ($type -eq 'InvokeMemberExpressionAst' -and $n.Static -and [string]$n.Member -eq 'new') { $what = '::new() (5.0+, but New-Object is our rule)' }
        elseif ($type -eq 'CommandParameterAst' -and @('AsHashtable', 'Parallel', 'SkipHttpErrorCheck', 'NoEnumerate') -contains $n.ParameterName) {
            $cmd = $n.Parent.GetCommandName()
            if ($n.ParameterName -ne 'NoEnumerate' -or $cmd -eq 'ConvertFrom-Json') { $what = "-$($n.ParameterName) of $cmd (PowerShell 7 only)" }
        }
        if ($what) { $findings.Add(@{ file = [IO.Path]::GetFileName($path); line = $n.Extent.StartLineNumber; what = $what; text = $n.Extent.Text }) }
    }
}
, @($findings.ToArray())
