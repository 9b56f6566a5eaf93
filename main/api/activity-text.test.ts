import { describe, expect, it } from 'vitest';
import { activityText, operationText } from './activity-text';

describe('activity lines in both languages', () => {
  it('fills the catalog text in each language', () => {
    expect(activityText('activityInventory', { name: 'HV01', devices: 10, vms: 3 })).toEqual({
      en: 'Inventory of HV01: 10 devices, 3 VMs',
      'zh-CN': 'HV01 的清单：10 个设备，3 台虚拟机',
    });
  });
  it("words an operation with its plan's own title and the status in each language", () => {
    const r = operationText({ en: 'Assign X to VM1', 'zh-CN': '将 X 分配给 VM1' }, 'rolled-back');
    expect(r).toEqual({ en: 'Assign X to VM1: rolled back', 'zh-CN': '将 X 分配给 VM1：已回滚' });
  });
});
