/** A device leaving the host (disable + dismount, §3) or coming back to it (mount + enable). */
import { planText } from '../../../shared/i18n/plan-messages';
import type { Device } from '../../../shared/inventory';
import { pciIdOf, samePath } from '../../../shared/location-path';
import type { PlanChoices } from '../../../shared/plan';
import { actions, PUT_BACK } from '../steps/actions';
import type { Builder, PlanOptions } from './builder';
import { name } from './text';

/**
 * Disable + dismount a host device (§3). Hyper-V's two dismount checks are consented to separately:
 * ACS missing is known from the survey (force-insecure); a missing vendor mitigation driver only shows
 * when the host refuses (skip-device-mitigations: the refusal is retried without that check alone).
 */
export function takeFromHost(d: Device, b: Builder, choices: PlanChoices, opts: PlanOptions): void {
  if (d.owner.kind !== 'host') return; // an orphan is already dismounted
  const path = d.locationPath!;
  const acsMissing = d.verdict.reason === 'acs-missing' || d.facts.acsUpHierarchy === 0;
  const withoutMitigations = choices.consents.includes('skip-device-mitigations');
  if (opts.mitigationRefusals?.some((p) => samePath(p, path))) {
    // Known now: the host refused it with the mitigation check on. Ask before running, not after.
    b.need('skip-device-mitigations');
    b.warn('refused-mitigations', 'danger', planText('refusedMitigations', { name: name(d) }));
  }
  if (acsMissing) {
    b.need('force-insecure');
    b.warn('force', 'danger', planText('forceAcs', { name: name(d) }));
  }
  if (withoutMitigations) {
    // The admin already agreed (usually after a dismount refused for lack of a mitigation driver).
    b.need('skip-device-mitigations');
    b.warn(
      'force-if-refused',
      'danger',
      planText('forceIfRefused', { name: name(d), acs: acsMissing ? '' : planText('acsStaysOn') }),
    );
  }
  if (d.enabled)
    b.step(
      'disable-device',
      planText('stepDisable', { name: name(d) }),
      actions.disable(d.instanceId),
      actions.enable(d.instanceId),
      { enabled: true },
    );
  b.step(
    'dismount-device',
    planText(acsMissing ? 'stepDismountInsecure' : 'stepDismount', { name: name(d) }),
    actions.dismount(path, d.instanceId, {
      RequireAcsSupport: !acsMissing,
      RequireDeviceMitigations: true,
      RetryWithoutMitigations: withoutMitigations,
    }),
    actions.mount(path),
    { owner: 'host' },
  );
}

/** Mount + enable (the PCI\ id). Undo of a mount dismounts with -Force: it puts back a state that existed. */
export function returnToHost(d: Device, b: Builder): void {
  b.step(
    'mount-device',
    planText('stepMount', { name: name(d) }),
    actions.mount(d.locationPath!),
    actions.dismount(d.locationPath!, pciIdOf(d.instanceId), PUT_BACK),
    { owner: 'dismounted' },
  );
  b.step(
    'enable-device',
    planText('stepEnable', { name: name(d) }),
    actions.enable(pciIdOf(d.instanceId)),
    actions.disable(pciIdOf(d.instanceId)),
    { enabled: false },
  );
}
