import { describe, expect, it } from 'vitest';
import type { RecommendationsResponse } from '../../../../shared/contracts/workflow.js';
import { maskedRecommendations } from './dispatch.service.js';

describe('maskedRecommendations', () => {
  it('masks the roster\'s names and phones and the roster reason\'s name, and nothing else', () => {
    const res: RecommendationsResponse = {
      eventId: 'EV202703010001',
      itemTeamType: 'police',
      roster: [{ role: 'community_police', name: '张小明', phone: '13905710001' }],
      recommendations: [
        {
          rank: 1,
          teamId: 'TM0002',
          teamName: '甲镇派出所',
          teamType: 'police',
          status: 'available',
          eligible: true,
          score: 80,
          distanceKm: 1.2,
          openCases: 0,
          reasons: [
            { code: 'roster', params: { name: '张小明', role: 'community_police' }, points: 10 },
            { code: 'distance', params: { km: 1.2 }, points: 17.6 },
          ],
        },
      ],
    };
    const masked = maskedRecommendations(res);
    expect(masked.roster).toEqual([{ role: 'community_police', name: '张**', phone: '139****0001' }]);
    expect(masked.recommendations[0]!.reasons).toEqual([
      { code: 'roster', params: { name: '张**', role: 'community_police' }, points: 10 },
      { code: 'distance', params: { km: 1.2 }, points: 17.6 },
    ]);
    expect({ ...masked.recommendations[0], reasons: [] }).toEqual({ ...res.recommendations[0], reasons: [] });
    expect(res.roster[0]!.name).toBe('张小明');
  });
});
