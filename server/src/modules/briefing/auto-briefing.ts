import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { briefingFileName, chinaDateTime, commandCenterName } from '../../../../shared/contracts/briefing.js';
import { previousShift, shiftAt } from '../../../../shared/domain/shifts.js';
import type { Clock } from '../../core/clock.js';
import { Ticker } from '../../core/ticker.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { briefingCsv } from './briefing-csv.js';
import { drawBriefingMap } from './briefing-map.js';
import type { BriefingService } from './briefing.service.js';
import { briefingWorkbook } from './briefing-xlsx.js';

/** How often the folder is checked for a shift that ended: a minute late at most. */
export const AUTO_BRIEFING_INTERVAL_MS = 60_000;

/**
 * The automatic briefing (`--briefing-dir`): when a shift of the schedule ends, its briefing for
 * the whole platform (named after its root: the county, city or province) goes into the folder
 * as JSON, XLSX, CSV and SVG, named by the shift's times
 * (`交班简报_20270301_1730-20270302_0830.xlsx`). The JSON is written last and marks the shift as
 * done, so a restart writes what a crash left unfinished and nothing twice. Reporters are masked:
 * a folder is read by whoever can open it. Each briefing written is audited.
 */
export class AutoBriefing {
  private readonly ticker: Ticker;
  private running: Promise<string[]> | null = null;

  constructor(
    private readonly deps: {
      briefings: BriefingService;
      dir: string;
      clock: Clock;
      audit: Pick<AuditRepo, 'record'>;
      onError(err: unknown): void;
      intervalMs?: number;
    },
  ) {
    this.ticker = new Ticker(() => void this.writeDue().catch(deps.onError), deps.intervalMs ?? AUTO_BRIEFING_INTERVAL_MS, deps.onError);
  }

  /** Starts checking, once at once: a shift that ended while the server was down is written on start. */
  start(): void {
    this.ticker.start({ now: true });
  }

  stop(): void {
    this.ticker.stop();
  }

  /**
   * Writes the briefing of the shift that ended last before the clock's now, unless the folder
   * has it; the files written (none when it had). One write at a time: a tick during a write
   * waits for it.
   */
  writeDue(): Promise<string[]> {
    this.running ??= this.write().finally(() => (this.running = null));
    return this.running;
  }

  private async write(): Promise<string[]> {
    const { briefings, dir, clock, audit } = this.deps;
    const now = clock.now();
    const shifts = await briefings.shifts();
    const ended = previousShift(shifts, shiftAt(shifts, now));
    const period = { from: ended.startsAt, to: ended.endsAt };
    const names = { from: period.from.toISOString(), to: period.to.toISOString() };
    const file = (ext: 'json' | 'xlsx' | 'csv' | 'svg') => join(dir, briefingFileName(names, ext));
    if (existsSync(file('json'))) return [];
    await mkdir(dir, { recursive: true });
    // the whole platform, named after its root: the county, or the city or province
    const scope = { kind: 'county' } as const;
    const b = await briefings.build(period, scope, now);
    const map = await briefings.mapData(period, scope, now);
    const contents: Array<[string, string | Buffer]> = [
      [file('svg'), drawBriefingMap({ ...map, title: `事件分布图 ${chinaDateTime(period.from)} 至 ${chinaDateTime(period.to)}` })],
      [file('csv'), briefingCsv(b)],
      [
        file('xlsx'),
        await briefingWorkbook({ briefing: b, reported: await briefings.reportedCases(period, scope, now, false), open: await briefings.openCases(period, scope, now), center: commandCenterName(b.area.name) }),
      ],
      [file('json'), `${JSON.stringify(b, null, 2)}\n`],
    ];
    for (const [path, body] of contents) {
      // each file whole or not at all: a reader of the folder never opens half a workbook
      await writeFile(`${path}.part`, body);
      await rename(`${path}.part`, path);
    }
    const written = contents.map(([path]) => path);
    await audit.record({
      username: 'system',
      action: 'briefing:export',
      result: 'success',
      objectType: 'briefing',
      objectId: `${names.from}/${names.to}`,
      details: { format: 'auto', from: names.from, to: names.to, dir, personalData: 'masked', files: written.map((p) => p.slice(dir.length + 1)) },
    });
    return written;
  }
}
