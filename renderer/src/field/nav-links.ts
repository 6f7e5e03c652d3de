import gcoord from 'gcoord';

/**
 * Links that hand the way to a case over to the phone's own navigation app. Only links: nothing
 * is fetched, and the field app draws no map tiles. Each app gets the coordinates in the system
 * it works in: the geo: URI (RFC 5870) WGS84 as stored; 高德 (Amap) GCJ-02; 百度 (Baidu) BD-09,
 * converted here with gcoord (the server uses it for GCJ-02 positions too).
 */
export interface NavigationLinks {
  /** Any map app the phone has (Android asks which). */
  geo: string;
  /** 高德地图: route planning to the point. */
  amap: string;
  /** 百度地图: directions to the point. */
  baidu: string;
}

const round6 = (v: number) => Math.round(v * 1e6) / 1e6;

function convert(point: { lon: number; lat: number }, to: typeof gcoord.GCJ02 | typeof gcoord.BD09): { lon: number; lat: number } {
  const [lon, lat] = gcoord.transform([point.lon, point.lat], gcoord.WGS84, to) as [number, number];
  return { lon: round6(lon), lat: round6(lat) };
}

/** The app identifier 百度 asks for in `src` (its format: `webapp.<company>.<app>`). */
const BAIDU_SRC = 'webapp.gridcommand.field';

/**
 * The three links to `point` (WGS84), labelled `name` in the apps. `ios`: an iPhone, whose 高德
 * app answers `iosamap://`; Android's answers `amapuri://`.
 */
export function navigationLinks(point: { lon: number; lat: number }, name: string, ios: boolean): NavigationLinks {
  const label = encodeURIComponent(name);
  const w = { lon: round6(point.lon), lat: round6(point.lat) };
  const gcj = convert(point, gcoord.GCJ02);
  const bd = convert(point, gcoord.BD09);
  // dev=0: the coordinates are GCJ-02 already; t=0: by road.
  const amap = ios
    ? `iosamap://path?sourceApplication=gridcommand&dlat=${gcj.lat}&dlon=${gcj.lon}&dname=${label}&dev=0&t=0`
    : `amapuri://route/plan/?dlat=${gcj.lat}&dlon=${gcj.lon}&dname=${label}&dev=0&t=0`;
  return {
    geo: `geo:${w.lat},${w.lon}?q=${w.lat},${w.lon}(${label})`,
    amap,
    baidu: `baidumap://map/direction?destination=latlng:${bd.lat},${bd.lon}|name:${label}&coord_type=bd09ll&mode=driving&src=${BAIDU_SRC}`,
  };
}

/** Whether this phone is an iPhone or iPad (for the 高德 link). */
export function isIos(userAgent: string): boolean {
  return /iPhone|iPad|iPod/.test(userAgent);
}
