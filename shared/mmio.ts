/** MMIO sizing per Microsoft's rule: the sum of the survey's MB for every device the VM holds + a buffer. */

export const MiB = 1024 * 1024;
/** Hyper-V's defaults, also the buffer Microsoft adds on top of the devices' need. */
export const DEFAULT_LOW_MMIO = 128 * MiB;
export const DEFAULT_HIGH_MMIO = 512 * MiB;
/** Set-VM -LowMemoryMappedIoSpace accepts 128 MB..3584 MB. */
export const MAX_LOW_MMIO = 3584 * MiB;

/** The high MMIO a VM needs for devices of these MMIO needs (MB), before raise-never-lower. */
export function requiredHighMmio(deviceMmioMB: readonly number[]): number {
  return deviceMmioMB.reduce((sum, mb) => sum + mb * MiB, 0) + DEFAULT_HIGH_MMIO;
}

/**
 * The largest high MMIO region a VM can start with on a CPU of this many physical address bits.
 * Hyper-V places the high gap in the upper half of the guest physical address space, so it must fit
 * in 2^(bits-1): on a 36-bit CPU 32 GB fits but the well-known 33280 MB (32 GB + 512 MB) does not,
 * matching reports. This is the simulator's rule too; real placement is undocumented (stricter choice).
 */
export function highMmioLimit(physicalAddressBits: number): number {
  return 2 ** (physicalAddressBits - 1);
}

/** Formats bytes as whole MB with grouping, e.g. 16,944 MB. */
export function formatMB(bytes: number): string {
  return `${Math.round(bytes / MiB).toLocaleString('en-US')} MB`;
}
