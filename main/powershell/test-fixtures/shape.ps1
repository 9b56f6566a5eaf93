# Test fixture: returns values of awkward shapes, to pin down the result rule of dispatcher.ps1.
param([string]$Kind)
switch ($Kind) {
    'null' { $null }
    'none' { }
    'one' { , @('x') }
    'empty' { , @() }
    'many' { 1; 2; 3 }
    'scalar' { 'text' }
    'nested' { @{ list = @('only'); empty = @(); obj = [pscustomobject]@{ a = 1; b = $null } } }
    'deep' {
        $v = 'bottom'
        foreach ($i in 1..25) { $v = @{ down = $v } }
        $v
    }
}
