# Test fixture: Find-DdaScriptFrame on first stack-trace frames as other languages word them (the path of
# this script, which the dispatcher knows once it ran it, and one it never ran).
param()
$me = $PSCommandPath
@{
    en      = Find-DdaScriptFrame ("at <ScriptBlock>, " + $me + ": line 12`nat <ScriptBlock>, <No file>: line 1")
    de      = Find-DdaScriptFrame ("bei <ScriptBlock>, " + $me + ": Zeile 7")
    zh      = Find-DdaScriptFrame ([regex]::Unescape('\u4f4d\u4e8e <ScriptBlock>\uff0c') + $me + [regex]::Unescape(': \u7b2c 9 \u884c'))
    unknown = Find-DdaScriptFrame "at <ScriptBlock>, /elsewhere/other.ps1: line 3"
}
