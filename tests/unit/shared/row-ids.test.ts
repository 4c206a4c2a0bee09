// A mutation's service step receives its input with every decoded global ID replaced by the row id,
// at any depth, while null (clear) and absent (unchanged) stay apart (src/shared/mutations.ts).
import { describe, expect, it } from 'vitest'
import { rowIds } from '../../../src/shared/mutations.js'

const gid = (typename: string, id: string) => ({ typename, id })

describe('rowIds', () => {
  it('should replace top-level global IDs by their row ids and keep the other fields', () => {
    expect(rowIds({ id: gid('Case', 'c1'), version: 3, note: 'ok' })).toEqual({ id: 'c1', version: 3, note: 'ok' })
  })

  it('should keep null and absent apart', () => {
    const out = rowIds({ gridId: null, unitId: undefined })
    expect(out).toEqual({ gridId: null, unitId: undefined })
    expect('unitId' in out).toBe(true)
    expect(out.gridId).toBeNull()
  })

  it('should replace global IDs in lists and nested inputs', () => {
    expect(
      rowIds({
        redo: [gid('DispatchOrder', 'o1'), gid('DispatchOrder', 'o2')],
        targets: [{ departmentId: gid('Department', 'd1'), assigneeId: null, role: 'LEAD' }],
      }),
    ).toEqual({ redo: ['o1', 'o2'], targets: [{ departmentId: 'd1', assigneeId: null, role: 'LEAD' }] })
  })

  it('should leave dates, scalars and objects that only look alike untouched', () => {
    const at = new Date('2026-01-02T03:04:05Z')
    const polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [116.3, 39.9],
          [116.4, 39.9],
          [116.3, 39.9],
        ],
      ],
    }
    const out = rowIds({ at, polygon, tags: ['a'], extra: { typename: 'X', id: 'y', more: 1 } })
    expect(out.at).toBe(at)
    expect(out.polygon).toEqual(polygon)
    expect(out.tags).toEqual(['a'])
    expect(out.extra).toEqual({ typename: 'X', id: 'y', more: 1 })
  })
})
