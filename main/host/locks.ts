/** One operation at a time per device and per VM: a second request on a busy object is refused. */

/** Thrown when an object is held by a running operation. */
export class BusyError extends Error {}

/** In-process locks on named objects (`device:<path>`, `vm:<id>`). */
export class ObjectLocks {
  private readonly held = new Map<string, string>();

  /** Takes every key or none; throws BusyError naming what holds the first busy key. */
  acquire(keys: string[], holder: string): () => void {
    const unique = [...new Set(keys.map((k) => k.toUpperCase()))];
    for (const k of unique) {
      const by = this.held.get(k);
      if (by !== undefined) throw new BusyError(`${k.split(':')[0] === 'VM' ? 'That VM' : 'That device'} is busy with another operation (${by}); try again when it has finished.`);
    }
    for (const k of unique) this.held.set(k, holder);
    return () => {
      for (const k of unique) if (this.held.get(k) === holder) this.held.delete(k);
    };
  }
}
