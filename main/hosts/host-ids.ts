/** Host ids: made from a display name (a slug), unique among the hosts; an id that is no host is an error. */
import { LOCAL_HOST_ID } from '../../shared/hosts';

/** A host id that is neither local nor in the registry. */
export class UnknownHostError extends Error {}

/** A short, lower-case id from a name: "HV 01 (lab)" -> "hv-01-lab". */
export function slugOf(name: string): string {
  const s = name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'host';
}

/** A new id for a name, unique among the ids taken (the local host's is always taken). */
export function newHostId(name: string, taken: Iterable<string>): string {
  const used = new Set([LOCAL_HOST_ID, ...taken]);
  const base = slugOf(name);
  if (!used.has(base)) return base;
  for (let i = 2; ; i++) {
    const id = `${base.slice(0, 60)}-${i}`;
    if (!used.has(id)) return id;
  }
}
