import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { HotlineCaseInput } from '../../../../shared/contracts/channels.js';
import {
  emptyTotals,
  HOTLINE_COLUMNS,
  type BilingualReason,
  type HotlineColumn,
  type HotlineFileFormat,
  type HotlineImportFile,
  type HotlineImportMode,
  type HotlineImportProgress,
  type HotlineImportReport,
  type HotlineImportRow,
  type HotlineImportStatus,
  type HotlineImportSummary,
  type HotlineImportTotals,
} from '../../../../shared/contracts/hotline-import.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import { fieldMessage, t, type Lang, type MessageKey } from '../../http/messages.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import type { HotlineIntake, HotlineOutcome } from '../channels/hotline-intake.js';
import { inScope } from '../events/event-view.js';
import type { Actor } from '../events/workflow.service.js';
import type { MicroGridChain } from '../regions/regions.repo.js';
import { readHotlineFile, type HotlineFileRow } from './hotline-file.js';
import type { HotlineImportRepo } from './hotline-import.repo.js';
import { columnOfField, hotlineCaseOf, type CellProblem } from './hotline-row.js';

/**
 * Work done between two turns of the event loop, ms: the intake is synchronous (a written row
 * costs a commit with synchronous=FULL), and sockets and other requests must not wait behind a
 * typhoon day's file.
 */
const TURN_MS = 15;
/** Progress of this many uploads is kept for polling; older ones are forgotten first. */
const PROGRESS_KEPT = 200;

/** Field codes of the channel's schema that this import words itself (hotline_import.row.*). */
const ROW_CODES = new Set(['bad_call_time', 'bad_number', 'bad_crs', 'crs_required', 'lon_lat_pair', 'bad_urgency', 'address_or_location']);

export interface HotlineImportDeps {
  intake: HotlineIntake;
  repo: HotlineImportRepo;
  audit: AuditRepo;
  clock: Clock;
  /** Items by code, for the report's words (the active catalog). */
  itemName(code: string): string | null;
  chains: Map<string, MicroGridChain>;
}

export interface HotlineImportRequest {
  bytes: Buffer;
  format: HotlineFileFormat;
  fileName: string;
  mode: HotlineImportMode;
  dryRun: boolean;
  progressKey: string | null;
}

/** A row's outcome before it is known whether the import writes it. */
type Verdict = Omit<HotlineImportRow, 'row' | 'caseNumber' | 'written'>;

/**
 * Imports a day's 12345 cases from the platform's export. Every row goes through the hotline
 * channel's one intake (`HotlineIntake.accept`), idempotent on the case number; this service only
 * reads the file, orders the work (all or nothing, or row by row), words the per-row report in
 * both languages and keeps it, with one audit record per import (the intakes audit their own).
 */
export class HotlineImportService {
  private readonly progress = new Map<string, { userId: string; value: HotlineImportProgress }>();
  /** Imports this process is running: a `running` row not among them was interrupted. */
  private readonly active = new Set<string>();

  constructor(private readonly deps: HotlineImportDeps) {}

  async run(req: HotlineImportRequest, actor: Actor): Promise<HotlineImportReport> {
    const { repo, clock, audit } = this.deps;
    const userId = actor.principal.user.id;
    const track = (value: HotlineImportProgress) => this.track(req.progressKey, userId, value);
    track({ phase: 'reading', done: 0, total: 0 });
    let sheet: Awaited<ReturnType<typeof readHotlineFile>>;
    try {
      sheet = await readHotlineFile(req.bytes, req.format);
    } catch (err) {
      track({ phase: 'done', done: 0, total: 0 });
      if (err instanceof ApiHttpError) {
        await audit.record({ ...who(actor.principal), ...actor.ctx, action: 'hotline:import', result: 'failure', reason: String(err.extra.reason ?? err.code), details: { fileName: req.fileName, mode: req.mode, dryRun: req.dryRun } });
      }
      throw err;
    }
    const file: HotlineImportFile = { name: req.fileName, bytes: req.bytes.length, ...sheet.file };
    const headerOf = (column: HotlineColumn) => file.columns.find((c) => c.field === column)?.header ?? null;
    const startedAt = clock.now().toISOString();
    const id = await repo.start({ mode: req.mode, dryRun: req.dryRun, file, userId, displayName: actor.principal.user.displayName, at: startedAt, totals: { ...emptyTotals(), rows: sheet.rows.length } });
    this.active.add(id);
    try {
      const total = sheet.rows.length;
      // a dry run, or the check before an all-or-nothing write: nothing is written
      const checkFirst = req.dryRun || req.mode === 'file';
      const seen = new Map<string, number>();
      const rows: HotlineImportRow[] = [];
      await this.each(sheet.rows, async (fileRow) => {
        const row = await this.one(fileRow, actor, { dryRun: checkFirst, seen, headerOf });
        rows.push(row);
        return row;
      }, (done) => track({ phase: checkFirst ? 'checking' : 'writing', done, total }));

      let status: HotlineImportStatus;
      if (req.dryRun) status = 'preview';
      else if (req.mode === 'row') status = 'written';
      // all or nothing, and a row failed: the others keep the outcome they would have had, unwritten
      else if (rows.some((r) => r.outcome === 'invalid')) status = 'refused';
      else {
        // Every row passed: write them, each through the intake in its own transaction. A
        // crash midway leaves the rows written so far; the same file imported again finds them
        // by their case numbers (duplicates, nothing twice) and writes the rest.
        const again = new Map<string, number>();
        let index = 0;
        await this.each(sheet.rows, async (fileRow) => {
          const row = await this.one(fileRow, actor, { dryRun: false, seen: again, headerOf });
          rows[index++] = row;
          return row;
        }, (done) => track({ phase: 'writing', done, total }));
        status = rows.some((r) => r.outcome === 'invalid') ? 'partial' : 'written';
      }
      const totals = totalsOf(rows);
      const finishedAt = clock.now().toISOString();
      // the report and its audit record in one transaction (a sync record() could meet another flow's open store transaction)
      await repo.finish(id, { status, at: finishedAt, totals, rows }, () => audit.append({
        ...who(actor.principal),
        ...actor.ctx,
        action: 'hotline:import',
        result: status === 'refused' || status === 'partial' ? 'failure' : 'success',
        ...(status === 'refused' || status === 'partial' ? { reason: status } : {}),
        objectType: 'hotline_import',
        objectId: id,
        details: {
          fileName: file.name,
          format: file.format,
          encoding: file.encoding,
          mode: req.mode,
          dryRun: req.dryRun,
          status,
          totals,
          // which rows failed and why, by code: enough to find them again, no personal data
          invalid: rows.filter((r) => r.outcome === 'invalid').slice(0, 200).map((r) => ({ row: r.row, caseNumber: r.caseNumber, code: r.reason?.code ?? null, field: r.field ?? null })),
        },
      }));
      track({ phase: 'done', done: total, total });
      return { id, mode: req.mode, dryRun: req.dryRun, status, file, startedAt, finishedAt, by: { userId, displayName: actor.principal.user.displayName }, totals, rows };
    } finally {
      this.active.delete(id);
    }
  }

  /** How far an upload of this user has got; null for a key not theirs or not known. */
  progressOf(key: string, userId: string): HotlineImportProgress | null {
    const entry = this.progress.get(key);
    return entry && entry.userId === userId ? entry.value : null;
  }

  get(id: string): Promise<HotlineImportReport | null> {
    return this.deps.repo.get(id, this.active);
  }

  list(userId: string | null, limit: number): Promise<HotlineImportSummary[]> {
    return this.deps.repo.list(userId, limit, this.active);
  }

  private track(key: string | null, userId: string, value: HotlineImportProgress): void {
    if (!key) return;
    this.progress.delete(key);
    this.progress.set(key, { userId, value });
    if (this.progress.size > PROGRESS_KEPT) this.progress.delete(this.progress.keys().next().value!);
  }

  /** Runs `fn` over the rows, letting the event loop turn every few milliseconds of work, reporting progress then. */
  private async each(rows: HotlineFileRow[], fn: (row: HotlineFileRow) => Promise<HotlineImportRow>, onProgress: (done: number) => void): Promise<void> {
    let turn = performance.now();
    for (let i = 0; i < rows.length; i++) {
      await fn(rows[i]!);
      if (performance.now() - turn >= TURN_MS) {
        onProgress(i + 1);
        await yieldToLoop();
        turn = performance.now();
      }
    }
    onProgress(rows.length);
  }

  /** One row: read, checked against the rows before it, then through the channel's intake. */
  private async one(fileRow: HotlineFileRow, actor: Actor, opts: { dryRun: boolean; seen: Map<string, number>; headerOf(c: HotlineColumn): string | null }): Promise<HotlineImportRow> {
    const caseNumber = fileRow.cells.caseNumber ?? '';
    const base = { row: fileRow.row, caseNumber };
    const earlier = caseNumber ? opts.seen.get(caseNumber) : undefined;
    if (earlier !== undefined) {
      return { ...base, outcome: 'invalid', written: false, reason: reason('duplicate_in_file', 'hotline_import.row.duplicate_in_file', { caseNumber, row: earlier }), field: opts.headerOf('caseNumber') ?? undefined };
    }
    if (caseNumber) opts.seen.set(caseNumber, fileRow.row);
    const { input, problems } = hotlineCaseOf(fileRow);
    if (problems.length > 0) return { ...base, ...this.cellProblems(problems, opts.headerOf), written: false };
    const outcome = await this.deps.intake.accept(input, actor, { dryRun: opts.dryRun });
    const verdict = this.verdict(outcome, input, actor, opts);
    const written = !opts.dryRun && verdict.outcome !== 'invalid' && verdict.outcome !== 'duplicate_of_earlier_import';
    return { ...base, ...verdict, written };
  }

  private verdict(outcome: HotlineOutcome, input: HotlineCaseInput, actor: Actor, opts: { dryRun: boolean; headerOf(c: HotlineColumn): string | null }): Verdict {
    const { itemName, chains } = this.deps;
    if (outcome.outcome === 'invalid') return this.refusal(outcome.error, input, opts.headerOf);
    // A dry run does not reach the intake's scope check: say now what the write would refuse.
    const townId = outcome.place?.townId;
    if (!outcome.replayed && townId && !inScope(actor.principal.user.scope, townId)) {
      return this.refusal(new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'address', code: 'out_of_scope' }], { what: chains.get(outcome.place!.microGridId)?.path ?? townId }), input, opts.headerOf);
    }
    if (outcome.outcome === 'queued') {
      const ids = outcome.triageId ? { triageId: outcome.triageId } : {};
      if (outcome.replayed) return { outcome: 'duplicate_of_earlier_import', ...ids, reason: reason('duplicate_of_earlier_import', 'hotline_import.row.duplicate_of_earlier_import', { caseNumber: input.channelId, what: outcome.triageId }) };
      const best = outcome.suggestions[0];
      const parts = outcome.reasons.map((r) =>
        r === 'item_uncertain'
          ? reason(r, 'hotline_import.row.item_uncertain', { best: best ? `${best.itemName} ${Math.round(best.score * 100)}%` : '—' })
          : reason(r, 'hotline_import.row.address_unresolved', { address: input.address ?? '' }),
      );
      return { outcome: 'triaged', ...ids, reason: joinReasons(parts), field: outcome.reasons.includes('address_unresolved') ? (opts.headerOf('address') ?? undefined) : (opts.headerOf('category') ?? undefined) };
    }
    const eventId = outcome.created?.id;
    const ids = eventId ? { eventId } : {};
    if (outcome.replayed) return { outcome: 'duplicate_of_earlier_import', ...ids, reason: reason('duplicate_of_earlier_import', 'hotline_import.row.duplicate_of_earlier_import', { caseNumber: input.channelId, what: eventId }) };
    if (outcome.outcome === 'not_admitted') {
      return {
        outcome: 'not_admitted',
        ...ids,
        receivingBody: outcome.refusal.receivingBody,
        reason: reason(outcome.refusal.reason, opts.dryRun ? 'hotline_import.row.would_not_admit' : 'hotline_import.row.not_admitted', { item: input.itemText, receivingBody: outcome.refusal.receivingBody }),
      };
    }
    const item = itemName(outcome.item.itemCode) ?? outcome.item.itemCode;
    const place = chains.get(outcome.place.microGridId)?.path ?? outcome.place.microGridId;
    return { outcome: 'accepted', ...ids, reason: opts.dryRun ? reason('accepted', 'hotline_import.row.would_accept', { item }) : reason('accepted', 'hotline_import.row.accepted', { item, place }) };
  }

  /** The channel's refusal as the row's report: a case number seen before, or what is wrong and in which column. */
  private refusal(err: ApiHttpError, input: HotlineCaseInput, headerOf: (c: HotlineColumn) => string | null): Verdict {
    if (err.code === 'idempotency_conflict') {
      const eventId = typeof err.extra.eventId === 'string' ? { eventId: err.extra.eventId } : {};
      const triageId = typeof err.extra.triageId === 'string' ? { triageId: err.extra.triageId } : {};
      return { outcome: 'duplicate_of_earlier_import', ...eventId, ...triageId, reason: reason('changed_since_import', 'hotline_import.row.changed_since_import', { caseNumber: input.channelId }) };
    }
    const fields = err.fields.map((f) => ({ ...f, column: columnOfField(f.field) }));
    const first = fields.find((f) => f.column !== null);
    const text = (lang: Lang) => {
      const named = fields
        .filter((f) => f.column !== null)
        .map((f) => t(lang, 'hotline_import.row.invalid_field', { column: columnName(f.column!, headerOf, lang), problem: problemText(lang, f.code, f.params ?? {}) }));
      // "the body is invalid, see the fields" is API speech; a row's report names the cells instead
      const lead = err.code === 'invalid_body' && named.length > 0 ? [] : [t(lang, err.messageKey, err.params)];
      return [...lead, ...named].join(' ');
    };
    const code = err.code === 'invalid_body' && first ? first.code : err.code;
    return { outcome: 'invalid', reason: { code, 'zh-CN': text('zh-CN'), en: text('en') }, ...(first ? { field: headerOf(first.column!) ?? HOTLINE_COLUMNS[first.column!][0] } : {}) };
  }

  private cellProblems(problems: CellProblem[], headerOf: (c: HotlineColumn) => string | null): Verdict {
    const text = (lang: Lang) =>
      problems.map((p) => t(lang, 'hotline_import.row.invalid_field', { column: columnName(p.column, headerOf, lang), problem: p.key ? t(lang, p.key) : fieldMessage(lang, p.code, {}) })).join(' ');
    const first = problems[0]!;
    return { outcome: 'invalid', reason: { code: first.code, 'zh-CN': text('zh-CN'), en: text('en') }, field: headerOf(first.column) ?? HOTLINE_COLUMNS[first.column][0] };
  }
}

function problemText(lang: Lang, code: string, params: Record<string, unknown>): string {
  return ROW_CODES.has(code) ? t(lang, `hotline_import.row.${code}` as MessageKey) : fieldMessage(lang, code, params);
}

/** A column by the file's own header (the Chinese one when the file lacks it), with the field's name in English. */
function columnName(column: HotlineColumn, headerOf: (c: HotlineColumn) => string | null, lang: Lang): string {
  const header = headerOf(column) ?? HOTLINE_COLUMNS[column][0];
  return lang === 'en' ? `${header} (${column})` : header;
}

function reason(code: string, key: MessageKey, params: Record<string, unknown> = {}): BilingualReason {
  return { code, 'zh-CN': t('zh-CN', key, params), en: t('en', key, params) };
}

function joinReasons(parts: BilingualReason[]): BilingualReason {
  return { code: parts.map((p) => p.code).join('+'), 'zh-CN': parts.map((p) => p['zh-CN']).join(' '), en: parts.map((p) => p.en).join(' ') };
}

function totalsOf(rows: HotlineImportRow[]): HotlineImportTotals {
  const totals = emptyTotals();
  totals.rows = rows.length;
  for (const r of rows) {
    totals[r.outcome] += 1;
    if (r.written) totals.written += 1;
  }
  return totals;
}
