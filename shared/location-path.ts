/** Location paths (`PCIROOT(0)#PCI(0100)#PCI(0001)`): the stable name of a PCI device, and its card. */

const lastPci = /#PCI\(([0-9A-Fa-f]{2})([0-9A-Fa-f]{2})\)$/;

/** The card a function belongs to (path up to the device number) and its function number, or null. */
export function cardOf(locationPath: string): { path: string; functionNumber: number } | null {
  const m = lastPci.exec(locationPath);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  return {
    path: `${locationPath.slice(0, m.index)}#PCI(${m[1].toUpperCase()}xx)`,
    functionNumber: Number.parseInt(m[2], 16),
  };
}

/** Location paths compare case-insensitively (PCIROOT vs PciRoot both appear in the wild). */
export function samePath(a: string, b: string): boolean {
  return a.toUpperCase() === b.toUpperCase();
}

/** The PCI\ id of a dismounted PCIP\ twin, and back. */
export function pciIdOf(instanceId: string): string {
  return instanceId.replace(/^PCIP\\/i, 'PCI\\');
}
