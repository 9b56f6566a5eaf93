/**
 * What changed on a host since DDA Studio last saw it (issue 18): one item per finding, each with its
 * one-click fix as an intent that is planned, previewed, consented and rolled back like any other.
 * `dda inventory --json` carries the list as Inventory.reconcile.
 */
import { z } from 'zod';
import { intentSchema, localizedTextSchema } from './plan';

export const reconcileKinds = [
  'moved',
  'gone',
  'stale',
  'duplicate',
  'orphan',
  'disabled',
  'vm-settings',
  'start-failure',
] as const;
export const reconcileKindSchema = z.enum(reconcileKinds);
export type ReconcileKind = z.infer<typeof reconcileKindSchema>;

export const reconcileItemSchema = z.object({
  kind: reconcileKindSchema,
  severity: z.enum(['info', 'warning', 'danger']),
  /** The VM concerned, if any. */
  vmName: z.string().nullable(),
  /** The device path concerned (for a moved card: where it was). */
  locationPath: z.string().nullable(),
  /** For a moved card: where it is now. */
  toPath: z.string().nullable(),
  deviceName: z.string().nullable(),
  text: localizedTextSchema,
  /** The fix, planned like every operation; null when there is nothing DDA Studio can do by itself. */
  fix: intentSchema.nullable(),
  /** The fix in a few words, for its button. */
  fixLabel: localizedTextSchema.nullable(),
});
export type ReconcileItem = z.infer<typeof reconcileItemSchema>;
