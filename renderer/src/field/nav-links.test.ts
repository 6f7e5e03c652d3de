import gcoord from 'gcoord';
import { describe, expect, it } from 'vitest';
import { isIos, navigationLinks } from './nav-links';

const POINT = { lon: 119.95, lat: 29.15 };

function param(url: string, name: string): string | null {
  return new URL(url.replace(/^[a-z]+:\/\//, 'https://x/')).searchParams.get(name);
}

describe('navigation hand-off links', () => {
  it('gives the geo: URI in WGS84, 高德 in GCJ-02 and 百度 in BD-09, each converting back to the point', () => {
    const links = navigationLinks(POINT, '井盖缺失', false);
    expect(links.geo).toBe(`geo:29.15,119.95?q=29.15,119.95(${encodeURIComponent('井盖缺失')})`);

    expect(links.amap.startsWith('amapuri://route/plan/?')).toBe(true);
    const gcj = [Number(param(links.amap, 'dlon')), Number(param(links.amap, 'dlat'))] as [number, number];
    expect(param(links.amap, 'dev')).toBe('0');
    expect(param(links.amap, 'dname')).toBe('井盖缺失');
    const fromGcj = gcoord.transform(gcj, gcoord.GCJ02, gcoord.WGS84) as [number, number];
    expect(fromGcj[0]).toBeCloseTo(POINT.lon, 5);
    expect(fromGcj[1]).toBeCloseTo(POINT.lat, 5);
    // GCJ-02 is a few hundred metres off WGS84 here: the conversion is not a no-op
    expect(Math.abs(gcj[0] - POINT.lon) + Math.abs(gcj[1] - POINT.lat)).toBeGreaterThan(0.002);

    const destination = /destination=latlng:([\d.]+),([\d.]+)\|name:/.exec(links.baidu)!;
    const fromBd = gcoord.transform([Number(destination[2]), Number(destination[1])], gcoord.BD09, gcoord.WGS84) as [number, number];
    expect(fromBd[0]).toBeCloseTo(POINT.lon, 4);
    expect(fromBd[1]).toBeCloseTo(POINT.lat, 4);
    expect(links.baidu).toContain('coord_type=bd09ll');
  });

  it('uses the iPhone 高德 scheme on an iPhone', () => {
    expect(navigationLinks(POINT, 'x', true).amap.startsWith('iosamap://path?')).toBe(true);
    expect(isIos('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)')).toBe(true);
    expect(isIos('Mozilla/5.0 (Linux; Android 14; Pixel 7)')).toBe(false);
  });
});
