// A mutation's payload answers from the row its write returned when the client selected only that
// row's columns, and reads through the read policy otherwise (src/shared/mutations.ts).
import { describe, expect, it } from 'vitest'
import { payloadRow } from '../../../src/shared/mutations.js'

const row = { id: 'c1', status: 'ACCEPTED', version: 2, reporterId: null }

function reader(answer: object | null) {
  const calls: object[] = []
  return {
    calls,
    findUnique: async (args: object) => {
      calls.push(args)
      return answer as typeof row | null
    },
  }
}

describe('payloadRow', () => {
  it("should answer a selection of the row's own columns from the row, without a read", async () => {
    const r = reader(null)
    expect(
      await payloadRow({ select: { id: true, status: true, version: true, reporterId: true } }, row, r.findUnique),
    ).toBe(row)
    expect(r.calls).toEqual([])
  })

  it("should read a selection of relations through the given reader, by the row's id", async () => {
    const read = { ...row, orders: [] }
    const r = reader(read)
    const query = { select: { id: true, orders: { select: { id: true } } } }
    expect(await payloadRow(query, row, r.findUnique)).toBe(read)
    expect(r.calls).toEqual([{ ...query, where: { id: 'c1' } }])
  })

  it('should read an include, and a column the row does not hold', async () => {
    const r = reader(row)
    await payloadRow({ include: { orders: true } }, row, r.findUnique)
    await payloadRow({ select: { id: true, closedAt: true } }, row, r.findUnique)
    expect(r.calls).toHaveLength(2)
  })

  it('should fall back to the written row when the policy no longer shows it', async () => {
    expect(await payloadRow({ select: { orders: { select: { id: true } } } }, row, reader(null).findUnique)).toBe(row)
  })
})
