/** What inventory.ps1 returns is checked at the boundary; a host's odd event never costs the whole inventory. */
import { describe, expect, it } from 'vitest';
import { rawStartFailuresSchema } from './inventory-raw';

describe('the raw start failures', () => {
  it('keep an event whose data is long (a byte[] as text) or many, cut to what is read', () => {
    const bytes = Array.from({ length: 2000 }, (_, i) => String(i % 256)).join(' ');
    const data = [
      'Web01',
      '5e0a7d2c-8b14-4f3e-a6c2-2d9e1f7b3c02',
      -1070136034,
      bytes,
      ...Array.from({ length: 70 }, () => null),
    ];
    const r = rawStartFailuresSchema.parse({ readable: true, events: [{ id: 12010, at: null, message: 'x', data }] });
    const kept = r.events[0]!.data!;
    expect(kept.slice(0, 3)).toEqual(data.slice(0, 3));
    expect((kept[3] as string).length).toBe(4000);
    expect(kept).toHaveLength(64);
  });

  it('still refuses what is not an event', () => {
    expect(rawStartFailuresSchema.safeParse({ readable: true, events: [{ id: 'x' }] }).success).toBe(false);
    expect(rawStartFailuresSchema.safeParse({ readable: true, events: [{ id: 1, data: [{}] }] }).success).toBe(false);
  });
});
