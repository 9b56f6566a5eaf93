/** One operation at a time per device and per VM: a second request on a busy object is refused. */
import type { Plan } from '../../shared/plan';

/** Thrown when an object is held by a running operation; `code` is the API error code. */
export class BusyError extends Error {
  readonly code = 'busy';
}

/** In-process locks on named objects (`device:<path>`, `vm:<id>`), all-or-nothing. */
export class ObjectLocks {
  private readonly held = new Map<string, string>();

  /** Takes every key or none; throws BusyError naming what holds the first busy key. */
  acquire(keys: string[], holder: string): () => void {
    const unique = [...new Set(keys.map((k) => k.toUpperCase()))];
    for (const k of unique) {
      const by = this.held.get(k);
      if (by !== undefined) {
        const what = k.startsWith('VM:') ? 'That VM' : k.startsWith('HOST:') ? 'The host' : 'That device';
        throw new BusyError(`${what} is busy with another operation (${by}); try again when it has finished.`);
      }
    }
    for (const k of unique) this.held.set(k, holder);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      for (const k of unique) if (this.held.get(k) === holder) this.held.delete(k);
    };
  }

  /** The keys held now (diagnostics, tests). */
  heldKeys(): string[] {
    return [...this.held.keys()];
  }
}

/** The devices and VMs a plan touches (its lock keys); a plan with no steps locks its intent's objects. */
export function lockKeysOf(plan: Plan): string[] {
  const keys: string[] = [];
  for (const s of plan.steps) {
    for (const a of [s.action, s.undo]) {
      if (!a) continue;
      const p = a.params;
      if (typeof p.LocationPath === 'string') keys.push(`device:${p.LocationPath}`);
      if (Array.isArray(p.LocationPaths))
        for (const x of p.LocationPaths) if (typeof x === 'string') keys.push(`device:${x}`);
      if (typeof p.VmId === 'string') keys.push(`vm:${p.VmId}`);
      if (typeof p.InstanceId === 'string') keys.push(`pnp:${p.InstanceId}`);
    }
  }
  return keys;
}
