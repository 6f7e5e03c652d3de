import type { EventRecord } from '../../../shared/contracts/events.js';

/** A plausible event for unit tests; override what the test is about. */
export function eventFixture(overrides: Partial<EventRecord> = {}): EventRecord {
  return {
    id: 'E1',
    seq: 1,
    itemCode: 'A01',
    itemName: '邻里纠纷',
    category: 'dispute',
    description: '两户因排水沟堵塞发生争执',
    source: 'grid_patrol',
    urgency: 'P2',
    status: 'reported',
    location: { lon: 120.1, lat: 29.1 },
    addressCode: null,
    address: '城关镇 › 东门村 › 东门村第1网格',
    microGridId: 'M1',
    gridId: 'G1',
    villageId: 'V1',
    townId: 'T1',
    reporter: { name: '王芳', phone: '13800000000' },
    reportedAt: '2024-05-01T00:00:00Z',
    updatedAt: '2024-05-01T00:00:00Z',
    deadlineAt: '2024-05-01T10:00:00Z',
    closedAt: null,
    ...overrides,
  };
}
