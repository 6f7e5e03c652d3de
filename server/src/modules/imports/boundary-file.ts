import proj4 from 'proj4';
import { iter } from 'but-unzip';
import { parseZip } from 'shpjs';
import type { Feature, FeatureCollection, Geometry, Position } from 'geojson';

/** A boundary file as read: its features in WGS84 longitude/latitude and the attribute names. */
export interface BoundaryFile {
  features: Array<{ geometry: Geometry | null; properties: Record<string, unknown> }>;
  fields: string[];
  /** How the coordinates were read, for the report. */
  crs: string;
}

/** A file that cannot be read as a boundary file at all (not a per-feature problem). */
export class BoundaryFileError extends Error {
  constructor(
    readonly reason: 'not_geojson' | 'not_feature_collection' | 'no_shapefile' | 'unknown_crs' | 'unreadable',
    detail: string,
  ) {
    super(detail);
  }
}

const GRS80 = '+ellps=GRS80 +towgs84=0,0,0,0,0,0,0 +units=m +no_defs';

/**
 * CGCS2000 (国家2000坐标系) by EPSG code: geographic (4490) and the Gauss-Krüger zones Chinese
 * survey data comes in. 3-degree zones 25–45 (4513–4533, easting with the zone prefix) and by
 * central meridian 75–135°E (4534–4554); 6-degree zones 13–23 (4491–4501, prefixed) and by
 * central meridian (4502–4512). CGCS2000 differs from WGS84 by centimetres: at county scale it
 * is taken as WGS84 (no datum shift).
 */
function cgcs2000(epsg: number): string | null {
  if (epsg === 4490) return `+proj=longlat ${GRS80}`;
  const tmerc = (lon0: number, x0: number) => `+proj=tmerc +lat_0=0 +lon_0=${lon0} +k=1 +x_0=${x0} +y_0=0 ${GRS80}`;
  if (epsg >= 4513 && epsg <= 4533) return tmerc(75 + (epsg - 4513) * 3, (25 + epsg - 4513) * 1e6 + 500000);
  if (epsg >= 4534 && epsg <= 4554) return tmerc(75 + (epsg - 4534) * 3, 500000);
  if (epsg >= 4491 && epsg <= 4501) return tmerc(75 + (epsg - 4491) * 6, (13 + epsg - 4491) * 1e6 + 500000);
  if (epsg >= 4502 && epsg <= 4512) return tmerc(75 + (epsg - 4502) * 6, 500000);
  return null;
}

const WGS84_NAMES = /^(EPSG:{1,2}4326|urn:ogc:def:crs:OGC:(1\.3)?:CRS84|urn:ogc:def:crs:EPSG::4326|WGS ?84|CRS84)$/i;

/** A projection definition from an EPSG code (`EPSG:4549`, an OGC urn), a proj string or WKT; null = WGS84 as it is. */
export function projectionOf(crs: string): { def: string | null; name: string } {
  const text = crs.trim();
  if (WGS84_NAMES.test(text)) return { def: null, name: 'WGS84' };
  const epsg = /(?:EPSG:{1,2}|urn:ogc:def:crs:EPSG:[\d.]*:)(\d{4,5})$/i.exec(text);
  if (epsg) {
    const code = Number(epsg[1]);
    if (code === 4326) return { def: null, name: 'WGS84' };
    if (code === 4490) return { def: null, name: 'CGCS2000 (EPSG:4490), taken as WGS84' };
    const def = cgcs2000(code) ?? (code === 3857 ? 'EPSG:3857' : null);
    if (!def) throw new BoundaryFileError('unknown_crs', `EPSG:${code}`);
    return { def, name: `EPSG:${code}` };
  }
  try {
    proj4(text, 'EPSG:4326');
  } catch {
    throw new BoundaryFileError('unknown_crs', text.slice(0, 120));
  }
  const named = /^(?:PROJCS|GEOGCS|PROJCRS|GEOGCRS)\["([^"]+)"/.exec(text);
  if (/^GEOG/.test(text) && /2000|WGS/i.test(named?.[1] ?? '')) return { def: null, name: `${named![1]} (geographic), taken as WGS84` };
  return { def: text, name: named?.[1] ?? text.slice(0, 80) };
}

function reproject(geometry: Geometry | null, def: string): Geometry | null {
  if (!geometry) return null;
  const t = proj4(def, 'EPSG:4326');
  const pos = (p: Position): Position => t.forward([p[0]!, p[1]!]);
  switch (geometry.type) {
    case 'Polygon':
      return { type: 'Polygon', coordinates: geometry.coordinates.map((r) => r.map(pos)) };
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: geometry.coordinates.map((p) => p.map((r) => r.map(pos))) };
    default:
      return geometry;
  }
}

const isZip = (bytes: Uint8Array) => bytes.length > 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04;

/**
 * Reads GeoJSON (a FeatureCollection; a legacy `crs` member is honoured) or a zipped Shapefile
 * (.shp, .dbf, .prj; shpjs reprojects with proj4 from the .prj). `crs` applies when the file
 * names none (a Shapefile without .prj, GeoJSON in projected metres).
 */
export async function readBoundaryFile(bytes: Uint8Array, crs?: string): Promise<BoundaryFile> {
  if (isZip(bytes)) return readShapefileZip(bytes, crs);
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new BoundaryFileError('not_geojson', (err as Error).message);
  }
  const fc = json as Partial<FeatureCollection> & { crs?: { properties?: { name?: unknown } } };
  if (!fc || typeof fc !== 'object' || fc.type !== 'FeatureCollection' || !Array.isArray(fc.features)) {
    throw new BoundaryFileError('not_feature_collection', String((fc as { type?: unknown } | null)?.type ?? typeof json));
  }
  const named = typeof fc.crs?.properties?.name === 'string' ? fc.crs.properties.name : undefined;
  const { def, name } = projectionOf(named ?? crs ?? 'WGS84');
  return collect(fc.features, def, name);
}

async function readShapefileZip(bytes: Uint8Array, crs?: string): Promise<BoundaryFile> {
  let prj: string | null = null;
  let shpCount = 0;
  try {
    for (const entry of iter(bytes)) {
      if (entry.filename.includes('__MACOSX')) continue;
      if (/\.shp$/i.test(entry.filename)) shpCount++;
      if (/\.prj$/i.test(entry.filename)) prj = new TextDecoder().decode(await entry.read());
    }
  } catch (err) {
    throw new BoundaryFileError('unreadable', (err as Error).message);
  }
  if (shpCount === 0) throw new BoundaryFileError('no_shapefile', 'the zip holds no .shp');
  if (shpCount > 1) throw new BoundaryFileError('no_shapefile', `the zip holds ${shpCount} layers (.shp); import one layer per file`);
  let parsed: FeatureCollection;
  try {
    const out = await parseZip(bytes);
    parsed = Array.isArray(out) ? out[0]! : out;
  } catch (err) {
    throw new BoundaryFileError('unreadable', (err as Error).message);
  }
  if (prj) {
    // shpjs has already reprojected with the .prj; only name it for the report.
    const named = /^\s*(?:PROJCS|GEOGCS)\["([^"]+)"/.exec(prj)?.[1] ?? 'the .prj';
    const geographic = /^\s*GEOGCS/.test(prj);
    return collect(parsed.features, null, geographic ? `${named} (geographic), taken as WGS84` : `${named} → WGS84`);
  }
  const { def, name } = projectionOf(crs ?? 'WGS84');
  return collect(parsed.features, def, `${name} (no .prj)`);
}

function collect(features: unknown[], def: string | null, crs: string): BoundaryFile {
  const fields = new Set<string>();
  const out = features.map((f) => {
    const feature = (f ?? {}) as Partial<Feature>;
    const properties = feature.properties && typeof feature.properties === 'object' ? (feature.properties as Record<string, unknown>) : {};
    for (const key of Object.keys(properties)) fields.add(key);
    const geometry = (feature.geometry ?? null) as Geometry | null;
    return { geometry: def ? reproject(geometry, def) : geometry, properties };
  });
  return { features: out, fields: [...fields], crs };
}
