// Grid geometry: bounding boxes for the SQL prefilter, point-in-polygon and polygon overlap with turf.
import { area } from '@turf/area'
import { booleanPointInPolygon } from '@turf/boolean-point-in-polygon'
import { bbox } from '@turf/bbox'
import { featureCollection, point, polygon } from '@turf/helpers'
import { intersect } from '@turf/intersect'
import type { GeoJSONPolygon } from '../../shared/scalars.js'

export interface BBox {
  minLng: number
  minLat: number
  maxLng: number
  maxLat: number
}

export function boundingBox(p: GeoJSONPolygon): BBox {
  const [minLng, minLat, maxLng, maxLat] = bbox(p)
  return { minLng, minLat, maxLng, maxLat }
}

/** Whether two boxes share an area; boxes that only touch do not (their polygons cannot overlap). */
export function boxesOverlap(a: BBox, b: BBox): boolean {
  return a.minLng < b.maxLng && b.minLng < a.maxLng && a.minLat < b.maxLat && b.minLat < a.maxLat
}

/**
 * Points on the boundary count as inside, so a point on a shared edge matches both grids; with
 * `interior`, only points strictly inside count (the point is then in no other non-overlapping grid).
 */
export function containsPoint(p: GeoJSONPolygon, lng: number, lat: number, opts: { interior?: boolean } = {}): boolean {
  return booleanPointInPolygon(point([lng, lat]), polygon(p.coordinates), { ignoreBoundary: opts.interior ?? false })
}

/**
 * Overlaps smaller than this (m²) are rounding noise of the intersection, not land two grids both
 * claim: a centimetre square. Edges given with identical coordinates intersect in no area at all.
 */
const OVERLAP_TOLERANCE_M2 = 1e-4

/**
 * Whether two polygons share an area (one inside the other included). Touching along an edge or at
 * a corner is not overlapping: neighbouring grids share their edges.
 */
export function polygonsOverlap(a: GeoJSONPolygon, b: GeoJSONPolygon): boolean {
  if (!boxesOverlap(boundingBox(a), boundingBox(b))) return false
  const common = intersect(featureCollection([polygon(a.coordinates), polygon(b.coordinates)]))
  return common !== null && area(common) > OVERLAP_TOLERANCE_M2
}

/** A polygon turf accepts (closed rings of ≥ 4 positions) — throws with turf's message otherwise. */
export function assertValidPolygon(p: GeoJSONPolygon): void {
  polygon(p.coordinates)
}
