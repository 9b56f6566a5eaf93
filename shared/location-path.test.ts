import { describe, expect, it } from 'vitest';
import { cardOf, pciIdOf, samePath } from './location-path';

describe('location paths', () => {
  it('functions of one card share a card path', () => {
    expect(cardOf('PCIROOT(0)#PCI(0100)#PCI(0000)')).toEqual({
      path: 'PCIROOT(0)#PCI(0100)#PCI(00xx)',
      functionNumber: 0,
    });
    expect(cardOf('PCIROOT(0)#PCI(0100)#PCI(0001)')).toEqual({
      path: 'PCIROOT(0)#PCI(0100)#PCI(00xx)',
      functionNumber: 1,
    });
    expect(cardOf('PCIROOT(0)#PCI(1C03)')).toEqual({ path: 'PCIROOT(0)#PCI(1Cxx)', functionNumber: 3 });
    expect(cardOf('ACPI(_SB_)#ACPI(PCI0)')).toBeNull();
  });
  it('compares case-insensitively and maps PCIP twins back to PCI ids', () => {
    expect(samePath('PciRoot(0)#Pci(0100)', 'PCIROOT(0)#PCI(0100)')).toBe(true);
    expect(pciIdOf('PCIP\\VEN_15B3&DEV_1015\\4&1')).toBe('PCI\\VEN_15B3&DEV_1015\\4&1');
  });
});
