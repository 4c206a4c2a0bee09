// The pure parts of the exports: CSV fields, times, file names, query parameters, and the README's
// column tables held to the columns the code writes.
import fs from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { CASE_COLUMNS, DUAL_REPORT_COLUMNS, ORDER_COLUMNS, type Column } from '../../../src/modules/export/columns.js'
import { csvField, csvSink, shanghaiTime, xlsxSink } from '../../../src/modules/export/formats.js'
import { contentDisposition } from '../../../src/modules/export/export.routes.js'
import { EXPORTS } from '../../../src/modules/export/catalogue.js'
import { queryObject } from '../../../src/modules/export/params.js'
import { parseInput } from '../../../src/shared/validate.js'
import { ValidationFailedError } from '../../../src/shared/errors.js'

describe('CSV fields (RFC 4180)', () => {
  it('should quote fields with commas, quotes or line breaks and double the quotes', () => {
    expect(csvField('plain 文本', 'text')).toBe('plain 文本')
    expect(csvField('a,b', 'text')).toBe('"a,b"')
    expect(csvField('say "hi"', 'text')).toBe('"say ""hi"""')
    expect(csvField('line\r\nbreak', 'text')).toBe('"line\r\nbreak"')
  })

  it('should defuse text a spreadsheet would run as a formula, and leave numbers alone', () => {
    for (const v of ['=1+1', '+86 138', '-2', '@SUM(A1)', '\tx']) expect(csvField(v, 'text')).toBe(`'${v}`)
    expect(csvField(-2, 'number')).toBe('-2')
    expect(csvField(Number.NaN, 'number')).toBe('')
  })

  it('should write times in Asia/Shanghai, yes/no in Chinese and nothing for null', () => {
    expect(csvField(new Date('2025-02-28T16:30:05.123Z'), 'datetime')).toBe('2025-03-01 00:30:05')
    expect(shanghaiTime(new Date('2025-12-31T16:00:00Z'))).toBe('2026-01-01 00:00:00')
    expect(csvField(true, 'boolean')).toBe('是')
    expect(csvField(false, 'boolean')).toBe('否')
    expect(csvField(null, 'text')).toBe('')
  })
})

describe('the sinks under a slow reader', () => {
  /** Feeds `batches` batches to a sink whose reader takes a chunk only between batches; listeners counted after each. */
  async function feed(format: 'csv' | 'xlsx', batches: number) {
    const sink = format === 'csv' ? csvSink(ORDER_COLUMNS) : await xlsxSink(ORDER_COLUMNS, 'orders')
    const row = ORDER_COLUMNS.map((_, i) => `cell ${i} ${'x'.repeat(400)}`)
    const listeners: number[] = []
    let waits = 0
    sink.output.on('data', () => {}) // flowing, but paused while a batch is written
    for (let b = 0; b < batches; b++) {
      sink.output.pause()
      const written = sink.write(Array.from({ length: 300 }, () => row))
      if (sink.output.listenerCount('drain') > 0 || sink.output.listenerCount('close') > 0) waits++
      sink.output.resume()
      await written
      listeners.push(sink.output.listenerCount('close') + sink.output.listenerCount('error'))
    }
    await sink.end()
    return { listeners, waits }
  }

  it.each(['csv', 'xlsx'] as const)(
    'should leave no listener behind on the %s output after each wait for a drain',
    async (format) => {
      const { listeners, waits } = await feed(format, 40)
      expect(waits).toBeGreaterThan(11) // more waits than Node's MaxListeners warning allows for
      expect(Math.max(...listeners)).toBe(listeners[0])
    },
  )
})

describe('file names', () => {
  it('should give an ASCII name and the RFC 5987 UTF-8 one', () => {
    expect(contentDisposition('cases-20250301-083000.csv', '案件-20250301-083000.csv')).toBe(
      `attachment; filename="cases-20250301-083000.csv"; filename*=UTF-8''%E6%A1%88%E4%BB%B6-20250301-083000.csv`,
    )
    expect(contentDisposition('a"b\\c.csv', "it's (1).csv")).toBe(
      `attachment; filename="a_b_c.csv"; filename*=UTF-8''it%27s%20%281%29.csv`,
    )
  })
})

describe('query parameters', () => {
  const parse = (name: string, query: string) => {
    const def = EXPORTS.get(name)!
    return parseInput(def.params, queryObject(new URLSearchParams(query), def.lists)) as Record<string, unknown>
  }

  it('should read Shanghai days, both ends included, and instants with an offset as they are', () => {
    expect(parse('cases', 'from=2025-03-01&to=2025-03-31')).toEqual({
      from: new Date('2025-02-28T16:00:00Z'),
      to: new Date('2025-03-31T16:00:00Z'),
    })
    expect(parse('cases', 'from=2025-03-01T08:00:00%2B08:00')).toEqual({ from: new Date('2025-03-01T00:00:00Z') })
    expect(() => parse('cases', 'from=2025-03-01T08:00:00')).toThrow(ValidationFailedError)
    expect(() => parse('cases', 'from=2025-02-29')).toThrow(/from: no such day/)
  })

  it('should take lists repeated or comma-separated, and refuse a repeated single value', () => {
    expect(parse('cases', 'status=ACCEPTED,DISPATCHED&status=CLOSED').status).toEqual([
      'ACCEPTED',
      'DISPATCHED',
      'CLOSED',
    ])
    expect(() => parse('cases', 'source=PATROL&source=HOTLINE')).toThrow(/source/)
    expect(() => parse('dispatch-orders', 'status=ACCEPTED')).toThrow(/status/)
  })
})

describe('README', () => {
  const readme = fs.readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8')

  /** The rows (header, field) of the README table that follows `heading`. */
  function table(heading: string): [string, string][] {
    const rest = readme.slice(readme.indexOf(heading))
    const rows = rest.slice(rest.indexOf('\n|')).split('\n\n')[0]!.trim().split('\n').slice(2)
    return rows.map((r) => {
      const cells = r.split('|').map((c) => c.trim())
      return [cells[1]!, cells[2]!.replace(/`/g, '')]
    })
  }
  const written = (columns: readonly Column<never>[]) => columns.map((c) => [c.header, c.field])

  it('should document every column of every export, in order, with its field', () => {
    expect(table('`cases` (案件, type `Case`):')).toEqual(written(CASE_COLUMNS as never))
    expect(table('`dispatch-orders` (派单, type `DispatchOrder`):')).toEqual(written(ORDER_COLUMNS as never))
    expect(table('`dual-reports` (双报到, type `DualReport`):')).toEqual(written(DUAL_REPORT_COLUMNS as never))
  })
})
