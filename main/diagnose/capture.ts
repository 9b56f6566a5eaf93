/**
 * `dda host capture`: reads a host (capture.ps1 and doctor.ps1, both read-only) and writes it as a
 * simulator profile, optionally anonymized. The profile carries the cmdlet surface the doctor saw.
 */
import type { ScriptRunner } from '../powershell/session-types';
import type { HostProfile } from '../simulator/profile-schema';
import { anonymizeProfile } from './capture-anonymize';
import { captureFactsSchema, type CaptureFacts } from './capture-facts';
import { buildCaptureProfile, CAPTURE_PROPERTY_KEYS } from './capture-profile';
import { DoctorError, readDoctorFacts } from './doctor';

/** Reads the capture facts of a host. */
export async function readCaptureFacts(runner: ScriptRunner): Promise<CaptureFacts> {
  const r = await runner.invoke('capture', { PropertyKeys: CAPTURE_PROPERTY_KEYS });
  if (!r.ok) throw new DoctorError(`The host could not be captured: ${r.error.message}`);
  const parsed = captureFactsSchema.safeParse(r.value);
  if (!parsed.success)
    throw new DoctorError(
      `The host's capture facts are not in the expected shape: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
    );
  return parsed.data;
}

export interface CaptureOptions {
  anonymize?: boolean;
  /** The capture's time stamp (ISO 8601); default now. */
  now?: string;
}

/** The host as a simulator profile, with its surface; anonymized on request. */
export async function captureHost(runner: ScriptRunner, options: CaptureOptions = {}): Promise<HostProfile> {
  const facts = await readCaptureFacts(runner);
  const doctor = await readDoctorFacts(runner);
  const profile = buildCaptureProfile(facts, options.now ?? new Date().toISOString());
  profile.capture = { ...profile.capture, surface: doctor.surface, pciPropertyTypes: doctor.properties };
  return options.anonymize ? anonymizeProfile(profile) : profile;
}
