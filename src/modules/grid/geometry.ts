// Grid geometry: bounding boxes for the SQL prefilter, point-in-polygon with turf.
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { bbox } from '@turf/bbox'
import { point, polygon } from '@turf/helpers'
import type { GeoJSONPolygon } from '../../shared/scalars.js'

export interface BBox { minLng: number; minLat: number; maxLng: number; maxLat: number }

export function boundingBox(p: GeoJSONPolygon): BBox {
  const [minLng, minLat, maxLng, maxLat] = bbox(p)
  return { minLng, minLat, maxLng, maxLat }
}

/** Points on the boundary count as inside, so a point on a shared edge matches both grids;
 *  callers order candidates deterministically. */
export function containsPoint(p: GeoJSONPolygon, lng: number, lat: number): boolean {
  return booleanPointInPolygon(point([lng, lat]), polygon(p.coordinates))
}

/** A polygon turf accepts (closed rings of ≥ 4 positions) — throws with turf's message otherwise. */
export function assertValidPolygon(p: GeoJSONPolygon): void {
  polygon(p.coordinates)
}
