/**
 * A path the elevated app may open: on this machine. A UNC path (\\server\share, //server/share) makes
 * Windows authenticate to that server with the admin's NTLM response; a device path (\\?\, \\.\) reaches
 * past the file system's checks. Both are refused wherever a path comes from a user, a file or the UI.
 */
export function isLocalPath(p: string): boolean {
  return !/^[\\/]{2}/.test(p) && !/[\r\n\0]/.test(p);
}

export const LOCAL_PATH_MESSAGE = 'a path on this machine (not a \\\\server\\share or \\\\?\\ device path)';
