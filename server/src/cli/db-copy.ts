import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { copySqliteToPostgres, CopyError, type CopyProgress } from '../db/copy-to-postgres.js';
import { migratePostgres } from '../db/postgres-schema.js';
import { isPostgresUrl, Store } from '../db/store.js';
import { parseCli } from './args.js';

const USAGE = `Usage: npm run db:copy -- --from FILE --to postgres://USER@HOST:PORT/DATABASE

Copies a county's SQLite database (复制县级数据库) into PostgreSQL: migrates the PostgreSQL
database (an empty one gets the whole schema), then copies every table in one transaction,
every row and value as the server reads them, the audit trail's hash chain included, and
compares the row counts of every table. The PostgreSQL database must be empty: a copy never
merges into data that is there.

Stop the server first. FILE is opened read-only and must be at the schema version of this
server (start this server on it once to migrate an older one). The PostgreSQL database needs
UTF8 with the C.UTF-8 locale (docs/POSTGRES.md).

  --from FILE     the SQLite database (e.g. data/gridcommand.db)
  --to URL        the PostgreSQL database (postgres:// or postgresql://)
  -h, --help      show this help

Exit status: 0 copied, 1 refused or failed (nothing copied), 2 wrong usage or FILE cannot be opened.
`;

const { values } = parseCli({ from: { type: 'string' }, to: { type: 'string' } }, USAGE);
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
if (!values.from || !values.to) {
  process.stderr.write(`${!values.from ? '--from' : '--to'} is required (缺少参数)\n\n${USAGE}`);
  process.exit(2);
}
if (!isPostgresUrl(values.to)) {
  process.stderr.write(`--to must be a postgres:// URL (目标须为 PostgreSQL 地址), got "${values.to}"\n\n${USAGE}`);
  process.exit(2);
}

/** The URL without its password, for messages. */
function shown(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}

const file = resolve(values.from);
if (!existsSync(file)) {
  process.stderr.write(`No SQLite database at ${file} (找不到数据库文件)\n`);
  process.exit(2);
}
let source: Database.Database;
try {
  // read-only: a copy never changes what it copies (nor migrates it)
  source = new Database(file, { readonly: true, fileMustExist: true });
  source.pragma('busy_timeout = 5000');
} catch (err) {
  process.stderr.write(`Cannot open ${file} (无法打开数据库): ${(err as Error).message}\n`);
  process.exit(2);
}

/** Without a terminal, a progress line per this many rows of a table (the report lists every table at the end). */
const PROGRESS_LINE_ROWS = 100_000;

const tty = process.stderr.isTTY;
let nextLineAt = PROGRESS_LINE_ROWS;
let current = '';
const onProgress = (p: CopyProgress) => {
  const n = (x: number) => x.toLocaleString('en-US');
  if (tty) {
    process.stderr.write(`\r\x1b[KCopying ${p.table} ${n(p.rows)} / ${n(p.total)}`);
    return;
  }
  if (p.table !== current) {
    current = p.table;
    nextLineAt = PROGRESS_LINE_ROWS;
  }
  if (p.rows >= nextLineAt) {
    nextLineAt = p.rows + PROGRESS_LINE_ROWS;
    process.stderr.write(`Copying ${p.table} ${n(p.rows)} / ${n(p.total)}\n`);
  }
};

const target = Store.onPostgres(values.to, { max: 1 });
try {
  const version = await migratePostgres(target);
  process.stdout.write(`PostgreSQL ${shown(values.to)} at schema version ${version} (已迁移)\n`);
  const report = await copySqliteToPostgres(source, target, { onProgress });
  if (tty) process.stderr.write('\r\x1b[K');
  const n = (x: number) => x.toLocaleString('en-US');
  const width = Math.max(...report.tables.map((t) => t.table.length));
  process.stdout.write(`Copied ${file} into ${shown(values.to)} (复制完成)\n`);
  for (const t of report.tables) process.stdout.write(`  ${t.table.padEnd(width)}  ${n(t.rows).padStart(12)}\n`);
  process.stdout.write(
    `${n(report.totalRows)} rows in ${report.tables.length} tables, ${(report.ms / 1000).toFixed(1)} s; row counts and the audit trail checked on both sides ` +
      `(共 ${n(report.totalRows)} 行，${report.tables.length} 张表，行数与审计链已核对)\n`,
  );
} catch (err) {
  if (tty) process.stderr.write('\r\x1b[K');
  const message = err instanceof CopyError ? err.message : `${(err as Error).message}`;
  process.stderr.write(`Copy refused or failed, nothing copied (复制未完成，未写入任何数据): ${message}\n`);
  process.exitCode = 1;
} finally {
  source.close();
  await target.close();
}
