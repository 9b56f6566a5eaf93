import { describe, expect, it } from 'vitest';
import { PS_SWITCH, psCommand, psLiteral, psOurs, psString } from './ps-literal';

describe('psString makes single-quoted literals that PowerShell never expands', () => {
  it('doubles every kind of single quote', () => {
    expect(psString("it's")).toBe("'it''s'");
    expect(psString('a\u2019b')).toBe("'a\u2019\u2019b'");
    expect(psString('\u2018\u201A\u201B')).toBe("'\u2018\u2018\u201A\u201A\u201B\u201B'");
  });
  it('leaves $(), backticks, double quotes and newlines inert inside single quotes', () => {
    expect(psString('$(Remove-Item C:\\) `n "x"\nnext')).toBe('\'$(Remove-Item C:\\) `n "x"\nnext\'');
  });
  it('literals for other types', () => {
    expect(psLiteral(true)).toBe('$true');
    expect(psLiteral(null)).toBe('$null');
    expect(psLiteral(536870912)).toBe('536870912');
    expect(psLiteral(['a', 1])).toBe("@('a', 1)");
    expect(() => psLiteral(Number.NaN)).toThrow();
    expect(() => psLiteral({})).toThrow();
  });
  it('psCommand orders parameters and renders switches', () => {
    expect(
      psCommand('Dismount-VMHostAssignableDevice', [
        ['LocationPath', 'PCIROOT(0)#PCI(0300)#PCI(0000)'],
        ['Force', PS_SWITCH],
      ]),
    ).toBe("Dismount-VMHostAssignableDevice -LocationPath 'PCIROOT(0)#PCI(0300)#PCI(0000)' -Force");
    // a value that reads "switch" stays a value; our own text is marked as ours
    expect(
      psCommand('Get-VM', [
        ['Name', 'switch'],
        ['Id', undefined],
      ]),
    ).toBe("Get-VM -Name 'switch'");
    expect(psCommand('Invoke-Command', [['Session', psOurs('$s')]])).toBe('Invoke-Command -Session $s');
  });
  it('only text made by psOurs passes as ours: an object of the same shape from a file is refused, never spliced', () => {
    const crafted = JSON.parse('{"ours":"$(Stop-Computer)"}') as unknown;
    expect(() => psCommand('Set-VM', [['Notes', crafted]])).toThrow(/No PowerShell literal/);
    expect(() => psCommand('Set-VM', [['Notes', { ours: '$(Stop-Computer)' }]])).toThrow(/No PowerShell literal/);
  });
});
