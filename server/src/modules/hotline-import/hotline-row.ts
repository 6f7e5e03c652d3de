import type { HotlineCaseInput } from '../../../../shared/contracts/channels.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import type { HotlineColumn } from '../../../../shared/contracts/hotline-import.js';
import type { MessageKey } from '../../http/messages.js';
import { callTime, type HotlineFileRow } from './hotline-file.js';

/** A cell the import itself cannot read, before the channel sees the row. */
export interface CellProblem {
  column: HotlineColumn;
  /** The field code (server/src/http/messages.ts FIELD_MESSAGES) or a hotline_import.row.* key. */
  code: string;
  key?: MessageKey;
}

/** Urgency as the platforms write it (domain.md: 特急 P0, 紧急 P1, 一般 P2, 复杂 P3) or its code. */
const URGENCY_WORDS: Record<string, Urgency> = { 特急: 'P0', 紧急: 'P1', 一般: 'P2', 复杂: 'P3', p0: 'P0', p1: 'P1', p2: 'P2', p3: 'P3' };

/** Coordinate systems as exports name them: standards, map vendors, Chinese names. */
const CRS_WORDS: Record<string, 'wgs84' | 'gcj02' | 'bd09'> = {
  wgs84: 'wgs84',
  gps: 'wgs84',
  epsg4326: 'wgs84',
  gcj02: 'gcj02',
  国测局: 'gcj02',
  火星坐标: 'gcj02',
  高德: 'gcj02',
  腾讯: 'gcj02',
  bd09: 'bd09',
  bd09ll: 'bd09',
  百度: 'bd09',
};

const crsOf = (text: string) => CRS_WORDS[text.toLowerCase().replace(/[\s_-]/g, '')] ?? null;

/**
 * One file row as the hotline channel's record (`HotlineCaseInput`). What the channel's own
 * schema checks (lengths, phone shapes, the case number's form) is left to it; only what a
 * spreadsheet adds is read here: times in China time, numbers as text, urgency and coordinate
 * system in the words people type.
 */
export function hotlineCaseOf({ cells }: HotlineFileRow): { input: HotlineCaseInput; problems: CellProblem[] } {
  const problems: CellProblem[] = [];
  const input: Record<string, unknown> = {
    channelId: cells.caseNumber ?? '',
    itemText: cells.category ?? '',
    description: cells.content ?? '',
  };
  const caller: Record<string, string> = {};
  if (cells.callerName) caller.name = cells.callerName;
  if (cells.callerPhone) caller.phone = cells.callerPhone;
  input.caller = caller;
  if (cells.address) input.address = cells.address;
  if (cells.calledAt) {
    const at = callTime(cells.calledAt);
    if (at) input.receivedAt = at;
    else problems.push({ column: 'calledAt', code: 'bad_call_time', key: 'hotline_import.row.bad_call_time' });
  }
  if (cells.urgency) {
    const urgency = URGENCY_WORDS[cells.urgency.trim().toLowerCase()] ?? URGENCY_WORDS[cells.urgency.trim()];
    if (urgency) input.urgency = urgency;
    else problems.push({ column: 'urgency', code: 'bad_urgency', key: 'hotline_import.row.bad_urgency' });
  }
  const point = pointOf(cells, problems);
  if (point) input.location = point;
  return { input: input as HotlineCaseInput, problems };
}

function pointOf(cells: Partial<Record<HotlineColumn, string>>, problems: CellProblem[]) {
  if (!cells.lon && !cells.lat) return null;
  if (!cells.lon || !cells.lat) {
    problems.push({ column: cells.lon ? 'lat' : 'lon', code: 'lon_lat_pair', key: 'hotline_import.row.lon_lat_pair' });
    return null;
  }
  const lon = Number(cells.lon);
  const lat = Number(cells.lat);
  if (!Number.isFinite(lon)) problems.push({ column: 'lon', code: 'bad_number', key: 'hotline_import.row.bad_number' });
  if (!Number.isFinite(lat)) problems.push({ column: 'lat', code: 'bad_number', key: 'hotline_import.row.bad_number' });
  const crs = cells.crs ? crsOf(cells.crs) : null;
  if (!cells.crs) problems.push({ column: 'crs', code: 'crs_required', key: 'hotline_import.row.crs_required' });
  else if (!crs) problems.push({ column: 'crs', code: 'bad_crs', key: 'hotline_import.row.bad_crs' });
  return Number.isFinite(lon) && Number.isFinite(lat) && crs ? { lon, lat, crs } : null;
}

/** The column a channel's field belongs to (a zod path or an error's `field`), for the report. */
export function columnOfField(field: string): HotlineColumn | null {
  const head = field.split('.')[0] ?? '';
  const map: Record<string, HotlineColumn> = {
    channelId: 'caseNumber',
    itemText: 'category',
    description: 'content',
    address: 'address',
    receivedAt: 'calledAt',
    urgency: 'urgency',
  };
  if (head === 'caller') return field.endsWith('phone') ? 'callerPhone' : 'callerName';
  if (head === 'location') return field.endsWith('lat') ? 'lat' : field.endsWith('crs') ? 'crs' : 'lon';
  return map[head] ?? null;
}
