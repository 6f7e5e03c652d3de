import type { TeamType } from '../../../../shared/contracts/catalog.js';
import { ConvexSampler, shrink, type Pt } from './convex.js';
import { round6, type DemoCounty, type DemoRegion } from './county.js';
import { personName, type PhoneBook } from './names.js';
import type { DemoWorker } from './people.js';
import type { Random } from './random.js';

export type TeamStatus = 'available' | 'busy' | 'off_duty';

/** A field team (手脚) with its home area and where it is now. */
export interface DemoTeam {
  id: string;
  type: TeamType;
  name: string;
  home: DemoRegion;
  members: number;
  leaderName: string;
  leaderPhone: string;
  status: TeamStatus;
  lon: number;
  lat: number;
  /** When the team's position was last reported (its members' phones report while on duty). */
  positionAt: Date;
}

/**
 * The "1+3+N" forces as teams: a few county-wide units at the seat; per town a law-enforcement
 * squad (two in a 街道), a mediation committee, a rescue team and a police station; per village
 * its cadres and its grid workers. About 2 × villages + 4 × towns teams in all. `firstNumber`:
 * the number of the first team's id (TM0001…), so that the counties of a platform number on.
 */
export function buildTeams(county: DemoCounty, workers: DemoWorker[], asOf: Date, rng: Random, phones: PhoneBook, firstNumber = 1): DemoTeam[] {
  const teams: DemoTeam[] = [];
  const asOfYear = new Date(asOf.getTime() + 8 * 3600_000).getUTCFullYear();
  // Its own stream: the times do not move the teams' names, sizes or places.
  const clock = rng.fork('team-positions');
  const leader = () => ({ leaderName: personName(rng, rng.chance(0.75) ? 'M' : 'F', asOfYear - rng.int(32, 56)), leaderPhone: phones.mobile() });
  /** `base`: where the team is stationed, when that is not the seat of its home area. */
  const add = (type: TeamType, name: string, home: DemoRegion, members: number, { lead = leader(), base = home } = {}) => {
    const status = statusOf(rng);
    // Idle teams wait at their base near the seat of their area; busy ones are out in it.
    const [lon, lat] = status === 'busy' ? pointIn(home, rng) : nearSeat(base, rng);
    // Teams on duty report every few minutes; an off-duty team's last fix is hours old.
    const age = status === 'off_duty' ? clock.int(2 * 3600, 14 * 3600) : clock.int(20, 15 * 60);
    const positionAt = new Date(asOf.getTime() - age * 1000);
    teams.push({ id: `TM${String(firstNumber + teams.length).padStart(4, '0')}`, type, name, home, members, ...lead, status, lon: round6(lon), lat: round6(lat), positionAt });
  };

  // County units are stationed in the county seat (the first 街道), not in the middle of the polygon.
  const base = county.towns[0]!;
  const countyName = county.county.name;
  add('law_enforcement', `${countyName}综合行政执法局机动中队`, county.county, rng.int(12, 20), { base });
  add('emergency_rescue', `${countyName}应急救援大队`, county.county, rng.int(20, 36), { base });
  add('mediator', `${countyName}矛盾纠纷调处化解中心调解组`, county.county, rng.int(5, 9), { base });
  add('police', `${countyName}公安局巡特警大队`, county.county, rng.int(16, 30), { base });

  for (const town of county.towns) {
    const street = town.kind === 'street';
    add('law_enforcement', `${town.name}综合执法中队`, town, rng.int(6, 14));
    if (street) add('law_enforcement', `${town.name}综合执法中队二分队`, town, rng.int(5, 10));
    add('mediator', `${town.name}人民调解委员会`, town, rng.int(3, 7));
    add('emergency_rescue', `${town.name}应急救援队`, town, rng.int(8, 20));
    add('police', town.kind === 'township' ? `${town.name}警务站` : `${town.name}派出所`, town, street ? rng.int(12, 24) : rng.int(5, 14));
  }

  const byVillage = new Map<DemoRegion, DemoWorker[]>();
  for (const w of workers) {
    const v = w.grid.parent!;
    const list = byVillage.get(v);
    if (list) list.push(w);
    else byVillage.set(v, [w]);
  }
  for (const village of county.villages) {
    add('village_cadre', village.kind === 'community' ? `${village.name}社工团队` : `${village.name}两委班子`, village, rng.int(5, 9));
    const own = byVillage.get(village) ?? [];
    const head = own.find((w) => w.employment === 'full_time') ?? own[0];
    if (head) add('grid_worker', `${village.name}网格服务团队`, village, own.length, { lead: { leaderName: head.name, leaderPhone: head.phone } });
  }
  return teams;
}

function statusOf(rng: Random): TeamStatus {
  const r = rng.next();
  return r < 0.78 ? 'available' : r < 0.95 ? 'busy' : 'off_duty';
}

function pointIn(region: DemoRegion, rng: Random): Pt {
  return new ConvexSampler(shrink(region.shape, 0.85)).sample(rng);
}

/** Within a short way of the area's seat, on the line towards a random point of the area. */
function nearSeat(region: DemoRegion, rng: Random): Pt {
  const q = pointIn(region, rng);
  const s = region.seat;
  const f = rng.range(0.02, 0.12);
  return [s[0] + f * (q[0] - s[0]), s[1] + f * (q[1] - s[1])];
}
