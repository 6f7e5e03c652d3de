import type { CatalogItemInput, Referral } from '../../../../shared/contracts/catalog.js';
import { catalogItemOf } from '../catalog/catalog.repo.js';
import { DEFAULT_WORKFLOW_SETTINGS } from '../settings/settings.repo.js';
import type { DemoCounty, DemoRegion } from './county.js';
import { DEMO_CATALOG, DEMO_REFERRALS } from './demo-catalog.js';
import { buildEventHistory, mergeHistories, type DemoEvent } from './events.js';
import { buildHouseholds, type DemoHouseholds } from './households.js';
import { PhoneBook } from './names.js';
import { buildLeavers, buildRoster, buildWorkers, type DemoWorker, type DemoWorkerRecord, type RosterEntry } from './people.js';
import { buildPlatform, type CountyPlan, type DemoPlatform } from './platform.js';
import { Random } from './random.js';
import type { DemoOptions } from './demo-options.js';
import { buildTeams, type DemoTeam } from './teams.js';

/** One county's people, teams and case history, in memory, before it is written anywhere. */
export interface DemoCountyPart {
  county: DemoCounty;
  households: DemoHouseholds;
  workers: DemoWorker[];
  roster: RosterEntry[];
  teams: DemoTeam[];
  /** Numbered within the county; a platform renumbers them across its counties (mergeHistories). */
  events: DemoEvent[];
}

/** Everything the demo platform holds, in memory, before it is written anywhere. */
export interface DemoData {
  root: DemoRegion;
  /** Province and city regions, parents first (empty for one county). */
  upper: DemoRegion[];
  parts: DemoCountyPart[];
  /** Version 1 of the admitted-item catalog, and the matters it refers elsewhere. */
  catalog: CatalogItemInput[];
  referrals: Referral[];
  /** The whole history: one id numbering per day and one change log across the counties. */
  events: DemoEvent[];
}

/**
 * Generates the whole platform from its options alone, in memory: small platforms and tests.
 * The seeder builds the counties one at a time instead (CountyBuilder), writing each before
 * the next, so a province's households never all sit in memory at once.
 */
export function generateDemo(o: DemoOptions): DemoData {
  const platform = buildPlatform(o);
  const builder = new CountyBuilder(o, platform);
  const parts = platform.counties.map((_, i) => builder.build(i));
  const events = parts.length === 1 ? parts[0]!.events : mergeHistories(parts.map((p) => p.events));
  return { root: platform.root, upper: platform.upper, parts, catalog: DEMO_CATALOG, referrals: DEMO_REFERRALS, events };
}

/**
 * Builds the counties of a platform one by one. Each part draws from its own random stream
 * (per county for a platform), so e.g. more events leave the map, the people and the teams
 * untouched. Workers and teams are numbered on across the counties.
 */
export class CountyBuilder {
  private readonly phones: PhoneBook;
  private readonly catalog = DEMO_CATALOG.map(catalogItemOf);
  private nextWorker = 1;
  private nextTeam = 1;
  private readonly workerWidth: number;

  constructor(
    private readonly o: DemoOptions,
    private readonly platform: DemoPlatform,
  ) {
    // One phone book for everyone: no two people of the platform share a mobile number.
    this.phones = new PhoneBook(new Random(o.seed, 'demo').fork('phones'));
    this.workerWidth = Math.max(5, String(o.workers).length);
  }

  build(i: number): DemoCountyPart {
    const { o } = this;
    const county = this.platform.counties[i]!;
    const plan: CountyPlan = this.platform.plans[i]!;
    const root = new Random(plan.seed, 'demo');
    const year = asOfYear(o.asOf);
    const households = buildHouseholds(county, o.householdsPerMicroGrid, year, root.fork('households'));
    const workers = buildWorkers(county, plan, year, root.fork('workers'), this.phones, { first: this.nextWorker, width: this.workerWidth });
    const roster = buildRoster(county, households, year, root.fork('roster'), this.phones);
    const teams = buildTeams(county, workers, o.asOf, root.fork('teams'), this.phones, this.nextTeam);
    this.nextWorker += workers.length;
    this.nextTeam += teams.length;
    const events = buildEventHistory({
      county,
      households,
      workers,
      catalog: this.catalog,
      referrals: DEMO_REFERRALS,
      teams,
      // The history runs on the default settings: a fresh database has no others.
      calendar: DEFAULT_WORKFLOW_SETTINGS.calendar,
      warnAtFraction: DEFAULT_WORKFLOW_SETTINGS.warnAtFraction,
      days: o.days,
      eventsPerDay: plan.eventsPerDay,
      asOf: o.asOf,
      rng: root.fork('events'),
      phones: this.phones,
    });
    return { county, households, workers, roster, teams, events };
  }

  /**
   * The workers who left each county in the last two years (issue 16's turnover), built after
   * every county: numbered on after the platform's whole roster and given phones after everyone
   * else's, so no county's roster, teams or cases change. Per county, its own random stream.
   */
  leavers(i: number, part: Pick<DemoCountyPart, 'county' | 'workers'>): Array<{ worker: DemoWorker; record: DemoWorkerRecord }> {
    const plan = this.platform.plans[i]!;
    const out = buildLeavers(part.county, part.workers.length, this.o.asOf, new Random(plan.seed, 'worker-leavers'), this.phones, { first: this.nextWorker, width: this.workerWidth });
    this.nextWorker += out.length;
    return out;
  }
}

/** The calendar year of `asOf` in China Standard Time: ages are counted from it. */
export function asOfYear(asOf: Date): number {
  return new Date(asOf.getTime() + 8 * 3600_000).getUTCFullYear();
}
