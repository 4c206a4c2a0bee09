// The two file formats of the exports, as sinks fed batch by batch: CSV (RFC 4180, UTF-8 with a
// byte order mark so that Excel reads Chinese, CRLF line ends) written straight to the output
// stream, and XLSX through exceljs' streaming writer (rows are zipped as they come, never held as
// a workbook). Either way a batch is written only when the output has drained: a slow client slows
// the reading of the database down instead of filling the server's memory.
import { type EventEmitter, once } from 'node:events'
import { PassThrough, type Readable } from 'node:stream'
import type { Cell, CellKind, Column } from './columns.js'
import { SHANGHAI_OFFSET_MS } from './params.js'

export type Format = 'csv' | 'xlsx'

export const CONTENT_TYPES: Record<Format, string> = {
  csv: 'text/csv; charset=utf-8; header=present',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
}

export interface Sink {
  /** What the client reads. */
  readonly output: Readable
  /** Writes a batch of rows (cells in column order); resolves once the output may take more. */
  write(rows: Cell[][]): Promise<void>
  /** Ends the file. */
  end(): Promise<void>
}

/**
 * Resolves on `event` of `emitter`, rejects when `output` closes first. The waiter that lost is taken
 * off again: a long export waits thousands of times, and each wait left a 'close' listener behind.
 */
async function untilOrClosed(emitter: EventEmitter, event: string, output: PassThrough): Promise<void> {
  const settled = new AbortController()
  try {
    await Promise.race([
      once(emitter, event, { signal: settled.signal }),
      once(output, 'close', { signal: settled.signal }).then(() => {
        throw new Error('the export stream was closed')
      }),
    ])
  } finally {
    settled.abort()
  }
}

/** Resolves when the stream has drained, or at once when it needs no draining; rejects when it is destroyed first. */
async function drained(stream: PassThrough): Promise<void> {
  if (!stream.writableNeedDrain) return
  if (stream.destroyed) throw new Error('the export stream was closed')
  await untilOrClosed(stream, 'drain', stream)
}

/** `2025-03-01 08:30:00`: an instant as a wall-clock time in Asia/Shanghai. */
export function shanghaiTime(d: Date): string {
  return new Date(d.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 19).replace('T', ' ')
}

// ---------------------------------------------------------------- CSV

const NEEDS_QUOTES = /[",\r\n]/
/** Text a spreadsheet would run as a formula (CSV injection): prefixed with `'` so that it stays text. */
const FORMULA = /^[=+\-@\t\r]/

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break, quotes doubled. */
export function csvField(value: Cell, kind: CellKind): string {
  if (value === null || value === undefined) return ''
  let s: string
  if (value instanceof Date) s = shanghaiTime(value)
  else if (typeof value === 'boolean') s = value ? '是' : '否'
  else if (typeof value === 'number') s = Number.isFinite(value) ? String(value) : ''
  else s = kind === 'text' && FORMULA.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

export function csvSink(columns: readonly Column<never>[]): Sink {
  // one batch of rows is one chunk: the stream holds about one batch ahead of the socket
  const output = new PassThrough({ highWaterMark: 64 * 1024 })
  const line = (cells: Cell[]) => `${cells.map((c, i) => csvField(c, columns[i]!.kind)).join(',')}\r\n`
  output.write(`\uFEFF${line(columns.map((c) => c.header))}`)
  return {
    output,
    async write(rows) {
      if (!rows.length) return
      output.write(rows.map(line).join(''))
      await drained(output)
    },
    async end() {
      output.end()
    },
  }
}

// ---------------------------------------------------------------- XLSX

/** A cell as exceljs writes it; instants as Shanghai wall-clock times (a spreadsheet has no time zone). */
function xlsxValue(value: Cell): string | number | Date | null {
  if (value === null || value === undefined) return null
  if (value instanceof Date) return new Date(value.getTime() + SHANGHAI_OFFSET_MS)
  if (typeof value === 'boolean') return value ? '是' : '否'
  if (typeof value === 'number' && !Number.isFinite(value)) return null
  return value
}

/** The zip entry streams exceljs pipes a sheet's XML into (readable-stream 2 `PassThrough`s). */
interface SheetInternals {
  stream?: { pipes?: Array<NodeJS.EventEmitter & { _writableState?: { needDrain?: boolean } }> }
}

/** Resolves when every zip entry stream the sheet writes to has drained; rejects when the output closes first. */
async function zipInputDrained(sheet: object, output: PassThrough): Promise<void> {
  for (const pipe of (sheet as SheetInternals).stream?.pipes ?? []) {
    if (!pipe._writableState?.needDrain) continue
    if (output.destroyed) throw new Error('the export stream was closed')
    await untilOrClosed(pipe, 'drain', output)
  }
}

export async function xlsxSink(columns: readonly Column<never>[], sheetName: string): Promise<Sink> {
  // loaded on the first XLSX export only: most starts of the server never need it
  const { default: ExcelJS } = await import('exceljs')
  const output = new PassThrough({ highWaterMark: 64 * 1024 })
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false })
  workbook.creator = 'Gongzhi 共治'
  workbook.created = new Date()
  const sheet = workbook.addWorksheet(sheetName, { views: [{ state: 'frozen', ySplit: 1 }] })
  sheet.columns = columns.map((c) => ({
    header: c.header,
    key: c.field,
    width: c.width ?? 16,
    ...(c.kind === 'datetime' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
  }))
  sheet.getRow(1).font = { bold: true }
  sheet.getRow(1).commit()
  return {
    output,
    async write(rows) {
      for (const cells of rows) sheet.addRow(cells.map(xlsxValue)).commit()
      // exceljs takes rows whatever the state of its output, and hands the sheet's XML to the zip
      // without waiting for it (its buffer's write "never returns false"): wait here until the
      // zip's input and its output have drained, or the sheet's XML piles up ahead of the deflater
      await zipInputDrained(sheet, output)
      await drained(output)
    },
    async end() {
      sheet.commit()
      await workbook.commit()
    },
  }
}
