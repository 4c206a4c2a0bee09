import { describe, it, expect } from 'vitest'
import { containsPoint } from '../../../src/modules/grid/geometry.js'
import type { GeoJSONPolygon } from '../../../src/shared/scalars.js'
import {
  communityGrids,
  communityRect,
  creditCode,
  GRID_COLS,
  GRID_ROWS,
  rectPolygon,
  type Rect,
} from '../../../src/seed/demo.js'

const ring = (p: GeoJSONPolygon) => p.coordinates[0]!

/** Shoelace (relative to the first vertex, for precision): positive for counter-clockwise rings in lng/lat. */
function signedArea(p: GeoJSONPolygon): number {
  const r = ring(p)
  const [x0, y0] = r[0]!
  let a = 0
  for (let i = 0; i + 1 < r.length; i++) {
    const [x1, y1] = [r[i]![0] - x0, r[i]![1] - y0]
    const [x2, y2] = [r[i + 1]![0] - x0, r[i + 1]![1] - y0]
    a += x1 * y2 - x2 * y1
  }
  return a / 2
}

function bounds(p: GeoJSONPolygon): Rect {
  const xs = ring(p).map((q) => q[0])
  const ys = ring(p).map((q) => q[1])
  return { minLng: Math.min(...xs), minLat: Math.min(...ys), maxLng: Math.max(...xs), maxLat: Math.max(...ys) }
}

const overlapArea = (a: Rect, b: Rect) =>
  Math.max(0, Math.min(a.maxLng, b.maxLng) - Math.max(a.minLng, b.minLng)) *
  Math.max(0, Math.min(a.maxLat, b.maxLat) - Math.max(a.minLat, b.minLat))

const rectArea = (r: Rect) => (r.maxLng - r.minLng) * (r.maxLat - r.minLat)

/** Seeded points strictly inside `rect` and at least `margin` away from every cell edge. */
function samplePoints(rect: Rect, cells: GeoJSONPolygon[], n: number): [number, number][] {
  let seed = 42
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const margin = 1e-9
  const edgesLng = new Set(cells.flatMap((c) => ring(c).map((q) => q[0])))
  const edgesLat = new Set(cells.flatMap((c) => ring(c).map((q) => q[1])))
  const pts: [number, number][] = []
  while (pts.length < n) {
    const lng = rect.minLng + rand() * (rect.maxLng - rect.minLng)
    const lat = rect.minLat + rand() * (rect.maxLat - rect.minLat)
    if ([...edgesLng].some((e) => Math.abs(e - lng) < margin) || [...edgesLat].some((e) => Math.abs(e - lat) < margin))
      continue
    pts.push([lng, lat])
  }
  return pts
}

const demoRect = communityRect(0, 0)
const cases: [string, Rect, number, number][] = [
  ['the demo community 2×2', demoRect, GRID_ROWS, GRID_COLS],
  ['an odd rectangle 3×4', { minLng: 118.7812345, minLat: 32.0401, maxLng: 118.8033333, maxLat: 32.0577777 }, 3, 4],
  ['a single cell', { minLng: 116.3, minLat: 39.9, maxLng: 116.31, maxLat: 39.91 }, 1, 1],
]

describe('communityGrids', () => {
  it.each(cases)('should return rows × cols closed counter-clockwise polygons for %s', (_, rect, rows, cols) => {
    const cells = communityGrids(rect, rows, cols)
    expect(cells).toHaveLength(rows * cols)
    for (const c of cells) {
      expect(c.type).toBe('Polygon')
      expect(ring(c)).toHaveLength(5)
      expect(ring(c)[0]).toEqual(ring(c).at(-1))
      expect(signedArea(c)).toBeGreaterThan(0)
    }
  })

  it.each(cases)('should tile the rectangle exactly for %s', (_, rect, rows, cols) => {
    const cells = communityGrids(rect, rows, cols)
    const total = cells.reduce((s, c) => s + signedArea(c), 0)
    expect(total / rectArea(rect)).toBeCloseTo(1, 9)
    for (let i = 0; i < cells.length; i++) {
      const b = bounds(cells[i]!)
      expect(b.minLng).toBeGreaterThanOrEqual(rect.minLng)
      expect(b.maxLng).toBeLessThanOrEqual(rect.maxLng)
      expect(b.minLat).toBeGreaterThanOrEqual(rect.minLat)
      expect(b.maxLat).toBeLessThanOrEqual(rect.maxLat)
      for (let j = i + 1; j < cells.length; j++) expect(overlapArea(b, bounds(cells[j]!))).toBe(0)
    }
  })

  it.each(cases)('should place every interior point of %s in exactly one grid', (_, rect, rows, cols) => {
    const cells = communityGrids(rect, rows, cols)
    for (const [lng, lat] of samplePoints(rect, cells, 400)) {
      expect(cells.filter((c) => containsPoint(c, lng, lat))).toHaveLength(1)
    }
  })

  it('should share bit-identical edges between neighbouring cells', () => {
    const cells = communityGrids({ minLng: 118.78, minLat: 32.04, maxLng: 118.8, maxLat: 32.06 }, 3, 3)
    const lngs = new Set(cells.flatMap((c) => ring(c).map((q) => q[0])))
    const lats = new Set(cells.flatMap((c) => ring(c).map((q) => q[1])))
    expect(lngs.size).toBe(4)
    expect(lats.size).toBe(4)
  })

  it('should reject empty rectangles and non-positive counts', () => {
    expect(() => communityGrids(demoRect, 0, 2)).toThrow(RangeError)
    expect(() => communityGrids({ ...demoRect, maxLng: demoRect.minLng }, 2, 2)).toThrow(RangeError)
  })
})

describe('communityRect', () => {
  it('should lay out the first street near lng 118.78–118.84, lat 32.04–32.06', () => {
    expect(communityRect(0, 0)).toEqual({ minLng: 118.78, minLat: 32.04, maxLng: 118.8, maxLat: 32.06 })
    expect(communityRect(0, 2)).toEqual({ minLng: 118.82, minLat: 32.04, maxLng: 118.84, maxLat: 32.06 })
  })

  it('should never overlap communities of any street', () => {
    const rects = Array.from({ length: 25 }, (_, s) => [0, 1, 2].map((c) => communityRect(s, c))).flat()
    for (let i = 0; i < rects.length; i++) {
      for (let j = i + 1; j < rects.length; j++) expect(overlapArea(rects[i]!, rects[j]!)).toBe(0)
    }
  })

  it('should give neighbouring communities identical shared edges', () => {
    expect(communityRect(0, 0).maxLng).toBe(communityRect(0, 1).minLng)
    expect(communityRect(0, 2).maxLng).toBe(communityRect(1, 0).minLng)
  })

  it("should place a point inside a community in that community's grids only", () => {
    const all = [0, 1, 2].flatMap((c) =>
      communityGrids(communityRect(0, c), GRID_ROWS, GRID_COLS).map((p) => ({ c, p })),
    )
    const hits = all.filter(({ p }) => containsPoint(p, 118.8153, 32.0471))
    expect(hits).toHaveLength(1)
    expect(hits[0]!.c).toBe(1)
  })
})

describe('rectPolygon', () => {
  it('should start and end at the south-west corner', () => {
    const p = rectPolygon({ minLng: 1, minLat: 2, maxLng: 3, maxLat: 4 })
    expect(ring(p)).toEqual([
      [1, 2],
      [3, 2],
      [3, 4],
      [1, 4],
      [1, 2],
    ])
  })
})

describe('creditCode', () => {
  it('should produce 18 characters with the GB 32100 check character', () => {
    // A published example of a valid code: 91350100M000100Y43.
    expect(creditCode('91', '350100', 'M000100Y4')).toBe('91350100M000100Y43')
    expect(creditCode('52', '320102', '100000001')).toHaveLength(18)
  })
})
