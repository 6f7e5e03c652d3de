import type { GeoJSONSource, MapOptions } from 'maplibre-gl';

// maplibre-gl does not re-export the style-spec types; derive them from its public API instead
// of importing its transitive dependency.
export type StyleSpecification = Exclude<MapOptions['style'], string | undefined>;
export type LayerSpecification = StyleSpecification['layers'][number];
export type SourceSpecification = StyleSpecification['sources'][string];
export type GeoJSONSourceSpecification = Extract<SourceSpecification, { type: 'geojson' }>;
export type GeoJSONSourceDiff = Parameters<GeoJSONSource['updateData']>[0];
export type GeoJSONFeatureDiff = NonNullable<GeoJSONSourceDiff['update']>[number];
export type VectorSourceSpecification = Extract<SourceSpecification, { type: 'vector' }>;
