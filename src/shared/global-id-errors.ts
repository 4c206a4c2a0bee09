// A global ID argument declared `globalID({ for: SomeRef })` of another type is refused by the relay
// plugin with a PothosValidationError while the arguments are mapped, before any resolver runs.
// This plugin turns it into our typed ValidationFailed, which the errors plugin (listed first, with
// `unsafelyHandleInputErrors`) then answers as the mutation's union member, like any other bad input.
import SchemaBuilder, {
  BasePlugin,
  PothosValidationError,
  type PothosOutputFieldConfig,
  type SchemaTypes,
} from '@pothos/core'
import type { GraphQLFieldResolver } from 'graphql'
import { ValidationFailedError } from './errors.js'

const ID_OF_WRONG_TYPE = /^ID: (.*) is not of type: (.*)$/

export const toValidationFailed = (error: unknown): unknown => {
  const m = error instanceof PothosValidationError ? ID_OF_WRONG_TYPE.exec(error.message) : null
  return m
    ? new ValidationFailedError([{ path: 'id', message: `expected a ${m[2]} ID, got ${m[1]!.slice(0, 60)}` }])
    : error
}

class GlobalIdErrorsPlugin<Types extends SchemaTypes> extends BasePlugin<Types> {
  // Only fields whose arguments are mapped (global IDs) are wrapped, and a synchronous answer stays
  // synchronous: Pothos offers every field's resolver here, and an async wrapper around each made
  // every scalar of every row a promise.
  override wrapArgMappers(
    resolver: GraphQLFieldResolver<unknown, Types['Context']> | undefined,
    fieldConfig: PothosOutputFieldConfig<Types>,
  ) {
    if (!resolver || !fieldConfig.argMappers.length) return resolver
    return (...args: Parameters<GraphQLFieldResolver<unknown, Types['Context']>>) => {
      try {
        const result = resolver(...args)
        return result instanceof Promise
          ? result.catch((error: unknown) => {
              throw toValidationFailed(error)
            })
          : result
      } catch (error) {
        throw toValidationFailed(error)
      }
    }
  }
}

const pluginName = 'globalIdErrors'
declare global {
  export namespace PothosSchemaTypes {
    export interface Plugins<Types extends SchemaTypes> {
      globalIdErrors: GlobalIdErrorsPlugin<Types>
    }
  }
}
SchemaBuilder.registerPlugin(pluginName, GlobalIdErrorsPlugin)
export default pluginName
