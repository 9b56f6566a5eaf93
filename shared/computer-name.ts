/**
 * Which computer a journal record or a measurement belongs to. A host's data can reach another computer:
 * a copied or restored folder, or the roaming folder older versions kept it in (a roaming profile or a
 * redirected AppData folder follows the admin from one Hyper-V host to the next), and identical servers
 * have identical location paths. What one computer wrote is never acted on by another.
 */

/** The name an inventory gives a host whose name could not be read (neither Get-VMHost nor Win32_OperatingSystem). */
export const UNKNOWN_COMPUTER = 'localhost';

/** A name that was read (not empty, not the placeholder of a host whose name could not be read). */
export const knownComputer = (name: string): boolean => name !== '' && name.toLowerCase() !== UNKNOWN_COMPUTER;

/** Two known computer names that differ (NetBIOS names: compared without case). An unknown name decides nothing. */
export function otherComputer(recorded: string, now: string): boolean {
  return knownComputer(recorded) && knownComputer(now) && recorded.toUpperCase() !== now.toUpperCase();
}

/** The key of a computer's measurement of a location path (a known name: nothing is kept under an unknown one). */
export function computerKey(computerName: string, upperPath: string): string {
  return `${computerName.toUpperCase()}|${upperPath}`;
}
