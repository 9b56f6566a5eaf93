# Test fixture: does not parse (an unclosed brace on line 3); the call must fail, never hang.
param()
if ($true) {
    'never'
