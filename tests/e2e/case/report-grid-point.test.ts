// reportCase trusted a given gridId over the point, so a 东门 point could be filed into
// 西街's grid and handled by the wrong community. A given grid must agree with the point: a point
// in another grid is refused (ValidationFailed on gridId, naming the grid it lies in) and nothing is
// written; a point in no grid leaves the given grid standing; without gridId the point decides.
import { describe, expect } from 'vitest'
import { it } from '../../helpers/test.js'
import { boundingBox } from '../../../src/modules/grid/geometry.js'
import type { GeoJSONPolygon } from '../../../src/shared/scalars.js'
import type { TestApp } from '../../helpers/app.js'
import { globalId } from '../../helpers/fixtures.js'
import { categoryId, gridCenter } from '../../factories/cases.js'
import { client, graphql } from '../../helpers/graphql.js'

const REPORT = graphql(`mutation($input: ReportCaseInput!) { reportCase(input: $input) {
  __typename
  ... on ReportCasePayload { case { id grid { code } } }
  ... on ValidationFailed { issues { path message } }
  ... on Error { code message }
} }`)

let t: TestApp
let category: string
let serial = 0

it.beforeAll(async ({ app }) => {
  t = app
  category = await categoryId(t, 'SANITATION')
})

const gridGid = async (code: string) =>
  globalId('Grid', (await t.prisma.grid.findUniqueOrThrow({ where: { code } })).id)

/** Reports as `token` and answers the payload or typed error, with the unique title it used. */
async function report(
  token: string,
  input: {
    lng: number
    lat: number
    gridId?: string
    source?: 'RESIDENT' | 'TRANSFER' | 'PATROL' | 'HOTLINE' | 'ONLINE'
  },
) {
  const title = `网格核对 ${++serial}`
  const data = await client(t.url, token).must(REPORT, {
    input: { title, description: '路面垃圾堆积', categoryId: category, source: 'PATROL', ...input },
  })
  return { title, answer: data.reportCase }
}

describe('reportCase: the point and the given grid', () => {
  it("should refuse a 东门 point filed into 西街's grid, naming the grid the point lies in, and write nothing", async () => {
    const dongmen = await gridCenter(t, 'CG-DM-01')
    const xijie = await gridGid('CG-XJ-01')
    const before = await Promise.all([t.prisma.case.count(), t.prisma.caseEvent.count()])
    for (const token of [await t.tokenFor('grid.worker.CG-XJ-01.leader', ['GRID_WORKER']), await t.tokenFor('admin')]) {
      const { title, answer } = await report(token, { lng: dongmen.lng, lat: dongmen.lat, gridId: xijie })
      expect(answer).toMatchObject({
        __typename: 'ValidationFailed',
        code: 'common/validation-failed',
        issues: [{ path: 'gridId', message: expect.stringContaining('CG-DM-01') }],
      })
      expect(await t.prisma.case.count({ where: { title } })).toBe(0)
    }
    expect(await Promise.all([t.prisma.case.count(), t.prisma.caseEvent.count()])).toEqual(before)
  })

  it('should file into the given grid when the point lies in it, its edge included', async () => {
    const admin = await t.tokenFor('admin')
    const inside = await gridCenter(t, 'CG-DM-02')
    expect(
      (await report(admin, { lng: inside.lng, lat: inside.lat, gridId: await gridGid('CG-DM-02') })).answer,
    ).toMatchObject({ case: { grid: { code: 'CG-DM-02' } } })
    // lng 118.79 is the edge CG-DM-01 and CG-DM-02 share: either may be given
    for (const code of ['CG-DM-01', 'CG-DM-02']) {
      expect((await report(admin, { lng: 118.79, lat: 32.045, gridId: await gridGid(code) })).answer).toMatchObject({
        case: { grid: { code } },
      })
    }
  })

  it('should let the given grid stand when the point lies in no grid, and ask for one without it', async () => {
    const worker = await t.tokenFor('grid.worker.CG-XJ-01.leader', ['GRID_WORKER'])
    const outside = { lng: 118.7, lat: 32.0 }
    expect((await report(worker, { ...outside, gridId: await gridGid('CG-XJ-01') })).answer).toMatchObject({
      __typename: 'ReportCasePayload',
      case: { grid: { code: 'CG-XJ-01' } },
    })
    const { title, answer } = await report(worker, outside)
    expect(answer).toMatchObject({ __typename: 'ValidationFailed', issues: [{ path: 'lng/lat' }] })
    expect(await t.prisma.case.count({ where: { title } })).toBe(0)
  })

  it('should find the grid from the point when none is given', async () => {
    const dongmen = await gridCenter(t, 'CG-DM-01')
    const { answer } = await report(await t.tokenFor('grid.worker.CG-DM-01.leader', ['GRID_WORKER']), {
      lng: dongmen.lng,
      lat: dongmen.lat,
    })
    expect(answer).toMatchObject({ __typename: 'ReportCasePayload', case: { grid: { code: 'CG-DM-01' } } })
  })

  it('should not pick one of two overlapping legacy grids by itself, but file into the one given', async () => {
    const community = await t.prisma.region.findFirstOrThrow({ where: { grids: { some: { code: 'CG-DM-01' } } } })
    const legacy = (code: string, boundary: GeoJSONPolygon) =>
      t.prisma.grid.create({
        data: {
          code,
          name: `旧${code}`,
          communityId: community.id,
          boundary: boundary as object,
          ...boundingBox(boundary),
        },
      })
    const square = (lng: number): GeoJSONPolygon => ({
      type: 'Polygon',
      coordinates: [
        [
          [lng, 24],
          [lng + 0.01, 24],
          [lng + 0.01, 24.01],
          [lng, 24.01],
          [lng, 24],
        ],
      ],
    })
    await legacy('RP-OLD-A', square(104))
    const b = await legacy('RP-OLD-B', square(104.005))
    const admin = await t.tokenFor('admin')
    const point = { lng: 104.007, lat: 24.005 }
    const { title, answer } = await report(admin, point)
    expect(answer).toMatchObject({
      __typename: 'ValidationFailed',
      issues: [{ path: 'gridId', message: expect.stringContaining('RP-OLD-A, RP-OLD-B') }],
    })
    expect(await t.prisma.case.count({ where: { title } })).toBe(0)
    expect((await report(admin, { ...point, gridId: globalId('Grid', b.id) })).answer).toMatchObject({
      case: { grid: { code: 'RP-OLD-B' } },
    })
  })
})
