# Test fixture: Read-DdaHostLine's reflection path on a stand-in shaped like Windows PowerShell 5.1's host
# (an InternalHost whose internal ExternalHost has an internal StandardInReader holding the next lines).
param()
if (-not ('DdaTest.FakeInternalHost' -as [type])) {
    Add-Type -TypeDefinition @'
namespace DdaTest {
    public class FakeConsoleHost51 {
        private System.IO.TextReader r = new System.IO.StringReader("#Password:cHc=\nnext");
        internal System.IO.TextReader StandardInReader { get { return r; } }
    }
    public class FakeInternalHost {
        private object e;
        public FakeInternalHost(object ext) { e = ext; }
        internal object ExternalHost { get { return e; } }
    }
}
'@
}
$host51 = New-Object DdaTest.FakeInternalHost -ArgumentList (New-Object DdaTest.FakeConsoleHost51)
$first = Read-DdaHostLine -HostObject $host51
$second = Read-DdaHostLine -HostObject $host51
@{ first = $first; second = $second }
