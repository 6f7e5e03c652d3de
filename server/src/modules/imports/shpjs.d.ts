// shpjs 6 ships no types; only the zip reader is used (its ESM build: the CJS dist does not load in Node).
declare module 'shpjs' {
  import type { FeatureCollection } from 'geojson';
  /** Reads a zipped Shapefile; reprojects to WGS84 with proj4 when the zip holds a .prj. */
  export function parseZip(buffer: ArrayBuffer | Uint8Array, whiteList?: string[]): Promise<(FeatureCollection & { fileName?: string }) | Array<FeatureCollection & { fileName?: string }>>;
}
