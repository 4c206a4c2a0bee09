// How a mutation is written: one `input`, a service step, and the row it wrote as the payload.
import type { FieldRef, InputFieldMap, InputObjectRef, ObjectParam } from '@pothos/core'
import { builder } from '../builder.js'
import type { Context } from '../context.js'
import { delegateOf } from '../db/reader.js'
import type PrismaTypes from '../generated/pothos-types.js'
import { decodeId } from './relay.js'
import { readVersion, timelineNote, type Types } from './schema-fields.js'

/** Errors-plugin options for a mutation whose payload carries one object under `name`. */
export const payload = (name: string, description: string) => ({ dataField: { name, description } })

/** The query plugin-prisma plans for a field's row (a prismaField's first argument). */
export interface PlannedQuery {
  select?: Record<string, unknown>
  include?: Record<string, unknown>
}

/**
 * A mutation's payload row, without a read when the write already returned everything the client
 * selected. The service read the row through the read policy before writing and its guarded write
 * (version and state) returned that very row, or created it for the viewer: so when the selection
 * holds only the row's own columns, the returned row is the answer. A selection of relations is
 * read through the read policy (`findUnique`, e.g. `ctx.reader.case.findUnique`), in one statement;
 * should the policy no longer show the row, its relations are left to plugin-prisma's per-relation
 * reads (each through the policy) on the returned row.
 */
export async function payloadRow<T extends { id: string }>(
  query: PlannedQuery,
  row: T,
  findUnique: (args: PlannedQuery & { where: { id: string } }) => Promise<T | null>,
): Promise<T> {
  const columnsOnly =
    !query.include && Object.entries(query.select ?? {}).every(([key, value]) => value === true && key in row)
  return columnsOnly ? row : ((await findUnique({ ...query, where: { id: row.id } })) ?? row)
}

/** A decoded global ID, as Pothos hands a `globalID` input field to the resolver. */
interface GlobalId {
  typename: string
  id: string
}

/** An input with every global ID replaced by its row id, at any depth (lists and nested inputs). */
type RowIds<T> = T extends GlobalId
  ? string
  : T extends Date
    ? T
    : T extends object
      ? { [K in keyof T]: RowIds<T[K]> } // lists and tuples stay lists and tuples
      : T

const isGlobalId = (v: object): v is GlobalId =>
  Object.keys(v).length === 2 && typeof (v as GlobalId).typename === 'string' && typeof (v as GlobalId).id === 'string'

/**
 * The row ids of an input's global IDs; absent and null stay as they are (unchanged vs cleared). A
 * global ID is known by its shape, an object of exactly `typename` and `id`: no input takes the JSON
 * scalar, where a client's object could look alike.
 */
export function rowIds<T>(value: T): RowIds<T> {
  if (value === null || typeof value !== 'object' || value instanceof Date) return value as RowIds<T>
  if (Array.isArray(value)) return value.map(rowIds) as RowIds<T>
  if (isGlobalId(value)) return value.id as RowIds<T>
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, rowIds(v)])) as RowIds<T>
}

type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>

/**
 * The inputs of the steps taken on one kind of row: each names the row (`id`) and the version the
 * client read, then the step's own fields.
 */
export const stepInputs =
  (row: ObjectParam<Types> | ObjectParam<Types>[], rowDescription: string) =>
  <Fields extends InputFieldMap = Record<never, never>>(
    name: string,
    description: string,
    fields?: (t: InputFields) => Fields,
  ) =>
    builder.inputType(name, {
      description,
      fields: (t) => ({
        id: t.globalID({ required: true, for: row, description: rowDescription }),
        version: readVersion(t),
        ...(fields?.(t) as Fields),
      }),
    })

/** The fields of a step that takes nothing but an optional note. */
export const withNote = (t: InputFields) => ({ note: timelineNote(t) })

type ErrorClass = new (...args: never[]) => Error
type Model = keyof PrismaTypes & string
interface Delegate {
  findUnique(args: PlannedQuery & { where: { id: string } }): Promise<{ id: string } | null>
}

/** One mutation: who may call it, its input, and the service step that takes the input. */
export interface Step<Input, Row> {
  description: string
  authScopes: Partial<Types['AuthScopes']>
  input: InputObjectRef<Types, Input>
  /**
   * The type a global ID field must name where its `for` cannot say it: an id that may name rows of
   * several types (its `for` lists them), or a type of a module this one may not import. An id of
   * another type is refused as ValidationFailed (path: the field) before the step runs.
   */
  idTypes?: { [K in keyof Input & string]?: Model }
  /** The step's own typed errors, beside the ones every mutation has. */
  errors?: ErrorClass[]
  /** The service step, given the input with its global IDs as row ids; it answers with the row it wrote. */
  run: (ctx: Context, input: RowIds<Input>) => Promise<Row>
}

/**
 * The mutations that answer with one row of `model` as the payload of `result`. Each takes one
 * `input` and runs its service step; the answer is the row it wrote, read as the viewer may read it
 * (`payloadRow`), so that the payload's relations fold into one statement.
 */
export const rowMutations =
  <M extends Model>(model: M, result: ReturnType<typeof payload>) =>
  <Input extends object>(field: string, step: Step<Input, PrismaTypes[M]['Shape']>) =>
    builder.mutationField(field, (t) => {
      // plugin-prisma's types cannot follow a model chosen by a type parameter; `Step` types both ends
      const prismaField = (t.prismaField as (options: object) => FieldRef<Types, unknown, 'Mutation'>).bind(t)
      return prismaField({
        type: model,
        description: step.description,
        authScopes: step.authScopes,
        errors: step.errors ? { ...result, types: step.errors } : result,
        args: { input: t.arg({ type: step.input, required: true }) },
        resolve: async (query: PlannedQuery, _root: unknown, { input }: { input: Input }, ctx: Context) => {
          for (const [field, type] of Object.entries(step.idTypes ?? {}) as [string, Model][]) {
            const ids = (input as Record<string, GlobalId | GlobalId[] | null | undefined>)[field] ?? []
            for (const id of Array.isArray(ids) ? ids : [ids]) decodeId(id, type, field)
          }
          return payloadRow(query, await step.run(ctx, rowIds(input)), (q) =>
            delegateOf<Delegate>(ctx.reader, model).findUnique(q),
          )
        },
      })
    })
