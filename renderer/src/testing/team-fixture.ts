import type { TeamSummary } from '../../../shared/contracts/teams.js';

/** A plausible team for unit tests; override what the test is about. */
export function teamFixture(overrides: Partial<TeamSummary> = {}): TeamSummary {
  return {
    id: 'TM0001',
    name: '东门村网格员队',
    type: 'grid_worker',
    status: 'available',
    homeRegionId: '330100001001',
    homeLevel: 'village',
    homeName: '东门村',
    townId: '330100001',
    countyId: '330100',
    members: 4,
    leader: { name: '王建国', phone: '13800138000' },
    location: { lon: 120.1, lat: 29.1 },
    positionAt: null,
    openCases: 0,
    ...overrides,
  };
}
