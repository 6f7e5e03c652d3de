import type { HotlineImportFile, HotlineImportMode, HotlineImportReport, HotlineImportRow, HotlineImportStatus, HotlineImportSummary, HotlineImportTotals } from '../../../../shared/contracts/hotline-import.js';
import type { Db } from '../../db/connection.js';

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

/** The imports of hotline files and their reports (migration 19). */
export class HotlineImportRepo {
  constructor(private readonly db: Db) {}

  /** Records an import as it starts: one the server does not finish stays `running` (shown as interrupted). */
  start(entry: { mode: HotlineImportMode; dryRun: boolean; file: HotlineImportFile; userId: string; displayName: string; at: string; totals: HotlineImportTotals }): string {
    const info = this.db
      .prepare(
        `INSERT INTO hotline_imports (mode, dry_run, status, file, user_id, display_name, started_at, totals, rows)
         VALUES (?, ?, 'running', ?, ?, ?, ?, ?, '[]')`,
      )
      .run(entry.mode, entry.dryRun ? 1 : 0, JSON.stringify(entry.file), entry.userId, entry.displayName, entry.at, JSON.stringify(entry.totals));
    return idOf(Number(info.lastInsertRowid));
  }

  finish(id: string, entry: { status: HotlineImportStatus; at: string; totals: HotlineImportTotals; rows: HotlineImportRow[] }): void {
    this.db
      .prepare('UPDATE hotline_imports SET status = ?, finished_at = ?, totals = ?, rows = ? WHERE id = ?')
      .run(entry.status, entry.at, JSON.stringify(entry.totals), JSON.stringify(entry.rows), numberOf(id));
  }

  /** One import with its rows; `running` ones not in `active` (this process's) are reported as interrupted. */
  get(id: string, active: ReadonlySet<string>): HotlineImportReport | null {
    const row = this.db.prepare('SELECT * FROM hotline_imports WHERE id = ?').get(numberOf(id)) as ImportRow | undefined;
    return row ? { ...summary(row, active), rows: JSON.parse(row.rows) as HotlineImportRow[] } : null;
  }

  /** The newest imports first, without their rows; one user's only, unless `userId` is null. */
  list(userId: string | null, limit: number, active: ReadonlySet<string>): HotlineImportSummary[] {
    const rows = (
      userId === null
        ? this.db.prepare('SELECT id, mode, dry_run, status, file, user_id, display_name, started_at, finished_at, totals, \'[]\' AS rows FROM hotline_imports ORDER BY id DESC LIMIT ?').all(limit)
        : this.db
            .prepare('SELECT id, mode, dry_run, status, file, user_id, display_name, started_at, finished_at, totals, \'[]\' AS rows FROM hotline_imports WHERE user_id = ? ORDER BY id DESC LIMIT ?')
            .all(userId, limit)
    ) as ImportRow[];
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
