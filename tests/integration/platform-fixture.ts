import { databaseFile } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/connection.js';
import type { DemoOptions } from '../../server/src/modules/demo/demo-options.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';

/**
 * A small platform: one city (T市 330800) holding three counties, every level from the city down
 * to the micro-grid, about 1,500 micro-grids in all. Seeds in seconds; big enough that tiles,
 * the region tree and the console meet more than one county.
 */
export const SMALL_PLATFORM: DemoOptions = {
  seed: 7,
  cities: 1,
  counties: 3,
  towns: 9,
  villages: 45,
  grids: 300,
  microGrids: 1500,
  workers: 600,
  fullTimeWorkers: 300,
  householdsPerMicroGrid: 2,
  days: 2,
  eventsPerDay: 90,
  asOf: new Date('2026-11-20T00:00:00+08:00'),
};

/**
 * The same platform for `demo:seed` or a spawned server (flags override the city preset), seeded
 * as of an earlier day like SMALL_COUNTY_ARGS: every deadline of its history has long passed.
 */
export const SMALL_PLATFORM_ARGS = [
  '--preset', 'city', '--seed', '7', '--cities', '1', '--counties', '3', '--towns', '9', '--villages', '45', '--grids', '300',
  '--micro-grids', '1500', '--workers', '600', '--full-time-workers', '300', '--households-per-micro-grid', '2', '--days', '2',
  '--events-per-day', '90', '--as-of', '2026-11-02T00:00:00+08:00',
];

/** Seeds a platform (the small city by default) into the data folder `dataDir`, for a test server to open; returns the folder. */
export function seedPlatform(dataDir: string, options: DemoOptions = SMALL_PLATFORM): string {
  const db = openDatabase(databaseFile(dataDir));
  try {
    seedDemo(db, options);
  } finally {
    db.close();
  }
  return dataDir;
}
