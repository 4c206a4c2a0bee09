import { describe, expect, it } from 'vitest'
import { containsPoint, polygonsOverlap } from '../../../src/modules/grid/geometry.js'
import type { GeoJSONPolygon } from '../../../src/shared/scalars.js'

const ring = (...points: [number, number][]): GeoJSONPolygon => ({
  type: 'Polygon',
  coordinates: [[...points, points[0]!]],
})
const rect = (minLng: number, minLat: number, maxLng: number, maxLat: number) =>
  ring([minLng, minLat], [maxLng, minLat], [maxLng, maxLat], [minLng, maxLat])

describe('polygonsOverlap', () => {
  const a = rect(118.78, 32.04, 118.79, 32.05)

  it('should find a partial overlap, a polygon inside another and one around it', () => {
    expect(polygonsOverlap(a, rect(118.785, 32.045, 118.795, 32.055))).toBe(true)
    expect(polygonsOverlap(a, rect(118.782, 32.042, 118.784, 32.044))).toBe(true)
    expect(polygonsOverlap(rect(118.782, 32.042, 118.784, 32.044), a)).toBe(true)
    expect(polygonsOverlap(a, a)).toBe(true)
  })

  it('should not count a shared edge, a shared corner or a shared diagonal as overlap', () => {
    expect(polygonsOverlap(a, rect(118.79, 32.04, 118.8, 32.05))).toBe(false)
    expect(polygonsOverlap(a, rect(118.79, 32.05, 118.8, 32.06))).toBe(false)
    expect(
      polygonsOverlap(
        ring([100.1, 20.1], [100.113, 20.1], [100.113, 20.107]),
        ring([100.1, 20.1], [100.113, 20.107], [100.1, 20.107]),
      ),
    ).toBe(false)
  })

  it('should not count polygons whose boxes overlap but whose areas do not', () => {
    const ell = ring([0, 0], [0.02, 0], [0.02, 0.01], [0.01, 0.01], [0.01, 0.02], [0, 0.02])
    expect(polygonsOverlap(ell, rect(0.012, 0.012, 0.018, 0.018))).toBe(false)
  })

  it('should count a sliver of a few square metres', () => {
    // 0.00002° of longitude (≈ 2 m) along a 0.01° (≈ 1.1 km) edge
    expect(polygonsOverlap(a, rect(118.78998, 32.04, 118.8, 32.05))).toBe(true)
  })
})

describe('containsPoint', () => {
  const a = rect(0, 0, 1, 1)
  it('should count a boundary point as inside, but not as interior', () => {
    expect(containsPoint(a, 1, 0.5)).toBe(true)
    expect(containsPoint(a, 1, 0.5, { interior: true })).toBe(false)
    expect(containsPoint(a, 0.5, 0.5, { interior: true })).toBe(true)
  })
})
