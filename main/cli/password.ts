/**
 * `--password-stdin`: the password of a WinRM host's user, read as one line from stdin. Never an
 * argument (argv is visible to every process on the machine), never echoed, never logged: on a
 * terminal the echo is off (raw mode), from a pipe the first line is taken and the rest left unread.
 */
import { RefusedError } from './args';

/** The part of a stdin stream this needs (a fake in tests). */
export interface SecretInput {
  isTTY?: boolean;
  setRawMode?(mode: boolean): unknown;
  setEncoding(encoding: BufferEncoding): unknown;
  on(event: 'data', listener: (chunk: string) => void): unknown;
  on(event: 'end' | 'close', listener: () => void): unknown;
  on(event: 'error', listener: (e: Error) => void): unknown;
  removeAllListeners(event?: string): unknown;
  pause(): unknown;
  resume(): unknown;
}

/** Reads one line; rejects with a RefusedError when there is none or the terminal user cancels. */
export function readSecretLine(
  input: SecretInput = process.stdin,
  prompt: (text: string) => void = (t) => process.stderr.write(t),
): Promise<string> {
  const tty = !!input.isTTY && typeof input.setRawMode === 'function';
  return new Promise<string>((resolve, reject) => {
    let buffer = '';
    let done = false;
    const finish = (error: Error | null) => {
      if (done) return;
      done = true;
      for (const event of ['data', 'end', 'close', 'error']) input.removeAllListeners(event);
      if (tty) {
        input.setRawMode?.(false);
        prompt('\n');
      }
      input.pause();
      if (error) return reject(error);
      // PowerShell writes a byte-order mark first into a pipe when $OutputEncoding is UTF-8 (StreamWriter).
      const line = buffer.replace(/^\uFEFF/, '').replace(/\r$/, '');
      buffer = '';
      if (line === '')
        return reject(new RefusedError('No password on stdin: --password-stdin reads it as the first line.'));
      resolve(line);
    };
    input.setEncoding('utf8');
    if (tty) {
      prompt('Password: ');
      input.setRawMode?.(true);
    }
    input.on('data', (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\n' || ch === '\r') return finish(null);
        if (tty && ch === '\u0003') return finish(new RefusedError('Cancelled: no password was entered.'));
        if (tty && ch === '\u0004') return finish(null);
        if (tty && (ch === '\u007f' || ch === '\b')) {
          buffer = [...buffer].slice(0, -1).join('');
          continue;
        }
        buffer += ch;
      }
    });
    input.on('end', () => finish(null));
    input.on('close', () => finish(null));
    input.on('error', (e: Error) => finish(new RefusedError(`Could not read the password from stdin: ${e.message}`)));
    input.resume();
  });
}
