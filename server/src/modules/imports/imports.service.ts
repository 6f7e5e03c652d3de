import { createHash } from 'node:crypto';
import type { Store } from '../../db/store.js';
import type { Clock } from '../../core/clock.js';
import type { GridImportOptions, GridImportReport, ImportReport, RosterImportReport, RosterKind } from '../../../../shared/contracts/imports.js';
import type { AuditActor } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { readBoundaryFile } from './boundary-file.js';
import { planGridImport, type GridPlan, type Progress } from './grid-plan.js';
import type { ImportsRepo } from './imports.repo.js';
import { planRosterImport, type RosterCaller, type RosterPlan } from './roster-plan.js';
import { RosterRepo } from './roster.repo.js';

/** The file an import came from, for the audit trail. */
export interface ImportSource {
  fileName: string;
  sha256: string;
  bytes: number;
}

export const sourceOf = (fileName: string, bytes: Uint8Array): ImportSource => ({
  fileName,
  sha256: createHash('sha256').update(bytes).digest('hex'),
  bytes: bytes.byteLength,
});

/** The database changed between validation and write: validate again. */
export class StalePlanError extends Error {}

/** A plan with problems cannot be written. */
export class RefusedPlanError extends Error {}

export interface ImportsServiceDeps {
  store: Store;
  repo: ImportsRepo;
  audit: AuditRepo;
  clock: Clock;
  /**
   * After a boundary import committed: the running server rebuilds what it derived from regions.
   * The write ends when the rebuild has (the next intake lands in the new polygons on either store).
   */
  onRegionsChanged?: () => void | Promise<void>;
}

export type PlannedImport = { kind: 'grids'; plan: GridPlan; stamp: string } | { kind: 'roster'; plan: RosterPlan; stamp: string };

/**
 * Boundary and roster imports: validate everything first (a report per feature or row), then
 * write all or nothing in one transaction, audited. Used by `npm run import` and by the
 * console's data-import routes alike.
 */
export class ImportsService {
  private readonly roster: RosterRepo;

  constructor(private readonly deps: ImportsServiceDeps) {
    this.roster = new RosterRepo(deps.store);
  }

  async planGrids(bytes: Uint8Array, options: GridImportOptions, onProgress?: Progress): Promise<PlannedImport> {
    const file = await readBoundaryFile(bytes, options.crs);
    const stamp = await this.deps.repo.regionsHash();
    const surroundings = await this.deps.repo.surroundings(options.level);
    const plan = await planGridImport({ file, options, ...surroundings, references: (ids) => this.deps.repo.references(ids) }, onProgress);
    return { kind: 'grids', plan, stamp };
  }

  /** `caller`: the grid office's import (workers sheet only, rows of its towns); absent for the administrator's. */
  async planRoster(bytes: Uint8Array, fileName: string, kind?: RosterKind, caller?: RosterCaller): Promise<PlannedImport> {
    // what the plan looks up row by row is read first, with the stamp, from the same rows
    const { stamp, lookup } = await this.roster.snapshot();
    const plan = await planRosterImport(bytes, fileName, kind, lookup, caller ?? null);
    return { kind: 'roster', plan, stamp };
  }

  /**
   * Writes a plan without problems in one transaction with its audit record; refuses (and
   * audits the refusal) otherwise. The database must still be as it was validated against.
   */
  async write(planned: PlannedImport, source: ImportSource, actor: AuditActor, onProgress: (fraction: number) => void = () => undefined): Promise<ImportReport> {
    const { store, repo, audit } = this.deps;
    const report = planned.plan.report;
    if (report.problems.length > 0) {
      await audit.record({ ...actor, action: 'data:import', result: 'failure', reason: 'invalid_file', objectType: planned.kind, objectId: objectOf(report), details: { ...source, problems: report.problems.length } });
      throw new RefusedPlanError(`${report.problems.length} problem(s)`);
    }
    await store.inTransaction(async () => {
      // one import at a time across nodes (on PostgreSQL an advisory lock held to the commit, which
      // the audit record takes anyway), so the stamp is read after any other import has committed
      await store.takeWriterTurn();
      if (planned.kind === 'grids') {
        if ((await repo.regionsHash()) !== planned.stamp) throw new StalePlanError('regions changed since validation');
        await repo.writeRegions(planned.plan.rows, planned.plan.removeIds, onProgress);
      } else {
        if ((await this.roster.stamp()) !== planned.stamp) throw new StalePlanError('roster or regions changed since validation');
        await this.roster.write(planned.plan, onProgress);
      }
      await audit.append({ ...actor, action: 'data:import', result: 'success', objectType: planned.kind, objectId: objectOf(report), details: { ...source, ...counts(report) } });
    });
    if (planned.kind === 'grids') await this.deps.onRegionsChanged?.();
    return report;
  }
}

const objectOf = (report: ImportReport) => (report.kind === 'grids' ? report.level : report.sheets.map((s) => s.kind).join(','));

function counts(report: ImportReport): Record<string, unknown> {
  if (report.kind === 'grids') {
    const r: GridImportReport = report;
    return { level: r.level, features: r.features, inserts: r.inserts, updates: r.updates, removes: r.removes.length, crs: r.crs };
  }
  const r: RosterImportReport = report;
  return { encoding: r.encoding, sheets: r.sheets };
}
