import { centroid, signedArea, type Pt } from './convex.js';
import { buildCounty, COUNTY_CODE, COUNTY_NAME, nameCounty, regionOf, townKinds, type DemoCounty, type DemoRegion } from './county.js';
import { isSingleCounty, DEMO_LIMITS, type DemoOptions } from './demo-options.js';
import { layoutCounty, layoutPlatform, type CountyLayout, type LayoutNode } from './layout.js';
import { PlaceNames } from './names.js';
import { allocate, Random } from './random.js';
import { tileLayout } from './tiling.js';

/**
 * The regions of a demo platform: T县 alone, or a city (市) or a province (省) cut into counties,
 * each county laid out and named like T县 inside its own cell. The whole platform is tiled as one
 * planar graph, so neighbouring counties (and cities) share their borders vertex for vertex.
 *
 * Codes (GB/T 2260-shaped, fictional below the province): province 330000 浙江省, cities 33xx00,
 * counties 33xxyy. The county at a city's seat is its 区 (yy = 01); the last county of city
 * 330800 is T县 330899, so the city preset still holds the county of the single-county demo.
 */

/** What one county of the platform is asked for: its share of the platform's totals. */
export interface CountyPlan {
  /** The seed of the county's own random streams (`seed` alone for T县 alone, else `seed:code`). */
  seed: number | string;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  workers: number;
  fullTimeWorkers: number;
  eventsPerDay: number;
}

export interface DemoPlatform {
  /** The top region: the county itself, the city or the province. */
  root: DemoRegion;
  /** Province and city regions, parents first (empty for one county). */
  upper: DemoRegion[];
  counties: DemoCounty[];
  /** Per county, in the order of `counties`. */
  plans: CountyPlan[];
}

export const PROVINCE_CODE = '330000';
export const PROVINCE_NAME = '浙江省';
/** The city of T县 (330899). */
export const T_CITY_CODE = '330800';

/** A county's cell of the platform with its code, its name and the index of its city. */
interface CountyCell {
  poly: Pt[];
  site: Pt;
  code: string;
  name: string;
  city: number;
}

/** Builds the platform's regions. Pure: same options, same regions. */
export function buildPlatform(o: DemoOptions): DemoPlatform {
  if (isSingleCounty(o)) {
    const county = buildCounty(o);
    return { root: county.county, upper: [], counties: [county], plans: [o] };
  }
  const cityCount = o.cities ?? 0;
  const countyCount = o.counties ?? 1;
  const rng = new Random(o.seed, 'platform');
  const cells = layoutPlatform({ cities: cityCount, counties: countyCount }, rng.fork('platform-cells'));
  const names = new PlaceNames(rng.fork('platform-names'));

  // Codes and names first: a county's seed (and so its whole layout) follows its code.
  const cityCodes = cityCount === 1 ? [T_CITY_CODE] : cells.cities.map((_, i) => `33${pad2(i + 1)}00`);
  const countyCells: CountyCell[] = [];
  cells.cities.forEach((city, ci) => {
    const code = cityCodes[ci]!;
    if (city.counties.length > DEMO_LIMITS.countiesPerCity) throw new RangeError(`city ${code} would hold ${city.counties.length} counties; at most ${DEMO_LIMITS.countiesPerCity}: raise --cities`);
    // The 区 at the city's seat first, then clockwise from north.
    const [seatCounty, ...rest] = [...city.counties].sort((a, b) => dist(city.site, a.site) - dist(city.site, b.site));
    const ordered = [seatCounty!, ...rest.sort((a, b) => bearing(city.site, a.site) - bearing(city.site, b.site))];
    ordered.forEach((cell, j) => {
      const isT = code === T_CITY_CODE && j === ordered.length - 1 && j > 0;
      const countyCode = isT ? COUNTY_CODE : code.slice(0, 4) + pad2(j + 1);
      const name = isT ? COUNTY_NAME : j === 0 ? `${names.urban2()}区` : rng.chance(0.22) ? `${names.rural2()}市` : `${names.rural2()}县`;
      countyCells.push({ poly: cell.poly, site: cell.site, code: countyCode, name, city: ci });
    });
  });

  // Totals shared by mass: the county's area, more or less densely peopled.
  const mass = countyCells.map((c) => signedArea(c.poly) * rng.range(0.6, 1.5));
  const towns = allocate(o.towns, mass, 1);
  const atLeast = (total: number, mins: number[]) => allocate(total - mins.reduce((s, x) => s + x, 0), mass, 0).map((x, i) => x + mins[i]!);
  const villages = atLeast(o.villages, towns);
  const grids = atLeast(o.grids, villages);
  const microGrids = atLeast(o.microGrids, grids);
  const workers = atLeast(o.workers, grids);
  // By the workers' shares: largest remainders never give a county more than its workers.
  const fullTime = allocate(o.fullTimeWorkers, workers, 0);
  const events = allocate(o.eventsPerDay, mass, 0);
  const plans: CountyPlan[] = countyCells.map((c, i) => {
    const plan = {
      seed: `${o.seed}:${c.code}`,
      towns: towns[i]!,
      villages: villages[i]!,
      grids: grids[i]!,
      microGrids: microGrids[i]!,
      workers: workers[i]!,
      fullTimeWorkers: Math.min(fullTime[i]!, workers[i]!),
      eventsPerDay: events[i]!,
    };
    for (const key of ['towns', 'villages', 'grids', 'microGrids', 'eventsPerDay'] as const) {
      const max = DEMO_LIMITS.perCounty[key];
      if (plan[key] > max) throw new RangeError(`county ${c.code} would get ${plan[key]} ${key}; at most ${max} per county: raise --counties`);
    }
    return plan;
  });

  // Each county laid out inside its cell, then the whole platform tiled at once.
  const layouts: CountyLayout[] = countyCells.map((c, i) => {
    const plan = plans[i]!;
    const { streets } = townKinds(plan.towns);
    return layoutCounty({ ...plan, streets }, new Random(plan.seed, 'geometry'), c.poly);
  });
  const cityNodes: LayoutNode[] = cells.cities.map((city, ci) => ({
    level: 'city',
    poly: city.poly,
    site: city.site,
    mass: 0,
    urban: 0,
    children: layouts.filter((_, i) => countyCells[i]!.city === ci).map((l) => l.county),
  }));
  const rootNode: LayoutNode =
    cityCount === 1 ? cityNodes[0]! : { level: 'province', poly: cells.outline, site: centroid(cells.outline), mass: 0, urban: 0, children: cityNodes };
  const rings = tileLayout(rootNode);

  const province = cityCount === 1 ? null : regionOf(rings, rootNode, { code: PROVINCE_CODE, name: PROVINCE_NAME, level: 'province', kind: 'province', ordinal: 1 }, null);
  const cityRegions = cityNodes.map((node, ci) =>
    regionOf(rings, node, { code: cityCodes[ci]!, name: `${names.rural2()}市`, level: 'city', kind: 'city', ordinal: ci + 1 }, province),
  );
  const counties = countyCells.map((c, i) =>
    nameCounty(layouts[i]!, rings, { code: c.code, name: c.name, parent: cityRegions[c.city]! }, new PlaceNames(new Random(plans[i]!.seed, 'place-names'))),
  );
  return { root: province ?? cityRegions[0]!, upper: province ? [province, ...cityRegions] : cityRegions, counties, plans };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const dist = (a: Pt, b: Pt) => Math.hypot(a[0] - b[0], a[1] - b[1]);

/** Compass bearing from `a` to `b`, 0 = north, clockwise, in [0, 2π). */
function bearing(a: Pt, b: Pt): number {
  const t = Math.atan2(b[0] - a[0], b[1] - a[1]);
  return t < 0 ? t + 2 * Math.PI : t;
}
