# Test fixture: returns its parameters unchanged.
param($Value, $Other)
@{ value = $Value; other = $Other }
