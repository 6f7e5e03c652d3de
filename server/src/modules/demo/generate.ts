import type { CatalogItemInput, Referral } from '../../../../shared/contracts/catalog.js';
import { catalogItemOf } from '../catalog/catalog.repo.js';
import { DEFAULT_WORKFLOW_SETTINGS } from '../settings/settings.repo.js';
import { buildCounty, type DemoCounty } from './county.js';
import { DEMO_CATALOG, DEMO_REFERRALS } from './demo-catalog.js';
import { buildEventHistory, type DemoEvent } from './events.js';
import { buildHouseholds, type DemoHouseholds } from './households.js';
import { PhoneBook } from './names.js';
import { buildRoster, buildWorkers, type DemoWorker, type RosterEntry } from './people.js';
import { Random } from './random.js';
import type { DemoOptions } from './demo-options.js';
import { buildTeams, type DemoTeam } from './teams.js';

/** Everything the demo county holds, in memory, before it is written anywhere. */
export interface DemoData {
  county: DemoCounty;
  households: DemoHouseholds;
  workers: DemoWorker[];
  roster: RosterEntry[];
  teams: DemoTeam[];
  /** Version 1 of the admitted-item catalog, and the matters it refers elsewhere. */
  catalog: CatalogItemInput[];
  referrals: Referral[];
  events: DemoEvent[];
}

/**
 * Generates the whole county from its options alone. Each part draws from its own random
 * stream, so e.g. more events leave the map, the people and the teams untouched.
 */
export function generateDemo(o: DemoOptions): DemoData {
  const root = new Random(o.seed, 'demo');
  const year = asOfYear(o.asOf);
  const county = buildCounty(o);
  const households = buildHouseholds(county, o.householdsPerMicroGrid, year, root.fork('households'));
  // One phone book for everyone: no two people of the county share a mobile number.
  const phones = new PhoneBook(root.fork('phones'));
  const workers = buildWorkers(county, o, year, root.fork('workers'), phones);
  const roster = buildRoster(county, households, year, root.fork('roster'), phones);
  const teams = buildTeams(county, workers, o.asOf, root.fork('teams'), phones);
  const events = buildEventHistory({
    county,
    households,
    workers,
    catalog: DEMO_CATALOG.map(catalogItemOf),
    referrals: DEMO_REFERRALS,
    teams,
    // The history runs on the default settings: a fresh database has no others.
    calendar: DEFAULT_WORKFLOW_SETTINGS.calendar,
    warnAtFraction: DEFAULT_WORKFLOW_SETTINGS.warnAtFraction,
    days: o.days,
    eventsPerDay: o.eventsPerDay,
    asOf: o.asOf,
    rng: root.fork('events'),
    phones,
  });
  return { county, households, workers, roster, teams, catalog: DEMO_CATALOG, referrals: DEMO_REFERRALS, events };
}

/** The calendar year of `asOf` in China Standard Time: ages are counted from it. */
export function asOfYear(asOf: Date): number {
  return new Date(asOf.getTime() + 8 * 3600_000).getUTCFullYear();
}
