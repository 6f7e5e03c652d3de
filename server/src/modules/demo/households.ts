import { ConvexSampler, shrink, type Pt } from './convex.js';
import { round6, type DemoCounty, type DemoRegion } from './county.js';
import { PlaceNames, personName, roadName } from './names.js';
import { allocate, type Random } from './random.js';

/** A household and its unified address (统一地址): the fourth level below the village. */
export interface DemoHousehold {
  /** Micro-grid code (18 digits) + a 4-digit running number. */
  addressCode: string;
  microGrid: DemoRegion;
  address: string;
  headName: string;
  members: number;
  lon: number;
  lat: number;
}

export interface DemoHouseholds {
  all: DemoHousehold[];
  byMicroGrid: Map<DemoRegion, DemoHousehold[]>;
}

const MAX_PER_MICRO_GRID = 9999;
/** Household sizes of rural Zhejiang: many one- and two-person homes of older people. */
const MEMBER_WEIGHTS = [0, 12, 30, 25, 18, 10, 5];
const HOUSEHOLDS_PER_UNIT = 12;
const UNITS_PER_BUILDING = 2;

/**
 * Households: `perMicroGrid` on average, so the total is exact, with more in town
 * communities (flats) and fewer in mountain villages. Each point lies well inside its
 * micro-grid: flats stand in blocks, village houses in one to three hamlets.
 */
export function buildHouseholds(county: DemoCounty, perMicroGrid: number, asOfYear: number, rng: Random): DemoHouseholds {
  const byMicroGrid = new Map<DemoRegion, DemoHousehold[]>();
  const all: DemoHousehold[] = [];
  if (perMicroGrid === 0) {
    for (const m of county.microGrids) byMicroGrid.set(m, []);
    return { all, byMicroGrid };
  }
  const weights = county.microGrids.map((m) => {
    const community = m.parent!.parent!.kind === 'community';
    return (community ? 1.6 : 0.75 + 0.5 * m.urban) * rng.range(0.6, 1.4);
  });
  const shares = allocate(perMicroGrid * county.microGrids.length, weights, 1);
  const countOf = new Map(county.microGrids.map((m, i) => [m, shares[i]!]));
  const roads = new PlaceNames(rng.fork('road-names'));

  for (const village of county.villages) {
    const town = village.parent!;
    const prefix = `${county.county.name}${town.name}${village.name}`;
    const community = village.kind === 'community';
    let group = 0;
    for (const grid of village.children) {
      const road = community ? roadName(rng, roads.urban2()) : '';
      const compound = 2 * rng.int(1, 150);
      let building = 0;
      for (const micro of grid.children) {
        group += 1;
        const n = countOf.get(micro)!;
        if (n > MAX_PER_MICRO_GRID) throw new RangeError('too many households in one micro-grid for a 4-digit address code');
        const place = placer(micro, community, n, rng);
        const list: DemoHousehold[] = [];
        let houseNumber = 0;
        for (let i = 0; i < n; i++) {
          let address: string;
          if (community) {
            const perBuilding = HOUSEHOLDS_PER_UNIT * UNITS_PER_BUILDING;
            const b = building + Math.floor(i / perBuilding) + 1;
            const inBuilding = i % perBuilding;
            const unit = Math.floor(inBuilding / HOUSEHOLDS_PER_UNIT) + 1;
            const inUnit = inBuilding % HOUSEHOLDS_PER_UNIT;
            const room = `${Math.floor(inUnit / 2) + 1}0${(inUnit % 2) + 1}`;
            address = `${prefix}${road}${compound}号${b}幢${unit}单元${room}室`;
          } else {
            houseNumber += rng.chance(0.7) ? 1 : rng.int(2, 3);
            address = `${prefix}${group}组${houseNumber}号`;
          }
          const [lon, lat] = place(i);
          const household: DemoHousehold = {
            addressCode: micro.code + String(i + 1).padStart(4, '0'),
            microGrid: micro,
            address,
            headName: personName(rng, rng.chance(0.78) ? 'M' : 'F', asOfYear - rng.int(28, 86)),
            members: rng.weightedIndex(MEMBER_WEIGHTS),
            lon: round6(lon),
            lat: round6(lat),
          };
          list.push(household);
          all.push(household);
        }
        if (community) building += Math.ceil(n / (HOUSEHOLDS_PER_UNIT * UNITS_PER_BUILDING));
        byMicroGrid.set(micro, list);
      }
    }
  }
  return { all, byMicroGrid };
}

/**
 * Where the i-th household of a micro-grid stands. A household is a convex mix of a cluster
 * centre and a random point, both inside the shrunken cell, so it is inside the cell too.
 */
function placer(micro: DemoRegion, community: boolean, n: number, rng: Random): (i: number) => Pt {
  const sampler = new ConvexSampler(shrink(micro.shape, 0.85));
  if (community) {
    // One point per building: its flats share it, give or take a few metres.
    const buildings: Pt[] = [];
    return (i) => {
      const b = Math.floor(i / (HOUSEHOLDS_PER_UNIT * UNITS_PER_BUILDING));
      while (buildings.length <= b) buildings.push(sampler.sample(rng));
      const at = buildings[b]!;
      const q = sampler.sample(rng);
      return [at[0] + 0.02 * (q[0] - at[0]), at[1] + 0.02 * (q[1] - at[1])];
    };
  }
  const hamlets = Array.from({ length: n > 20 ? rng.int(1, 3) : 1 }, () => sampler.sample(rng));
  return () => {
    const at = rng.pick(hamlets);
    const q = sampler.sample(rng);
    return [at[0] + 0.3 * (q[0] - at[0]), at[1] + 0.3 * (q[1] - at[1])];
  };
}
