// Exports stream: 100,000 cases go out in keyset batches with the server's memory flat (the app
// runs in this process, so its RSS is ours), and a client that stops reading stops the reading of
// the database instead of filling the server's memory.
import { once } from 'node:events'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import v8 from 'node:v8'
import vm from 'node:vm'
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse'
import { afterAll, describe, expect } from 'vitest'
import { appTest } from '../../helpers/test.js'
import type { TestApp } from '../../helpers/app.js'
import { twoCommunities } from '../../helpers/fixtures.js'
import { client, graphql } from '../../helpers/graphql.js'

const it = appTest({ BACKGROUND_JOBS: 'false' })

const ROWS = 100_000
/**
 * What the export may add to the process's resident memory, whatever the number of rows. RSS also
 * counts what the allocator keeps after a collection, and Node 24 keeps more: +130–156 MB measured
 * on CI where the heap and buffers peaked at +73–91 MB (Node 20: +20–75 MB). The bound that holds
 * the export to streaming is LIVE_BOUND_MB; this one catches a leak outside the heap.
 */
const RSS_BOUND_MB = 250
/**
 * What the export may hold on the heap and in buffers, read right after each full collection, so
 * that no garbage is counted: an export that kept its rows would hold hundreds of MB by the end.
 * Measured +3 MB for CSV and +15–17 MB for XLSX; +34–37 MB for XLSX when its sheet's XML was let
 * pile up ahead of the deflater. (The peak between collections, with up to a second of garbage,
 * was +42–102 MB on CI: too close to any bound to test.)
 */
const LIVE_BOUND_MB = 32
/** What may stay on the heap once the export is over and garbage is collected. */
const RETAINED_BOUND_MB = 20

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void

let t: TestApp
let token: string
let expected: number
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gongzhi-export-'))

it.beforeAll(async ({ app }) => {
  t = app
  const { a, officerA } = await twoCommunities(t.prisma)
  const grid = a.grids[0]!
  const category = await t.prisma.caseCategory.findFirstOrThrow({ where: { code: 'SANITATION' } })
  // one statement; three cases per second of createdAt, so that batches end inside runs of equal times
  await t.prisma
    .$executeRaw`INSERT INTO "Case" (id, title, description, "categoryId", source, status, "gridId", "regionId", "handlingRegionId", lng, lat, address, attachments, anonymous, "reporterName", "reporterPhone", "createdById", deadline, "createdAt", "updatedAt")
    SELECT gen_random_uuid(), '批量案件 ' || i, '楼道堆物，影响通行，请尽快处理。编号 ' || i, ${category.id}::uuid, 'HOTLINE', 'ACCEPTED', ${grid.id}::uuid, ${a.id}::uuid, ${a.id}::uuid,
      116.4, 39.9, '示例路 ' || i || ' 号', '{}', false, '张三', '13900001111', ${officerA.id}::uuid, now() + interval '3 days', now() - ((i / 3) || ' seconds')::interval, now()
    FROM generate_series(1, ${ROWS}) AS i`
  // as autovacuum would soon: without statistics PostgreSQL sorts the whole table for every batch
  await t.prisma.$executeRaw`ANALYZE "Case"`
  token = await t.tokenFor(officerA.username)
  expected = (await client(t.url, token).must(graphql(`{ cases(first: 1) { totalCount } }`))).cases.totalCount
  expect(expected).toBeGreaterThanOrEqual(ROWS)
  // load what the first export loads (exceljs, prepared statements), outside the measurement
  for (const format of ['csv', 'xlsx'])
    await (
      await fetch(`${t.origin}/exports/cases.${format}?status=REJECTED`, {
        headers: { authorization: `Bearer ${token}` },
      })
    ).arrayBuffer()
}, 300_000)
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true })
})

/** Every chunk of a response body, read as fast as it comes. */
async function* chunks(res: Response): AsyncGenerator<Uint8Array> {
  const reader = res.body!.getReader()
  for (;;) {
    const { done, value } = await reader.read()
    if (done) return
    yield value
  }
}

/**
 * Streams an export to a file while sampling the process's RSS every 10 ms, from a baseline taken
 * after a full garbage collection. V8 lets garbage pile up to its heap's headroom before it collects
 * (here +150–250 MB whatever the export does), so the bound is checked on what is left right after
 * a full collection, made every second: what the export holds. The peak between collections and
 * the peak without them are reported too, and what is left on the heap after the export.
 */
async function measured(format: 'csv' | 'xlsx', collect: boolean) {
  const file = path.join(dir, `cases.${format}`)
  gc()
  const before = process.memoryUsage()
  let peak = before.rss
  let peakLive = before.heapUsed + before.external
  const sampler = setInterval(() => {
    const m = process.memoryUsage()
    peak = Math.max(peak, m.rss)
    peakLive = Math.max(peakLive, m.heapUsed + m.external)
  }, 10)
  let peakHeld = 0
  const collector = collect
    ? setInterval(() => {
        gc()
        const m = process.memoryUsage()
        peakHeld = Math.max(peakHeld, m.heapUsed + m.external - before.heapUsed - before.external)
      }, 1000)
    : undefined
  const started = performance.now()
  const res = await fetch(`${t.origin}/exports/cases.${format}`, { headers: { authorization: `Bearer ${token}` } })
  expect(res.status).toBe(200)
  const out = fs.createWriteStream(file)
  let bytes = 0
  for await (const chunk of chunks(res)) {
    bytes += chunk.length
    if (!out.write(chunk)) await once(out, 'drain')
  }
  await new Promise((resolve) => out.end(resolve))
  const seconds = (performance.now() - started) / 1000
  clearInterval(sampler)
  clearInterval(collector)
  peak = Math.max(peak, process.memoryUsage().rss)
  gc()
  const retainedMb = (process.memoryUsage().heapUsed - before.heapUsed) / 2 ** 20
  const growthMb = (peak - before.rss) / 2 ** 20
  const liveMb = (peakLive - before.heapUsed - before.external) / 2 ** 20
  const heldMb = peakHeld / 2 ** 20
  console.info(
    `[export] cases.${format}${collect ? ' (full GC every second)' : " (V8's own GC schedule)"}: ${expected} rows, ${(bytes / 2 ** 20).toFixed(1)} MB in ${seconds.toFixed(1)} s (${Math.round(expected / seconds)} rows/s); RSS peak +${growthMb.toFixed(1)} MB, heap+external peak +${liveMb.toFixed(1)} MB${collect ? `, held after a collection +${heldMb.toFixed(1)} MB` : ''}, heap retained ${retainedMb.toFixed(1)} MB`,
  )
  expect(retainedMb).toBeLessThan(RETAINED_BOUND_MB)
  return { file, growthMb, heldMb }
}

describe('a 100,000-row export', () => {
  it('should stream the CSV with flat memory, every row once, in keyset order', async () => {
    // first, while the process's RSS is still at its baseline
    const m = await measured('csv', true)
    expect(m.growthMb).toBeLessThan(RSS_BOUND_MB)
    expect(m.heldMb).toBeLessThan(LIVE_BOUND_MB)
    await measured('csv', false)
    const ids = new Set<string>()
    let previous = ''
    let ordered = true
    const parser = fs.createReadStream(m.file).pipe(parse({ bom: true, columns: true }))
    for await (const row of parser as AsyncIterable<Record<string, string>>) {
      ids.add(row.编号!)
      if (previous && row.上报时间! > previous) ordered = false
      previous = row.上报时间!
    }
    expect(ids.size).toBe(expected)
    expect(ordered).toBe(true)
  }, 300_000)

  it('should stream the XLSX with flat memory, every row in the sheet', async () => {
    const m = await measured('xlsx', true)
    expect(m.growthMb).toBeLessThan(RSS_BOUND_MB)
    expect(m.heldMb).toBeLessThan(LIVE_BOUND_MB)
    await measured('xlsx', false)
    let rows = 0
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(m.file, {
      worksheets: 'emit',
      sharedStrings: 'ignore',
      styles: 'ignore',
      hyperlinks: 'ignore',
    })
    for await (const sheet of reader) for await (const _row of sheet as AsyncIterable<unknown>) rows++
    expect(rows).toBe(expected + 1) // and the header
  }, 300_000)

  it.each(['csv', 'xlsx'] as const)(
    'should stop reading the database while the client does not read (%s)',
    async (format) => {
      const res = await fetch(`${t.origin}/exports/cases.${format}`, { headers: { authorization: `Bearer ${token}` } })
      const body = chunks(res)
      await body.next()
      // the client stalls: the server writes what the socket buffers take, then waits for them to drain
      const isBatch = (sql: string) => /FROM "public"\."Case"/.test(sql)
      let batches = 0
      let quiet = false
      for (let window = 0; window < 40 && !quiet; window++) {
        const { statements } = await t.countStatements(() => sleep(500))
        const n = statements.filter(isBatch).length
        batches += n
        quiet = n === 0
      }
      expect(quiet).toBe(true)
      // it stopped well before the end (about 100 batches)
      expect(batches).toBeLessThan(format === 'csv' ? 60 : 90)
      let bytes = 0
      const { statements } = await t.countStatements(async () => {
        for await (const chunk of body) bytes += chunk.length
      })
      expect(statements.filter(isBatch).length).toBeGreaterThan(100 - batches - 5)
      expect(bytes).toBeGreaterThan(1_000_000)
    },
    300_000,
  )

  it('should cut the download, never end it as if whole, when the database fails mid-export', async () => {
    const since = new Date()
    const res = await fetch(`${t.origin}/exports/cases.csv`, { headers: { authorization: `Bearer ${token}` } })
    const body = chunks(res)
    await body.next()
    // the client stalls (above: the export waits), the next batches' statement becomes invalid
    for (let quiet = false; !quiet; ) quiet = (await t.countStatements(() => sleep(500))).statements.length === 0
    await t.prisma.$executeRaw`ALTER TABLE "Case" RENAME COLUMN "title" TO "title_gone"`
    try {
      await expect(
        (async () => {
          for await (const _ of body);
        })(),
      ).rejects.toThrow()
    } finally {
      await t.prisma.$executeRaw`ALTER TABLE "Case" RENAME COLUMN "title_gone" TO "title"`
    }
    await expect
      .poll(() =>
        t.prisma.auditEntry.findFirst({
          where: { operation: 'GET /exports/cases.csv', at: { gte: since } },
          select: { outcome: true },
        }),
      )
      .toEqual({ outcome: 'common/internal' })
  }, 300_000)
})
