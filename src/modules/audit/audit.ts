// The audit log: one AuditEntry per mutation call — who (account and roles), what (the mutation),
// which row (the input's id, else the created row's), when, the request id, and how it ended (OK or
// the error's code). Written by wrapping every Mutation field once, after the schema is built, so
// no module has to remember it. It keeps ids, names and codes only, never input values: no personal
// data is held in clear.
import { getNamedType, isObjectType, isUnionType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql'
import type { Context } from '../../context.js'
import type { PrismaClient } from '../../db.js'
import { BaseError } from '../../shared/errors.js'
import { newId } from '../../shared/ids.js'
import { insertRows } from '../../shared/insert-rows.js'
import { parseGlobalId, UUID } from '../../shared/relay.js'

export interface AuditRecord {
  operation: string
  targetType: string | null
  targetId: string | null
  inputFields: string[]
  outcome: string
}

/**
 * Whether a value is an error. The errors plugin hands typed errors back wrapped in a proxy that
 * `instanceof` does not always see through, so errors are known by their shape: a row has no stack.
 */
const isError = (v: unknown): v is Error =>
  v instanceof Error ||
  (!!v && typeof v === 'object' && typeof (v as Error).message === 'string' && typeof (v as Error).stack === 'string')

/** `OK`, or the code of the error a mutation answered or threw. */
export function outcomeOf(result: unknown): string {
  if (result instanceof BaseError) return result.code
  if (isError(result)) {
    const own = (result as { code?: unknown }).code
    if (typeof own === 'string') return own
    const code = (result as { extensions?: { code?: unknown } }).extensions?.code
    const original = (result as { originalError?: unknown }).originalError
    if (original instanceof BaseError) return original.code
    return typeof code === 'string' ? code : 'common/internal'
  }
  return 'OK'
}

/** The row an input names (`input.id`, a global ID), decoded without throwing. */
export function inputTarget(input: unknown): { type: string; id: string } | null {
  const raw = (input as { id?: unknown } | null | undefined)?.id
  if (typeof raw !== 'string' || raw.length > 200) return null
  try {
    const { typename, id } = parseGlobalId(raw)
    return { type: typename, id }
  } catch {
    return null
  }
}

/** The type a mutation's success payload carries (its `…Payload` member's one field), if any. */
function payloadType(schema: GraphQLSchema, fieldName: string): string | null {
  const type = getNamedType(schema.getMutationType()!.getFields()[fieldName]!.type)
  const payload = isUnionType(type) ? type.getTypes().find((t) => t.name.endsWith('Payload')) : type
  if (!payload || !isObjectType(payload)) return null
  const fields = Object.values(payload.getFields())
  return fields.length === 1 ? getNamedType(fields[0]!.type).name : null
}

/** What to record for one call: the input's row, else the returned row's id. */
export function auditRecord(
  operation: string,
  resultType: string | null,
  args: Record<string, unknown>,
  result: unknown,
): AuditRecord {
  const input = args.input
  const bare = (input as { id?: unknown } | undefined)?.id
  const given =
    inputTarget(input) ??
    (typeof bare === 'string' && UUID.test(bare) && resultType ? { type: resultType, id: bare } : null)
  const returned =
    result && typeof result === 'object' && !isError(result) ? (result as { id?: unknown }).id : undefined
  const target =
    given ??
    (typeof returned === 'string' && UUID.test(returned) && resultType ? { type: resultType, id: returned } : null)
  return {
    operation,
    targetType: target?.type ?? null,
    targetId: target?.id ?? null,
    inputFields: input && typeof input === 'object' ? Object.keys(input).slice(0, 50).sort() : [],
    outcome: outcomeOf(result),
  }
}

type AuditRow = AuditRecord & {
  id: string
  at: Date
  actorId: string | null
  actorRoles: string[]
  requestId: string
  durationMs: number
}

const AUDIT_COLUMNS = {
  id: 'uuid',
  at: 'timestamp(3)',
  actorId: 'uuid',
  actorRoles: '"Role"[]',
  requestId: 'text',
  operation: 'text',
  targetType: 'text',
  targetId: 'uuid',
  inputFields: 'text[]',
  outcome: 'text',
  durationMs: 'integer',
}

/** One statement for any number of entries: one is a create (its plan is cached), several one insertRows. */
async function insertAuditRows(prisma: PrismaClient, rows: AuditRow[]) {
  if (rows.length === 1) {
    const [row] = rows as [AuditRow]
    await prisma.auditEntry.create({ data: { ...row, actorRoles: row.actorRoles as never } })
    return
  }
  await insertRows(prisma, 'AuditEntry', AUDIT_COLUMNS, rows)
}

interface Pending {
  row: AuditRow
  written(): void
  failed(e: unknown): void
}

/**
 * The audit log's writer for one client, with group commit: an entry is written at once when no
 * write is in flight; entries that arrive during a write go together in the next one. Each caller
 * still waits until its own entry is in the database, so concurrent mutations share statements
 * without any entry waiting for a timer.
 */
function auditWriter(prisma: PrismaClient): (row: AuditRow) => Promise<void> {
  let writer = writers.get(prisma)
  if (!writer) {
    const queue: Pending[] = []
    let writing = false
    const drain = async () => {
      writing = true
      while (queue.length) {
        const batch = queue.splice(0, AUDIT_BATCH)
        try {
          await insertAuditRows(
            prisma,
            batch.map((p) => p.row),
          )
          for (const p of batch) p.written()
        } catch (e) {
          if (batch.length === 1) {
            batch[0]!.failed(e)
            continue
          }
          // one bad row must not cost its neighbours their entries: each on its own, and only that one fails
          for (const p of batch) await insertAuditRows(prisma, [p.row]).then(p.written, p.failed)
        }
      }
      writing = false
    }
    writer = (row) =>
      new Promise<void>((written, failed) => {
        queue.push({ row, written, failed })
        if (!writing) void drain()
      })
    writers.set(prisma, writer)
  }
  return writer
}

const AUDIT_BATCH = 500
const writers = new WeakMap<PrismaClient, (row: AuditRow) => Promise<void>>()

/** Writes one audit entry for the context's viewer and request; a failure is logged, never thrown. */
export async function writeAuditEntry(ctx: Context, record: AuditRecord, started: number) {
  try {
    await auditWriter(ctx.prisma)({
      ...record,
      id: newId(),
      at: new Date(),
      actorId: ctx.viewer?.userId ?? null,
      actorRoles: [...(ctx.viewer?.roles ?? [])],
      requestId: ctx.requestId,
      durationMs: Math.round(performance.now() - started),
    })
  } catch (e) {
    // the change itself is done: a lost audit row is logged loudly, never turned into a failed mutation
    ctx.log.error({ err: e, audit: record }, 'audit entry not written')
  }
}

/** Wraps every Mutation field of the schema so that each call leaves an AuditEntry. */
export function auditMutations(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve as GraphQLFieldResolver<unknown, Context>
    const resultType = payloadType(schema, field.name)
    field.resolve = async (root, args, ctx, info) => {
      const started = performance.now()
      let result: unknown
      try {
        result = await resolve(root, args, ctx, info)
      } catch (e) {
        await writeAuditEntry(ctx, auditRecord(field.name, resultType, args, e), started)
        throw e
      }
      await writeAuditEntry(ctx, auditRecord(field.name, resultType, args, result), started)
      return result
    }
  }
  return schema
}
