/**
 * MMIO sizing per Microsoft's rule: the sum of the survey's MB for every device the VM holds + a buffer.
 * The low gap holds the ranges below 4 GiB; the high gap the rest, and those below 4 GiB too when they
 * may be 64-bit BARs (Device.mmioHighMB, shared/survey.ts mmioHighNeedMB).
 */

export const MiB = 1024 * 1024;
export const GiB = 1024 * MiB;
/** Hyper-V's defaults, also the buffer Microsoft adds on top of the devices' need. */
export const DEFAULT_LOW_MMIO = 128 * MiB;
export const DEFAULT_HIGH_MMIO = 512 * MiB;
/** Set-VM -LowMemoryMappedIoSpace accepts 128 MB..3584 MB (the same range for Generation 1 and 2: a labelled guess). */
export const MAX_LOW_MMIO = 3584 * MiB;
/**
 * Where the high MMIO gap starts when the host does not say (Get-VM has no HighMemoryMappedIoBaseAddress
 * on older builds). Guess from public reports: on 36-bit CPUs a 32 GB gap was refused with "upper MMIO
 * region (0x00000017dffff000) ... must be below 0x0000001000000000" (Easy-GPU-PV issues 40, 153, 278, on
 * different machines and VM sizes): the gap started at 0xFE0000000 (63.5 GiB), so the default 512 MB gap
 * ends exactly at 64 GiB. The stricter reading: the base stays there when the size grows.
 */
export const DEFAULT_HIGH_MMIO_BASE = 0xfe0000000;
/** The narrowest physical address width of an x86-64 CPU that runs Hyper-V. */
export const MIN_ADDRESS_BITS = 36;

/** The high MMIO a VM needs for devices with these needs in the high gap (MB: Device.mmioHighMB), before raise-never-lower. */
export function requiredHighMmio(deviceMmioMB: readonly number[]): number {
  return deviceMmioMB.reduce((sum, mb) => sum + mb * MiB, 0) + DEFAULT_HIGH_MMIO;
}

/** The low MMIO a VM needs for devices with these needs below 4 GiB (MB), before raise-never-lower. */
export function requiredLowMmio(deviceLowMmioMB: readonly number[]): number {
  return deviceLowMmioMB.reduce((sum, mb) => sum + mb * MiB, 0) + DEFAULT_LOW_MMIO;
}

/** The low and high MMIO a VM needs for the devices it holds or will hold, before raise-never-lower. */
export function requiredMmio(devices: readonly { mmioLowMB: number | null; mmioHighMB: number | null }[]): {
  low: number;
  high: number;
} {
  return {
    low: requiredLowMmio(devices.map((d) => d.mmioLowMB ?? 0)),
    high: requiredHighMmio(devices.map((d) => d.mmioHighMB ?? 0)),
  };
}

/**
 * Bytes left between the end of the high MMIO gap (base + size) and the CPU's physical address limit
 * (2^bits); negative when the VM would not start ("upper MMIO region ... above the supported physical
 * address range"). The base is the VM's own when the host reports it, else DEFAULT_HIGH_MMIO_BASE.
 */
export function highMmioRoom(physicalAddressBits: number, base: number | null, size: number): number {
  return 2 ** physicalAddressBits - ((base ?? DEFAULT_HIGH_MMIO_BASE) + size);
}

/** Formats bytes as whole MB with grouping, e.g. 16,944 MB. */
export function formatMB(bytes: number): string {
  return `${Math.round(bytes / MiB).toLocaleString('en-US')} MB`;
}
