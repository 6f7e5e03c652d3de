import type { HotlineImportFile, HotlineImportMode, HotlineImportReport, HotlineImportRow, HotlineImportStatus, HotlineImportSummary, HotlineImportTotals } from '../../../../shared/contracts/hotline-import.js';
import type { Store } from '../../db/store.js';

interface ImportRow {
  id: number;
  mode: HotlineImportMode;
  dry_run: number;
  status: HotlineImportStatus;
  file: string;
  user_id: string;
  display_name: string;
  started_at: string;
  finished_at: string | null;
  totals: string;
  rows: string;
}

const idOf = (n: number) => `HI${n}`;
const numberOf = (id: string) => Number(id.slice(2));

/** The imports of hotline files and their reports (migration 19), on the async store (both dialects; parity test hotline-import-store). */
export class HotlineImportRepo {
  constructor(private readonly store: Store) {}

  /** Records an import as it starts: one the server does not finish stays `running` (shown as interrupted). */
  async start(entry: { mode: HotlineImportMode; dryRun: boolean; file: HotlineImportFile; userId: string; displayName: string; at: string; totals: HotlineImportTotals }): Promise<string> {
    // the id from RETURNING on both dialects (an identity column on PostgreSQL)
    const row = await this.store.get<{ id: number }>(
      `INSERT INTO hotline_imports (mode, dry_run, status, file, user_id, display_name, started_at, totals, rows)
       VALUES (?, ?, 'running', ?, ?, ?, ?, ?, '[]') RETURNING id`,
      entry.mode,
      entry.dryRun ? 1 : 0,
      JSON.stringify(entry.file),
      entry.userId,
      entry.displayName,
      entry.at,
      JSON.stringify(entry.totals),
    );
    return idOf(Number(row!.id));
  }

  /**
   * Records the outcome, and runs `within` (the import's audit record, `AuditRepo.append`) in the
   * same store transaction: both commit together, and no other flow's transaction is open on the
   * shared SQLite connection while the record is written.
   */
  async finish(id: string, entry: { status: HotlineImportStatus; at: string; totals: HotlineImportTotals; rows: HotlineImportRow[] }, within?: () => unknown): Promise<void> {
    await this.store.inTransaction(async () => {
      await this.store.run(
        'UPDATE hotline_imports SET status = ?, finished_at = ?, totals = ?, rows = ? WHERE id = ?',
        entry.status,
        entry.at,
        JSON.stringify(entry.totals),
        JSON.stringify(entry.rows),
        numberOf(id),
      );
      await within?.();
    });
  }

  /** One import with its rows; `running` ones not in `active` (this process's) are reported as interrupted. */
  async get(id: string, active: ReadonlySet<string>): Promise<HotlineImportReport | null> {
    const row = await this.store.get<ImportRow>('SELECT id, mode, dry_run, status, file, user_id, display_name, started_at, finished_at, totals, rows FROM hotline_imports WHERE id = ?', numberOf(id));
    return row ? { ...summary(row, active), rows: JSON.parse(row.rows) as HotlineImportRow[] } : null;
  }

  /** The newest imports first, without their rows; one user's only, unless `userId` is null. */
  async list(userId: string | null, limit: number, active: ReadonlySet<string>): Promise<HotlineImportSummary[]> {
    const columns = "id, mode, dry_run, status, file, user_id, display_name, started_at, finished_at, totals, '[]' AS rows";
    const rows =
      userId === null
        ? await this.store.all<ImportRow>(`SELECT ${columns} FROM hotline_imports ORDER BY id DESC LIMIT ?`, limit)
        : await this.store.all<ImportRow>(`SELECT ${columns} FROM hotline_imports WHERE user_id = ? ORDER BY id DESC LIMIT ?`, userId, limit);
    return rows.map((r) => summary(r, active));
  }
}

function summary(row: ImportRow, active: ReadonlySet<string>): HotlineImportSummary {
  const id = idOf(row.id);
  return {
    id,
    mode: row.mode,
    dryRun: row.dry_run === 1,
    status: row.status === 'running' && !active.has(id) ? 'interrupted' : row.status,
    file: JSON.parse(row.file) as HotlineImportFile,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    by: { userId: row.user_id, displayName: row.display_name },
    totals: JSON.parse(row.totals) as HotlineImportTotals,
  };
}
