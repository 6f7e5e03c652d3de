import type { TestProject } from 'vitest/node';
import { startTestPostgres } from './postgres.js';

/**
 * The integration suite on PostgreSQL (vitest project `integration-pg`): one throwaway cluster for
 * the whole run, its template database migrated once; each test server gets a database of its
 * own copied from the template (tests/integration/harness.ts, `createTestDatabase`).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startTestPostgres();
  // migrates the template (gc_template) the test databases are made from
  await cluster.createDatabase();
  project.provide('gridcommandPostgres', cluster.url('postgres'));
  return () => cluster.stop();
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** The test cluster's maintenance database (postgres://postgres@127.0.0.1:PORT/postgres). */
    gridcommandPostgres: string;
  }
}
