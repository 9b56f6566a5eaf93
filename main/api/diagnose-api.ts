/** The API side of Help > Check this host and Help > Save host report (read-only; see main/diagnose). */
import type { DoctorReport } from '../../shared/doctor';
import { fail, ok, type Result } from '../../shared/result';
import { captureHost } from '../diagnose/capture';
import { DoctorError, runDoctor } from '../diagnose/doctor';
import type { PooledHost } from '../hosts/host-pool';

/** The doctor's report of a pooled host; a host that could not be asked is a `session` failure. */
export async function doctorResult(h: PooledHost): Promise<Result<DoctorReport>> {
  try {
    return ok(await runDoctor(h.runner, h.connection.simulated));
  } catch (e) {
    if (e instanceof DoctorError) return fail('session', e.message);
    throw e;
  }
}

/** The host as a simulator profile file (name and text), anonymized on request. */
export async function captureResult(
  h: PooledHost,
  hostId: string,
  anonymize: boolean,
): Promise<Result<{ fileName: string; text: string }>> {
  try {
    const profile = await captureHost(h.runner, { anonymize });
    const day = new Date().toISOString().slice(0, 10);
    return ok({
      fileName: `dda-studio-host-${hostId}${anonymize ? '-anonymized' : ''}-${day}.json`,
      text: JSON.stringify(profile, null, 2) + '\n',
    });
  } catch (e) {
    if (e instanceof DoctorError) return fail('session', e.message);
    if (e instanceof Error && /does not fit a simulator profile|nothing to capture/.test(e.message))
      return fail('powershell', e.message);
    throw e;
  }
}
