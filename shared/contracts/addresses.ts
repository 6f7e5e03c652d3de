import { z } from 'zod';
import { addressCodeSchema, type EventRecord } from './events.js';
import { decimalIntParam } from './params.js';
import type { TeamSummary } from './teams.js';
import { cleanText } from './text.js';

/** Longest address query: the longest demo address is ~40 characters; 100 leaves room for a real county's. */
export const ADDRESS_QUERY_MAX_LENGTH = 100;
/** Most results one answer carries, and how many it carries unless asked. */
export const ADDRESS_LIMIT_MAX = 50;
export const ADDRESS_LIMIT_DEFAULT = 20;

/** Query of `GET /api/v1/addresses`: any part of an address, or an address code or its first digits. */
export const addressQuerySchema = z
  .object({
    q: cleanText({ max: ADDRESS_QUERY_MAX_LENGTH }),
    limit: decimalIntParam({ min: 1, max: ADDRESS_LIMIT_MAX }).optional(),
  })
  .strict();
export type AddressQuery = z.infer<typeof addressQuerySchema>;

/** Path of `GET /api/v1/addresses/{code}`. */
export const addressCodeParamsSchema = z.object({ code: addressCodeSchema }).strict();

/** A point in WGS84 degrees. */
export interface LonLat {
  lon: number;
  lat: number;
}

/** One household's unified address (统一地址) and the regions it lies in. */
export interface AddressHit {
  code: string;
  address: string;
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  /** WGS84. */
  location: LonLat;
}

export interface AddressSearchResponse {
  items: AddressHit[];
}

/**
 * One person to call about the address: the grid's workers (`grid_worker`) and the micro-grid's
 * 5包1 five (`town_cadre`, `medical_worker`, `community_police`, `unit_leader`, `unit_assistant`).
 * Name and phone masked for roles that do not see personal data.
 */
export interface AddressContact {
  role: string;
  name: string;
  phone: string;
}

/** `GET /api/v1/addresses/{code}`: the place card. */
export interface AddressDetail {
  address: AddressHit;
  /** Names of the regions the address lies in. */
  names: { microGrid: string; grid: string; village: string; town: string };
  /** The grid's workers first, then the 5包1 five. */
  roster: AddressContact[];
  /** Teams that serve the address: the county units, its town's and its village's (dispatch's candidates). */
  teams: TeamSummary[];
  /** Open cases at the address (its household code), newest first, at most ADDRESS_OPEN_CASES_MAX; reporters masked as for the caller. */
  openCases: EventRecord[];
  /** More open cases than listed. */
  moreOpenCases: boolean;
}

/** Most open cases the place card lists. */
export const ADDRESS_OPEN_CASES_MAX = 20;
