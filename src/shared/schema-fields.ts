// Fields that many types share, each written once: their names, types and descriptions stay exactly as printed.
import type { ArgBuilder, ArgumentRef, EnumRef, InputObjectRef } from '@pothos/core'
import { builder } from '../builder.js'
import { OrderDirection } from './scalars.schema.js'

export type Types = typeof builder.$inferSchemaTypes
type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>

/** The `id` option of every `prismaNode`. */
export const nodeId = { field: 'id', description: 'Global ID (全局 ID).' } as const

/** The description of a row's `version` column. */
const VERSION = 'Version for optimistic concurrency (版本号).'

/** The description of an input's `version`: the one the client read, checked against the row's. */
const READ_VERSION = 'The version you read (读取时的版本号).'

/** A row's `version`, exposed for optimistic concurrency. */
export const exposeVersion = <T extends { exposeInt: (name: 'version', options: { description: string }) => unknown }>(
  t: T,
) => t.exposeInt('version', { description: VERSION }) as ReturnType<T['exposeInt']>

/** The input's `version`: the one the client read. */
export const readVersion = (t: InputFields) => t.int({ required: true, description: READ_VERSION })

/** An optional note the step leaves on the timeline. */
export const timelineNote = (t: InputFields) =>
  t.string({ required: false, description: 'Note for the timeline (备注).' })

/** A list's optional `filter` argument. */
export const filterArg = <T extends object>(
  arg: ArgBuilder<Types>,
  type: InputObjectRef<Types, T>,
): ArgumentRef<Types, T | null | undefined> => arg({ type, required: false, description: 'Filters (筛选).' })

/** A filter's optional `status`: any of these states. */
export const anyStatus = <T>(t: InputFields, type: EnumRef<Types, T>) =>
  t.field({ type: [type], required: false, description: 'Any of these states (状态).' })

/** A list's ordering: a sort key of `field` and a direction. */
export const orderInput = <T>(
  name: string,
  description: string,
  field: EnumRef<Types, T>,
  defaultDirection: 'asc' | 'desc',
) =>
  builder.inputType(name, {
    description,
    fields: (t) => ({
      field: t.field({ type: field, required: true, description: 'Sort key (字段).' }),
      direction: t.field({
        type: OrderDirection,
        required: false,
        defaultValue: defaultDirection,
        description: 'Direction (方向).',
      }),
    }),
  })
