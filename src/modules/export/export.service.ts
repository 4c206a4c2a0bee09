// Runs an export: reads the rows through the viewer's reader (the read policies apply, as in every
// GraphQL list) in keyset batches — newest first by (createdAt, id), the order of the lists — and
// feeds each batch to the file's sink, which resolves once the client has taken it. Nothing but
// the batch being written and the next one is held, whatever the number of rows. Each batch is its
// own statement: no transaction or connection is held while a slow client downloads. Rows created
// after the export started are not in it; a row changed while it runs shows as its batch read it.
// A report (a region's departments or grids) is computed at once by its service function before
// the file starts, then written through the same sink in batches of the same size.
import { performance } from 'node:perf_hooks'
import type { Readable } from 'node:stream'
import type { Context } from '../../context.js'
import { writeAuditEntry } from '../audit/audit.js'
import type { Cell, Column } from './columns.js'
import { nameLookup, type ExportDefinition, type ListExport, type Names } from './catalogue.js'
import { csvSink, xlsxSink, type Format, type Sink } from './formats.js'

/** Rows per statement: large enough that statements cost little, small enough to keep memory flat. */
export const BATCH_SIZE = 1000

type Keyed = { id: string; createdAt: Date }
type Delegate = { findMany(args: object): Promise<Keyed[]> }

/**
 * The rows of `where` under the viewer's read policy, in batches, newest first by (createdAt, id).
 * The next batch is read while the caller writes this one (the database and the socket work at the
 * same time); no further: a caller that waits holds up the reading.
 */
export async function* keysetBatches(
  ctx: Context,
  def: ListExport,
  where: object,
  size = BATCH_SIZE,
): AsyncGenerator<Keyed[]> {
  const delegate = (ctx.reader as unknown as Record<string, Delegate>)[def.model]!
  const select = { ...def.select(ctx), id: true, createdAt: true }
  const read = (last: Keyed | undefined) => {
    // `createdAt <= t AND (createdAt < t OR id < i)`: the range on createdAt lets PostgreSQL walk its index
    const after = last && {
      AND: [
        { createdAt: { lte: last.createdAt } },
        { OR: [{ createdAt: { lt: last.createdAt } }, { id: { lt: last.id } }] },
      ],
    }
    const batch = delegate.findMany({
      where: after ? { AND: [where, after] } : where,
      select,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: size,
    })
    batch.catch(() => {}) // awaited below, unless the caller stops first
    return batch
  }
  let next = read(undefined)
  for (;;) {
    const batch = await next
    if (batch.length === size) next = read(batch[batch.length - 1])
    if (batch.length) yield batch
    if (batch.length < size) return
  }
}

export interface ExportRun {
  /** What the client reads. */
  output: Readable
  /** Settles when the file is complete (the row count), or rejects when the export failed or was aborted. */
  done: Promise<number>
}

/**
 * Starts an export: the sink is ready (headers may be sent) when this resolves; the rows follow.
 * `signal` aborts it (the client went away): reading stops after the current batch.
 */
export async function startExport(
  ctx: Context,
  def: ExportDefinition,
  params: unknown,
  format: Format,
  signal: AbortSignal,
): Promise<ExportRun> {
  const names = nameLookup(ctx)
  // a report's refusals (a region out of the viewer's reach) come before the status line
  const batches =
    def.kind === 'report'
      ? inBatches(await def.report(params as never, ctx, names))
      : listRows(ctx, def, def.where(params as never, ctx), params, names, signal)
  const columns = def.columns as readonly Column<never>[]
  const sink: Sink = format === 'csv' ? csvSink(columns) : await xlsxSink(columns, def.title)
  const done = (async () => {
    let rows = 0
    for await (const shown of batches) {
      signal.throwIfAborted()
      await sink.write(shown.map((r) => columns.map((c): Cell => c.value(r as never))))
      rows += shown.length
    }
    signal.throwIfAborted()
    await sink.end()
    return rows
  })()
  return { output: sink.output, done }
}

/** A list's rows as the export shows them, batch by batch. */
async function* listRows(
  ctx: Context,
  def: ListExport,
  where: object,
  params: unknown,
  names: Names,
  signal: AbortSignal,
): AsyncGenerator<unknown[]> {
  for await (const batch of keysetBatches(ctx, def, where, def.batchSize)) {
    signal.throwIfAborted()
    yield await def.rows(batch as never[], ctx, names, params as never)
  }
}

/** A report's rows in batches of BATCH_SIZE, as the sink takes them. */
function* inBatches<R>(rows: readonly R[]): Generator<R[]> {
  for (let i = 0; i < rows.length; i += BATCH_SIZE) yield rows.slice(i, i + BATCH_SIZE)
}

/** The audit entry of an export: who (the context's viewer), which export, the names of the filters given, how it ended. */
export function auditExport(
  ctx: Context,
  what: { path: string; params: readonly string[]; outcome: string },
  started: number,
) {
  return writeAuditEntry(
    ctx,
    {
      operation: `GET ${what.path}`,
      targetType: null,
      targetId: null,
      inputFields: [...new Set(what.params)].slice(0, 50).sort(),
      outcome: what.outcome,
    },
    started,
  )
}

export const elapsedMs = (started: number) => Math.round(performance.now() - started)
