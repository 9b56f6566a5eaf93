/**
 * A remote host's errors name it: a message that does not already contain the host's display name
 * gets it as a prefix ("HV 01: Connection refused"). The local host's messages stay as they are.
 */
import { LOCAL_HOST_ID } from '../../shared/hosts';
import type { Result } from '../../shared/result';

/** The message, prefixed with the host's name when the host is remote and the message lacks it. */
export function namedMessage(nameOf: (host: string) => string, host: string | null, message: string): string {
  if (!host || host === LOCAL_HOST_ID) return message;
  const name = nameOf(host);
  return message.includes(name) ? message : `${name}: ${message}`;
}

/** A result whose failure names its host (see namedMessage); a success as it is. */
export function namedResult<T>(nameOf: (host: string) => string, host: string, r: Result<T>): Result<T> {
  if (r.ok) return r;
  const message = namedMessage(nameOf, host, r.error.message);
  return message === r.error.message ? r : { ok: false, error: { ...r.error, message } };
}
