/** The devices pane's rows: functions of one card together, assignable cards first (issue 16 keeps it). */
import { describe, expect, it } from 'vitest';
import type { Device } from '../../shared/inventory';
import { groupByCard, groupIndexOf } from './device-groups';

function fn(name: string, card: string | null, functionNumber: number, code = 'assignable'): Device {
  const path = `${card ?? name}#${functionNumber}`;
  return {
    instanceId: `PCI\\${path}`,
    friendlyName: name,
    locationPath: path,
    card: card === null ? null : { path: card, functionNumber },
    verdict: { code },
  } as unknown as Device;
}

describe('groupByCard', () => {
  const devices = [
    fn('iLO', 'C', 0, 'not-assignable'),
    fn('X710 port 1', 'B', 1, 'force-insecure'),
    fn('T4', null, 0),
    fn('X710 port 0', 'B', 0, 'force-insecure'),
    fn('Audio', 'A', 1),
    fn('GPU', 'A', 0, 'not-assignable'),
  ];
  it('one row per card, its functions by number; assignable, then force, then not; by name within', () => {
    expect(groupByCard(devices).map((g) => [g.key, g.devices.map((d) => d.friendlyName)])).toEqual([
      ['A', ['GPU', 'Audio']],
      ['T4#0', ['T4']],
      ['B', ['X710 port 0', 'X710 port 1']],
      ['C', ['iLO']],
    ]);
  });
  it('finds the row of a device by its location path', () => {
    const groups = groupByCard(devices);
    expect(groupIndexOf(groups, 'B#1')).toBe(2);
    expect(groupIndexOf(groups, 'nowhere')).toBe(-1);
    expect(groupIndexOf(groups, null)).toBe(-1);
  });
});
