import { describe, expect, it } from 'vitest'
import { parseBuildingsCsv, parseGridsGeoJson, parsePartyMembersCsv } from '../../../src/import/territory-import.js'

const square = [
  [
    [118.78, 32.035],
    [118.79, 32.035],
    [118.79, 32.04],
    [118.78, 32.04],
    [118.78, 32.035],
  ],
]
const feature = (properties: Record<string, unknown>, coordinates: unknown = square) => ({
  type: 'Feature',
  properties,
  geometry: { type: 'Polygon', coordinates },
})
const collection = (...features: unknown[]) => JSON.stringify({ type: 'FeatureCollection', features })

describe('grid GeoJSON', () => {
  it('should read features with their position as line and compute nothing else', () => {
    const { rows, issues } = parseGridsGeoJson(
      'g.geojson',
      collection(feature({ code: 'X-01', name: '一网格', community: 'C-01', supervision_hotline: '025-1234' })),
    )
    expect(issues).toEqual([])
    expect(rows).toEqual([
      {
        file: 'g.geojson',
        line: 1,
        row: {
          code: 'X-01',
          name: '一网格',
          community: 'C-01',
          supervisionHotline: '025-1234',
          boundary: { type: 'Polygon', coordinates: square },
        },
      },
    ])
  })

  it('should report every bad feature with its position and field', () => {
    const open = [
      [
        [118.78, 32.035],
        [118.79, 32.035],
        [118.79, 32.04],
        [118.78, 32.04],
      ],
    ]
    const { rows, issues } = parseGridsGeoJson(
      'g.geojson',
      collection(
        feature({ code: 'ok-1', name: 'a', community: 'C' }),
        feature({ code: 'bad code!', name: '', community: 'C' }),
        feature({ code: 'ok-3', name: 'c', community: 'C' }, open),
      ),
    )
    expect(rows.map((r) => r.row.code)).toEqual(['ok-1'])
    expect(issues.map((i) => `${i.line}:${i.field}`)).toEqual([
      '2:code',
      '2:name',
      '3:boundary.coordinates.0',
      '3:boundary',
    ])
  })

  it('should refuse a file that is not a feature collection', () => {
    expect(parseGridsGeoJson('g', '{').issues[0]).toMatchObject({ line: 0, field: '(file)' })
    expect(parseGridsGeoJson('g', '{"type":"Feature"}').issues[0]).toMatchObject({ line: 0, field: 'type' })
  })
})

describe('building CSV', () => {
  it('should read rows with their file line, empty optional cells as null', () => {
    const { rows, issues } = parseBuildingsCsv(
      'b.csv',
      '\uFEFFgrid_code,name,floors,households,compound\nG-1,1幢,18,,\nG-1,2幢,,,锦江苑\n',
    )
    expect(issues).toEqual([])
    expect(rows).toEqual([
      { file: 'b.csv', line: 2, row: { grid_code: 'G-1', name: '1幢', floors: 18, households: null, compound: null } },
      {
        file: 'b.csv',
        line: 3,
        row: { grid_code: 'G-1', name: '2幢', floors: null, households: null, compound: '锦江苑' },
      },
    ])
  })

  it('should name missing columns and bad numbers', () => {
    expect(parseBuildingsCsv('b.csv', 'grid,name\nG,1\n').issues).toEqual([
      { file: 'b.csv', line: 1, field: '(header)', message: 'missing column(s): grid_code' },
    ])
    expect(
      parseBuildingsCsv('b.csv', 'grid_code,name,floors\nG,1,0\nG,2,2.5\nG,3,x\n').issues.map(
        (i) => `${i.line}:${i.field}`,
      ),
    ).toEqual(['2:floors', '3:floors', '4:floors'])
    expect(parseBuildingsCsv('b.csv', 'grid_code,name\n').issues[0]!.message).toBe('no data rows')
  })
})

describe('party member CSV', () => {
  const header = 'name,id_number,grid_code,gender,joined_on,skills'
  it('should normalise gender, dates, ID numbers and skills', () => {
    const { rows, issues } = parsePartyMembersCsv(
      'm.csv',
      `${header}\n钱晓东,320102198506120034,G,男,2008-07-01,法律咨询；政策宣讲、调解\n孙丽华,32010219920101012x,G,,,\n`,
    )
    expect(issues).toEqual([])
    expect(rows[0]!.row).toMatchObject({
      gender: 'MALE',
      joined_on: new Date('2008-07-01T00:00:00Z'),
      skills: ['法律咨询', '政策宣讲', '调解'],
    })
    expect(rows[1]!.row).toMatchObject({ id_number: '32010219920101012X', gender: null, joined_on: null, skills: [] })
  })

  it('should refuse bad ID numbers, genders and dates with their lines', () => {
    const { issues } = parsePartyMembersCsv(
      'm.csv',
      `${header}\n甲,320102198506120035,G,男,,\n乙,320102199003050024,G,X,2015-02-30,\n丙,320102199003050024,G,,2999-01-01,\n`,
    )
    expect(issues.map((i) => `${i.line}:${i.field}`)).toEqual(['2:id_number', '3:gender', '3:joined_on', '4:joined_on'])
  })
})
